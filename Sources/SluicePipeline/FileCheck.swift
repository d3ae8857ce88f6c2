import SluiceCSV
import SluiceSchema

/// Reads, cleans and validates one file's bytes against a schema, without touching disk.
///
/// This is the pure middle of an ingest: bytes in, a verdict out. The ``Ingestor`` does the
/// I/O around it (hashing, the ledger, the warehouse, moving files).
struct FileCheck {
    /// The outcome for one file.
    enum Verdict {
        /// Every row is clean: these are the rows to load.
        case accepted(ValidationOutcome, dialect: CSVDialect)
        /// The file is refused: why, and the report's body.
        case rejected(Rejection)
    }

    /// A refused file's reason, summary, and details for its reason report.
    struct Rejection: Error {
        var reason: RejectionReason
        var message: String
        var dialect: CSVDialect?
        var header: ErrorReport.HeaderProblems?
        var rowsRead = 0
        var rowsInvalid = 0
        var rowsDroppedMissing = 0
        var rowsDroppedDuplicate = 0
        var errors: [ErrorEntry] = []
        var countsByRule: [String: Int] = [:]
        var totalErrors = 0
    }

    let schema: Schema
    let options: CleaningOptions

    /// Checks a whole file. `name` is used in messages.
    func check(_ bytes: [UInt8], name: String) -> Verdict {
        var reader = CSVReader(bytes: bytes, file: name)
        let dialect = reader.dialect
        do {
            guard let headerRecord = try reader.next() else {
                return .rejected(Rejection(reason: .emptyFile, message: "\(name) is empty: expected a header line", dialect: dialect))
            }
            let mapping: HeaderMapping
            switch header(of: headerRecord, dialect: dialect, name: name) {
            case .success(let found): mapping = found
            case .failure(let rejection): return .rejected(rejection)
            }
            var validator = RowValidator(schema: schema, header: mapping, options: options)
            var fields: [ArraySlice<UInt8>] = []
            while let record = try reader.next() {
                fields.removeAll(keepingCapacity: true)
                for index in 0..<record.count { fields.append(record[index]) }
                validator.addRow(line: record.line, fields: fields)
            }
            return verdict(for: validator.finish(), dialect: dialect, name: name)
        } catch {
            let entry = ErrorEntry(line: error.line, position: error.column, rule: error.code.description, message: error.message)
            return .rejected(Rejection(
                reason: .malformedCSV, message: error.description, dialect: dialect,
                errors: [entry], countsByRule: [error.code.description: 1], totalErrors: 1))
        }
    }

    /// Decodes and maps the header, or explains why it cannot be used.
    private func header(of record: CSVRecord, dialect: CSVDialect, name: String) -> Result<HeaderMapping, Rejection> {
        var names: [String] = []
        for index in 0..<record.count {
            guard let text = record.string(at: index) else {
                let message = "\(name):\(record.line): header field \(index + 1) is not valid UTF-8; save the file as UTF-8"
                let entry = ErrorEntry(line: record.line, rule: "encoding", message: message)
                return .failure(Rejection(reason: .invalidEncoding, message: message, dialect: dialect,
                                          errors: [entry], countsByRule: ["encoding": 1], totalErrors: 1))
            }
            names.append(text)
        }
        do {
            return .success(try schema.mapHeader(names))
        } catch {
            return .failure(headerRejection(error, line: record.line, dialect: dialect, name: name))
        }
    }

    /// The rejection for a header that does not match the schema: every problem counted,
    /// the first ones listed (capped like value errors), a message that names a few of each.
    private func headerRejection(_ mismatch: HeaderMismatch, line: Int, dialect: CSVDialect, name: String) -> Rejection {
        var entries: [ErrorEntry] = []
        for column in mismatch.missing {
            entries.append(ErrorEntry(line: line, column: column, rule: "header", message: "column '\(column)' is missing from the header"))
        }
        for column in mismatch.unknown {
            entries.append(ErrorEntry(line: line, value: column, rule: "header", message: "column '\(column)' is not in the schema"))
        }
        for column in mismatch.duplicates {
            entries.append(ErrorEntry(line: line, value: column, rule: "header", message: "column '\(column)' appears more than once"))
        }
        func few(_ names: [String]) -> String {
            let shown = names.prefix(8).joined(separator: ", ")
            return names.count > 8 ? "\(shown), … (\(names.count) in all)" : shown
        }
        var parts: [String] = []
        if !mismatch.missing.isEmpty { parts.append("missing columns: \(few(mismatch.missing))") }
        if !mismatch.unknown.isEmpty { parts.append("unknown columns: \(few(mismatch.unknown))") }
        if !mismatch.duplicates.isEmpty { parts.append("repeated columns: \(few(mismatch.duplicates))") }
        return Rejection(
            reason: .headerMismatch,
            message: "\(name):\(line): the header does not match the schema: " + parts.joined(separator: "; "),
            dialect: dialect,
            header: .init(missing: mismatch.missing, unknown: Array(mismatch.unknown.prefix(options.maxReportedIssues)),
                          duplicates: Array(mismatch.duplicates.prefix(options.maxReportedIssues))),
            errors: Array(entries.prefix(options.maxReportedIssues)), countsByRule: ["header": entries.count],
            totalErrors: entries.count)
    }

    /// Accepts a file whose rows are all clean; otherwise rejects it whole, with every issue counted.
    private func verdict(for outcome: ValidationOutcome, dialect: CSVDialect, name: String) -> Verdict {
        guard outcome.totalIssues > 0 else { return .accepted(outcome, dialect: dialect) }
        let first = outcome.issues.first.map { ": first at line \($0.line): \($0.message)" } ?? ""
        let problems = outcome.totalIssues == 1 ? "1 value breaks" : "\(outcome.totalIssues) values break"
        return .rejected(Rejection(
            reason: .invalidValues,
            message: "\(name): \(problems) the schema's rules in \(outcome.rowsInvalid) of \(outcome.rowsRead) rows\(first)",
            dialect: dialect, rowsRead: outcome.rowsRead, rowsInvalid: outcome.rowsInvalid,
            rowsDroppedMissing: outcome.rowsDroppedMissing, rowsDroppedDuplicate: outcome.rowsDroppedDuplicate,
            errors: outcome.issues.map(ErrorEntry.init), countsByRule: outcome.issueCountsByRule,
            totalErrors: outcome.totalIssues))
    }
}

extension CSVDialect {
    /// The dialect as recorded in reason reports: delimiter, quote, line ending, BOM.
    var reportFields: [String: String] {
        [
            "delimiter": String(UnicodeScalar(delimiter)), "delimiter_name": delimiterName,
            "quote": String(UnicodeScalar(quote)), "line_ending": lineEnding.rawValue,
            "bom": hasByteOrderMark ? "utf-8" : "none",
        ]
    }
}
