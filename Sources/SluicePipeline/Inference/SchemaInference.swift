import Foundation
import SluiceCSV
import SluiceSchema

/// `sluice schema infer`: a Sluice schema for CSV files, learned from their values.
///
/// Reads every row by default (``Options/sample`` reads fewer), so the schema it returns
/// accepts every row of the files it was given: before answering, it checks the files against
/// the schema exactly as an ingest would and turns any column that would refuse a value into
/// text. Text is kept as written (`lowercase_text: false`) and repeated rows are kept
/// (`drop_duplicate_rows: false`).
public enum SchemaInference {
    /// How the files are read.
    public struct Options: Sendable {
        /// Read only the first this many data rows of each file (`nil`: all of them).
        public var sample: Int?
        /// Dialect settings pinned instead of detected.
        public var pins: CSVDialectPins
        /// The encoding, or `nil` for UTF-8 (UTF-16 with a BOM).
        public var encoding: CSVEncoding?
        /// Files larger than this are refused unread.
        public var maxFileBytes: Int

        /// Creates options: every row, everything detected, files up to 256 MiB.
        public init(
            sample: Int? = nil, pins: CSVDialectPins = .init(), encoding: CSVEncoding? = nil,
            maxFileBytes: Int = 256 * 1024 * 1024
        ) {
            self.sample = sample
            self.pins = pins
            self.encoding = encoding
            self.maxFileBytes = maxFileBytes
        }
    }

    /// Infers the schema of `files` (all with the same columns, in any order).
    ///
    /// - Throws: ``PipelineError`` (`configuration`) for a file that cannot be read as CSV, a
    ///   blank or repeated header name, headers that differ between files, or a ragged row.
    public static func infer(files: [URL], options: Options = .init()) throws -> InferredSchema {
        guard let first = files.first else {
            throw PipelineError(code: .configuration, message: "give at least one CSV file")
        }
        var profiles: [ColumnProfile] = []
        var names: [String] = []
        var rows = 0
        var dialects: [String] = []
        var inputs: [(name: String, bytes: [UInt8])] = []
        var sampled = false
        for url in files {
            let bytes = try read(url, limit: options.maxFileBytes)
            inputs.append((url.lastPathComponent, bytes))
            let name = url.lastPathComponent
            let text: DecodedText
            let sniff: CSVSniffResult
            do {
                text = try CSVTextDecoder.decode(bytes, encoding: options.encoding, file: name)
                sniff = try CSVSniffer.sniff(text.utf8, pins: options.pins, file: name)
            } catch {
                throw PipelineError(code: .configuration, message: error.description, cause: error)
            }
            dialects.append("\(name): " + DialectSummary(sniff: sniff, text: text).shortDescription)
            var reader = CSVReader(bytes: text.utf8, dialect: sniff.dialect, file: name)
            do {
                guard let header = try reader.next() else {
                    throw PipelineError(code: .configuration, message: "\(name) has no records")
                }
                let fileNames =
                    sniff.hasHeader
                    ? (0..<header.count).map { HeaderNormalizer.normalize(header.string(at: $0) ?? "") }
                    : (1...max(header.count, 1)).map { "column_\($0)" }
                try checkNames(fileNames, file: name)
                if profiles.isEmpty {
                    names = fileNames
                    let semicolon = sniff.dialect.delimiter == UInt8(ascii: ";")
                    profiles = names.map { ColumnProfile(name: $0, semicolonFile: semicolon) }
                }
                let positions = try positionsOf(fileNames, in: names, file: name, firstFile: first.lastPathComponent)
                var record = CSVRecord()
                var fileRows = 0
                if !sniff.hasHeader {
                    add(header, positions: positions, to: &profiles, file: name)
                    fileRows += 1
                }
                while try reader.next(into: &record) {
                    if let sample = options.sample, fileRows >= sample {
                        sampled = true
                        break
                    }
                    guard record.count == positions.count else {
                        throw PipelineError(
                            code: .configuration,
                            message:
                                "\(name):\(record.line): \(record.count) fields where the header has \(positions.count); fix the file before inferring its schema"
                        )
                    }
                    add(record, positions: positions, to: &profiles, file: name)
                    fileRows += 1
                }
                rows += fileRows
            } catch let error as CSVError {
                throw PipelineError(code: .configuration, message: error.description, cause: error)
            }
        }
        var schema = Schema(table: tableName(for: first), columns: profiles.map(column(from:)), format: .sluice)
        schema.policy.cleaning.lowercaseText = false
        schema.policy.cleaning.dropDuplicateRows = false
        var widened: [String] = []
        if !sampled {
            widened = widenUntilEveryRowFits(&schema, inputs: inputs, options: options)
        }
        let inferred = InferredSchema(
            schema: schema, profiles: profiles, files: files.map(\.lastPathComponent), rows: rows,
            dialects: dialects, sample: sampled ? options.sample : nil, widened: widened)
        return inferred
    }

