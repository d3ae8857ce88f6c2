import Foundation
import SluiceColumnar
import SluiceTestSupport

/// Small deterministic data sets and file helpers shared by the columnar tests.
enum SampleData {
    /// A seeded SplitMix64 generator, so every test run sees the same data.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A schema with one column of each type, one of them nullable.
    static let mixedSchema = ColumnarSchema(fields: [
        ColumnarField(name: "school", type: .string),
        ColumnarField(name: "age", type: .int64),
        ColumnarField(name: "absences", type: .int64, isNullable: true),
        ColumnarField(name: "score", type: .double),
        ColumnarField(name: "note", type: .string, isNullable: true),
    ])

    /// `rows` rows for ``mixedSchema``; every 7th absence and every 5th note is null.
    static func mixedColumns(rows: Int, seed: UInt64 = 1) -> [ColumnarColumn] {
        var random = Generator(seed: seed)
        let schools = (0..<rows).map { _ in Bool.random(using: &random) ? "gp" : "ms" }
        let ages = (0..<rows).map { _ in Int64.random(in: 15...22, using: &random) }
        let absences = (0..<rows).map { $0 % 7 == 0 ? 0 : Int64.random(in: 0...93, using: &random) }
        let scores = (0..<rows).map { _ in Double(Int.random(in: 0...40, using: &random)) / 2 }
        let notes = (0..<rows).map {
            $0 % 5 == 0 ? "" : ["ok", "late", "é", "e\u{301}", "ünïcödé"].randomElement(using: &random)!
        }
        return [
            ColumnarColumn(values: .string(schools)),
            ColumnarColumn(values: .int64(ages)),
            ColumnarColumn(values: .int64(absences), validity: ValidityBitmap((0..<rows).map { $0 % 7 != 0 })),
            ColumnarColumn(values: .double(scores)),
            ColumnarColumn(values: .string(notes), validity: ValidityBitmap((0..<rows).map { $0 % 5 != 0 })),
        ]
    }

    /// Writes `columns` to `name` in `directory` and returns the path.
    @discardableResult
    static func write(
        _ columns: [ColumnarColumn], schema: ColumnarSchema = mixedSchema, to directory: URL, name: String = "t.scol",
        metadata: [String: String] = ["source": "test.csv"], options: ColumnarWriterOptions = .init(durable: false)
    ) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let writer = try ColumnarWriter(path: path, schema: schema, metadata: metadata, options: options)
        try writer.append(columns: columns)
        try writer.finish()
        return path
    }

    /// The bytes of a small valid file (``mixedSchema``, `rows` rows).
    static func smallFileBytes(rows: Int = 40, options: ColumnarWriterOptions = .init(durable: false)) throws -> [UInt8]
    {
        try withTemporaryDirectory { directory in
            let path = try write(mixedColumns(rows: rows), to: directory, options: options)
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// Every column of the file, with validity, or the error the reader threw.
    static func readAll(_ reader: ColumnarReader) throws(ColumnarError) -> [ColumnarColumn] {
        var columns: [ColumnarColumn] = []
        for index in reader.schema.fields.indices { columns.append(try reader.readColumnWithValidity(index)) }
        return columns
    }

    /// Whether two columns are identical, comparing only non-null rows' values.
    static func same(_ a: ColumnarColumn, _ b: ColumnarColumn) -> Bool {
        guard a.count == b.count, a.nullCount == b.nullCount else { return false }
        for row in 0..<a.count where a.isNull(row) != b.isNull(row) { return false }
        func masked(_ column: ColumnarColumn) -> ColumnValues {
            guard column.validity != nil else { return column.values }
            switch column.values {
            case .int64(let v): return .int64(v.indices.map { column.isNull($0) ? 0 : v[$0] })
            case .double(let v): return .double(v.indices.map { column.isNull($0) ? 0 : v[$0] })
            case .string(let v): return .string(v.indices.map { column.isNull($0) ? "" : v[$0] })
            case .codedString(let d, let codes):
                return .string(codes.indices.map { column.isNull($0) ? "" : d[Int(codes[$0])] })
            }
        }
        return masked(a).isIdentical(to: masked(b))
    }
}
