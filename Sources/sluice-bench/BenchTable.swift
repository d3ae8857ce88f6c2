import ArgumentParser
import Foundation
import SluiceColumnar
import SluicePipeline

/// Where the bench's files are, found from this source file's path.
enum BenchPaths {
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// A table of typed columns in memory, the bench's input.
struct BenchTable {
    var schema: ColumnarSchema
    var columns: [ColumnValues]
    var rows: Int { columns.first?.count ?? 0 }

    /// Decoded bytes: 8 per integer or double, UTF-8 bytes for strings.
    var decodedBytes: Int {
        columns.reduce(0) { total, column in
            switch column {
            case .int64(let v): total + 8 * v.count
            case .double(let v): total + 8 * v.count
            case .string(let v): total + v.reduce(0) { $0 + $1.utf8.count }
            case .codedString(let dictionary, let codes):
                total + codes.reduce(0) { $0 + dictionary[Int($1)].utf8.count }
            }
        }
    }

    /// Reads the student CSV with a tiny splitter: `;` fields, `"` quotes stripped, names and
    /// text lower-cased; a column whose every value is an integer (G1/G2 are quoted numbers)
    /// becomes `int64`, like the pipeline's cleaned data.
    static func loadStudentCSV(_ path: String) throws -> BenchTable {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        let unquote = { (field: Substring) -> String in
            String(field.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                .lowercased()
        }
        let names = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(unquote)
        var cells = Array(repeating: [String](), count: names.count)
        for line in lines.dropFirst() {
            for (index, field) in line.split(separator: ";", omittingEmptySubsequences: false).enumerated()
            where index < names.count {
                cells[index].append(unquote(field))
            }
        }
        var fields: [ColumnarField] = []
        var columns: [ColumnValues] = []
        for (name, values) in zip(names, cells) {
            let integers = values.compactMap { Int64($0) }
            if integers.count == values.count {
                fields.append(ColumnarField(name: name, type: .int64))
                columns.append(.int64(integers))
            } else {
                fields.append(ColumnarField(name: name, type: .string))
                columns.append(.string(values))
            }
        }
        return BenchTable(schema: ColumnarSchema(fields: fields), columns: columns)
    }

    /// `rows` rows whose columns are drawn independently from each real column's empirical
    /// distribution (the worst case for a columnar format: no correlation between rows).
    static func generate(like real: BenchTable, rows: Int, seed: UInt64) -> BenchTable {
        var random = SplitMix64(seed: seed)
        let columns = real.columns.map { column -> ColumnValues in
            switch column {
            case .int64(let values): .int64((0..<rows).map { _ in values[Int(random.next() % UInt64(values.count))] })
            case .double(let values): .double((0..<rows).map { _ in values[Int(random.next() % UInt64(values.count))] })
            case .string(let values): .string((0..<rows).map { _ in values[Int(random.next() % UInt64(values.count))] })
            case .codedString(let dictionary, let codes):
                .codedString(
                    dictionary: dictionary,
                    codes: (0..<rows).map { _ in codes[Int(random.next() % UInt64(codes.count))] })
            }
        }
        return BenchTable(schema: real.schema, columns: columns)
    }

    /// The table as a `;`-separated CSV without quotes, plus the column types, for pyarrow.
    func csvText() -> (text: String, types: String) {
        var lines = [schema.fields.map(\.name).joined(separator: ";")]
        lines.reserveCapacity(rows + 1)
        for row in 0..<rows {
            lines.append(
                columns.map { column -> String in
                    switch column {
                    case .int64(let v): String(v[row])
                    case .double(let v): String(v[row])
                    case .string(let v): v[row]
                    case .codedString(let dictionary, let codes): dictionary[Int(codes[row])]
                    }
                }.joined(separator: ";"))
        }
        return (lines.joined(separator: "\n") + "\n", schema.fields.map(\.type.rawValue).joined(separator: ","))
    }
}

/// Runs `path` with `arguments`, its output discarded; throws unless it exits 0. The one way the
/// benchmarks run a command whose output they do not read.
func runQuietly(_ path: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValidationError("\(path) \(arguments.joined(separator: " ")) failed")
    }
}