    /// The table name from the first file's name, normalised like a header (`Seattle Weather.csv` → `seattle_weather`).
    static func tableName(for url: URL) -> String {
        let stem = HeaderNormalizer.normalize(url.deletingPathExtension().lastPathComponent)
        if stem.isEmpty { return "data" }
        if SchemaChecks.problem(withTable: stem) != nil { return "t_" + stem }
        return stem.first?.isNumber == true ? "t_" + stem : stem
    }

    private static func read(_ url: URL, limit: Int) throws -> [UInt8] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > limit {
            throw PipelineError(
                code: .configuration, message: "\(url.path) is \(size) bytes, above the \(limit)-byte limit")
        }
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw PipelineError(code: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    private static func checkNames(_ names: [String], file: String) throws {
        if let blank = names.firstIndex(of: "") {
            throw PipelineError(
                code: .configuration,
                message: "\(file): header field \(blank + 1) has no name; name it before inferring a schema")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw PipelineError(
                code: .configuration,
                message: "\(file): column '\(name)' appears twice in the header (after normalisation)")
        }
        for name in names {
            if let problem = SchemaChecks.problem(withColumn: name) ?? SchemaChecks.problem(withColumnNameLength: name)
            {
                throw PipelineError(code: .configuration, message: "\(file): \(problem)")
            }
        }
        if let problem = SchemaChecks.problem(withColumnCount: names.count) {
            throw PipelineError(code: .configuration, message: "\(file): \(problem)")
        }
    }

    /// For each field of a file, the profile it feeds; the files must have the same columns.
    private static func positionsOf(_ fileNames: [String], in names: [String], file: String, firstFile: String) throws
        -> [Int]
    {
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let missing = names.filter { !fileNames.contains($0) }
        let extra = fileNames.filter { index[$0] == nil }
        guard missing.isEmpty, extra.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("it lacks " + missing.joined(separator: ", ")) }
            if !extra.isEmpty { parts.append("it adds " + extra.joined(separator: ", ")) }
            throw PipelineError(
                code: .configuration,
                message:
                    "\(file) has other columns than \(firstFile): \(parts.joined(separator: "; ")); infer one schema per kind of file"
            )
        }
        return fileNames.map { index[$0]! }
    }

    private static func add(_ record: CSVRecord, positions: [Int], to profiles: inout [ColumnProfile], file: String) {
        for (field, column) in positions.enumerated() where field < record.count {
            profiles[column].add(record[field])
        }
    }

    /// The schema column for a profile: its best type, `required` only when no value was empty,
    /// the range, and for few distinct text values an `allowed` list.
    static func column(from profile: ColumnProfile) -> ColumnSchema {
        var column = ColumnSchema(name: profile.name, type: .text, isRequired: profile.empties == 0)
        guard let best = profile.best else {
            if let distinct = profile.distinct, !distinct.isEmpty,
                profile.values - profile.empties >= 2 * distinct.count, distinct.count > 1
            {
                column.allowedValues = distinct.sorted()
            }
            return column
        }
        column.type = best.type
        column.valueFormat = best.format
        if best.type != .boolean {
            column.minimum = best.minimum
            column.maximum = best.maximum
        }
        return column
    }

    /// Checks `inputs` against `schema` as an ingest would; a column that refuses a value
    /// becomes text (bounds and lists dropped), until every row fits. Returns the widened columns.
    static func widenUntilEveryRowFits(
        _ schema: inout Schema, inputs: [(name: String, bytes: [UInt8])], options: Options
    ) -> [String] {
        var widened: [String] = []
        for _ in 0...schema.columns.count {
            var culprits = Set<String>()
            for input in inputs {
                let settings = FileCheck.Settings(
                    schema: schema, policy: schema.policy, encoding: options.encoding, pins: options.pins)
                let findings = FileCheck(settings: settings).check(input.bytes, name: input.name)
                for entry in findings.errors {
                    if let column = entry.column, !column.isEmpty { culprits.insert(column) }
                }
            }
            let changed = schema.columns.indices.filter {
                culprits.contains(schema.columns[$0].name) && schema.columns[$0].type != .text
                    || culprits.contains(schema.columns[$0].name) && schema.columns[$0].allowedValues != nil
            }
            guard !changed.isEmpty else { break }
            for index in changed {
                let name = schema.columns[index].name
                schema.columns[index] = ColumnSchema(
                    name: name, type: .text, isRequired: schema.columns[index].isRequired)
                widened.append(name)
            }
        }
        return widened
    }
}
