import SluiceCSV
import SluiceSchema

/// Reads, cleans and validates one file's bytes against a schema, without touching disk.
///
/// This is the pure middle of an ingest: bytes in, ``FileCheck/Findings`` out. The
/// ``Ingestor`` does the I/O around it (hashing, the ledger, the warehouse, moving files).
/// Steps: refuse empty input → decode to UTF-8 (refusing binary and invalid bytes) → sniff the
/// dialect (refusing ambiguity) → map the header → clean and validate every row → apply the
/// schema's error policy.
package struct FileCheck: Sendable {
    /// What a check needs besides the bytes.
    package struct Settings: Sendable {
        package var schema: Schema
        package var policy: SchemaPolicy
        package var encoding: CSVEncoding?
        package var pins: CSVDialectPins
        package var limits: CSVReaderLimits

        package init(
            schema: Schema, policy: SchemaPolicy, encoding: CSVEncoding? = nil, pins: CSVDialectPins = .init(),
            limits: CSVReaderLimits = .init()
        ) {
            self.schema = schema
            self.policy = policy
            self.encoding = encoding
            self.pins = pins
            self.limits = limits
        }
    }

    /// A row refused under `reject_rows`: its line and original text.
    struct RejectedRow: Sendable {
        var line: Int
        var text: ArraySlice<UInt8>
    }

    /// Everything learned about one file, whatever its outcome.
    package struct Findings: Sendable {
        /// Why the whole file is refused; `nil` when its good rows load.
        package var reason: RejectionReason?
        package var message: String
        var hint: String?
        var dialect: DialectSummary?
        var header: ErrorReport.HeaderReport?
        /// The rows to load (only when ``reason`` is `nil`).
        package var outcome: ValidationOutcome?
        package var rows = RowCounts()
        package var errors: [ErrorEntry] = []
        var countsByCode: [ValidationIssue.Code: Int] = [:]
        var countsByRule: [ValidationIssue.Rule: Int] = [:]
        var totalErrors = 0
        /// Rows refused under `reject_rows`, for `failed/<name>.rejected.csv`.
        var rejectedRows: [RejectedRow] = []
        /// Where each accepted row stands in the file, kept under `on_conflict: reject` (a row
        /// whose key was loaded before is refused at commit).
        var acceptedSources: [AcceptedRowSource] = []
        /// Fields read under `quote_policy: lenient` that strict reading refuses.
        var lenientFields = 0
        /// The header line's original text and the delimiter, for writing the rejected rows.
        var headerText: ArraySlice<UInt8>?
        var delimiter = UInt8(ascii: ",")

        init(reason: RejectionReason?, message: String, hint: String? = nil) {
            self.reason = reason
            self.message = message
            self.hint = hint
        }

        /// A file-level refusal caused by one error.
        init(_ reason: RejectionReason, _ entry: ErrorEntry, message: String) {
            self.init(reason: reason, message: message, hint: entry.hint)
            errors = [entry]
            countsByCode = [entry.code: 1]
            countsByRule = [entry.rule: 1]
            totalErrors = 1
        }
    }

    let settings: Settings
    /// Header mappings and validators of headers seen before (see ``HeaderCache``); `nil` keeps none.
    let headers: HeaderCache?

    package init(settings: Settings) {
        self.init(settings: settings, headers: nil)
    }

    init(settings: Settings, headers: HeaderCache?) {
        self.settings = settings
        self.headers = headers
    }

    /// Checks a whole file. `name` is used in messages.
    package func check(_ bytes: [UInt8], name: String) -> Findings {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            let what = bytes.isEmpty ? "is empty (0 bytes)" : "holds only whitespace"
            let entry = ErrorEntry(
                code: .emptyFile, line: 1, message: "\(name) \(what)",
                hint: "deliver the file again once it has been written")
            return Findings(.emptyFile, entry, message: entry.message)
        }
        let text: DecodedText
        let sniff: CSVSniffResult
        do {
            text = try CSVTextDecoder.decode(bytes, encoding: settings.encoding, file: name)
            sniff = try CSVSniffer.sniff(text.utf8, pins: settings.pins, file: name, limits: settings.limits)
        } catch {
            return Findings(RejectionReason(error.code), ErrorEntry(error), message: error.description)
        }
        var findings = read(text, sniff: sniff, name: name)
        findings.dialect = DialectSummary(sniff: sniff, text: text)
        findings.dialect?.lenientFields = findings.lenientFields
        findings.delimiter = sniff.dialect.delimiter
        return findings
    }

    /// Reads the records, maps the header and validates the rows.
    private func read(_ text: DecodedText, sniff: CSVSniffResult, name: String) -> Findings {
        var reader = CSVReader(bytes: text.utf8, dialect: sniff.dialect, file: name, limits: settings.limits)
        let collectRejected = settings.policy.onError == .rejectRows
        var rejected: [RejectedRow] = []
        let keyColumns = KeyColumns(settings.schema)
        let keepSources = keyColumns?.key.onConflict == .reject
        var acceptedSources: [AcceptedRowSource] = []
        do throws(CSVError) {
            var mapping = settings.schema.positionalMapping
            var headerText: ArraySlice<UInt8>?
            var pendingFirst: CSVRecord?
            guard let first = try reader.next() else {
                let entry = ErrorEntry(code: .emptyFile, line: 1, message: "\(name) has no records")
                return Findings(.emptyFile, entry, message: entry.message)
            }
            var cachedValidator: RowValidator?
            var headerKey: HeaderCache.Key?
            if sniff.hasHeader {
                headerText = text.utf8[first.byteOffset..<first.endOffset]
                headerKey = headers.map { _ in
                    HeaderCache.Key(
                        line: Array(text.utf8[first.byteOffset..<first.endOffset]), delimiter: sniff.dialect.delimiter,
                        quote: sniff.dialect.quote, quotePolicy: sniff.dialect.quotePolicy)
                }
                if let headerKey, let cached = headers?.entry(for: headerKey) {
                    mapping = cached.mapping
                    cachedValidator = cached.validator
                } else {
                    let names = (0..<first.count).map { first.string(at: $0) ?? "" }  // the decoder validated UTF-8
                    do {
                        mapping = try settings.schema.mapHeader(
                            names, extraColumns: settings.policy.extraColumns,
                            missingColumns: settings.policy.missingColumns)
                    } catch {
                        return headerRejection(error, names: names, line: first.line, name: name)
                    }
                }
            } else {
                pendingFirst = first
            }
            var validator =
                cachedValidator
                ?? RowValidator(schema: settings.schema, header: mapping, options: settings.policy.cleaning)
            if cachedValidator == nil, let headerKey {
                headers?.remember(HeaderCache.Entry(mapping: mapping, validator: validator), for: headerKey)
            }
            var record = CSVRecord()  // one record whose buffers are reused row after row
            // Records the reader could not parse but skipped to the next line end (reject_rows).
            var malformed: [(skipped: (line: Int, byteOffset: Int, endOffset: Int), record: Int, error: CSVError)] = []
            rows: while true {
                if let first = pendingFirst {
                    record = first
                    pendingFirst = nil
                } else {
                    do throws(CSVError) {
                        guard try reader.next(into: &record) else { break rows }
                    } catch {
                        guard collectRejected, let skipped = reader.skipMalformedRecord() else { throw error }
                        malformed.append((skipped, reader.recordCount, error))
                        continue rows
                    }
                }
                let location = RowLocation(line: record.line, record: record.number, byteOffset: record.byteOffset)
                let verdict =
                    if record.containsEscapedQuotes {
                        validator.addRow((0..<record.count).map { record[$0] }, at: location)  // unescaped copies
                    } else {
                        record.withFieldRanges { bytes, starts, ends in
                            validator.addRow(bytes, fieldStarts: starts, fieldEnds: ends, at: location)
                        }
                    }
                if verdict == .rejected, collectRejected {
                    rejected.append(
                        RejectedRow(line: record.line, text: text.utf8[record.byteOffset..<record.endOffset]))
                } else if verdict == .accepted, keepSources {
                    acceptedSources.append(
                        AcceptedRowSource(
                            line: record.line, record: record.number, byteOffset: record.byteOffset,
                            text: text.utf8[record.byteOffset..<record.endOffset]))
                }
            }
            var outcome = validator.finish()
            for (skipped, number, error) in malformed {
                outcome.rowsRead += 1
                outcome.rowsInvalid += 1
                outcome.addIssue(
                    ValidationIssue(
                        code: ValidationIssue.Code(error.code), line: error.line, record: number,
                        byteOffset: error.byteOffset, field: error.column, message: error.message,
                        hint: (error.hint.map { $0 + " " } ?? "") + "(the record was skipped up to its line end)"),
                    cap: settings.policy.cleaning.maxReportedIssues)
                rejected.append(
                    RejectedRow(line: skipped.line, text: text.utf8[skipped.byteOffset..<skipped.endOffset]))
            }
            if !malformed.isEmpty {
                outcome.issues.sort { $0.line < $1.line }
                rejected.sort { $0.line < $1.line }
            }
            if outcome.rowsRead == 0 {
                let entry = ErrorEntry(
                    code: .noDataRows, line: first.line, record: 1,
                    message: "\(name) has a header but no data rows",
                    hint: "deliver the file again once its rows have been written")
                var findings = Findings(.noDataRows, entry, message: entry.message)
                findings.header = headerReport(mapping, mismatch: nil)
                return findings
            }
            if let keyColumns {
                let refused = InFileKeys.resolve(
                    &outcome, key: keyColumns, sources: &acceptedSources,
                    cap: settings.policy.cleaning.maxReportedIssues)
                if collectRejected, !refused.isEmpty {
                    rejected += refused.map { RejectedRow(line: $0.line, text: $0.text) }
                    rejected.sort { $0.line < $1.line }
                }
            }
            var findings = decide(outcome, name: name)
            findings.lenientFields = reader.lenientFieldCount
            findings.acceptedSources = acceptedSources
            findings.header = headerReport(mapping, mismatch: nil)
            findings.headerText = headerText
            if findings.reason == nil { findings.rejectedRows = rejected }
            return findings
        } catch {
            var findings = Findings(RejectionReason(error.code), ErrorEntry(error), message: error.description)
            findings.rows.read = max(0, reader.recordCount - (sniff.hasHeader ? 1 : 0))
            findings.rows.rejected = findings.rows.read
            return findings
        }
    }

    /// The findings for a header that does not match the schema: every problem counted, the
    /// first ones listed (capped like value errors), a message that names a few of each.
    private func headerRejection(_ mismatch: HeaderMismatch, names: [String], line: Int, name: String) -> Findings {
        var entries: [ErrorEntry] = []
        let schemaHint = "rename the column, add an alias to the schema (aliases: {name: column}), or change the schema"
        for column in mismatch.missing {
            let hint =
                settings.policy.missingColumns == .null
                ? "column '\(column)' is required, so missing_columns: null does not cover it; add it to the file, or mark it required: false"
                : schemaHint + "; with missing_columns: null an optional column may be absent (loaded as NULL)"
            entries.append(
                ErrorEntry(
                    code: .missingLabel, line: line, record: 1, column: column,
                    message: "column '\(column)' is missing from the header", hint: hint))
        }
        for label in mismatch.unknown {
            entries.append(
                ErrorEntry(
                    code: .extraLabel, line: line, record: 1, value: label,
                    message: "column '\(label)' is not in the schema",
                    hint: schemaHint + ", or set extra_columns: ignore to read past it"))
        }
        for label in mismatch.duplicates {
            entries.append(
                ErrorEntry(
                    code: .duplicateLabel, line: line, record: 1, column: label,
                    message: "column '\(label)' appears more than once", hint: "remove or rename the repeated column"))
        }
        for position in mismatch.blank {
            entries.append(
                ErrorEntry(
                    code: .blankLabel, line: line, record: 1, field: position,
                    message: "header field \(position) has no name", hint: "name the column, or remove it"))
        }
        func few(_ items: [String]) -> String {
            let shown = items.prefix(8).map { $0.count > 40 ? $0.prefix(40) + "…" : $0 }.joined(separator: ", ")
            return items.count > 8 ? "\(shown), … (\(items.count) in all)" : shown
        }
        var parts: [String] = []
        if !mismatch.missing.isEmpty { parts.append("missing columns: \(few(mismatch.missing))") }
        if !mismatch.unknown.isEmpty { parts.append("unknown columns: \(few(mismatch.unknown))") }
        if !mismatch.duplicates.isEmpty { parts.append("repeated columns: \(few(mismatch.duplicates))") }
        if !mismatch.blank.isEmpty { parts.append("blank names at positions \(few(mismatch.blank.map(String.init)))") }
        let cap = settings.policy.cleaning.maxReportedIssues
        var findings = Findings(
            reason: .headerMismatch,
            message: "\(name):\(line): the header does not match the schema: "
                + parts.joined(separator: "; "), hint: schemaHint)
        findings.errors = Array(entries.prefix(cap))
        findings.totalErrors = entries.count
        for entry in entries {
            findings.countsByCode[entry.code, default: 0] += 1
            findings.countsByRule[entry.rule, default: 0] += 1
        }
        var report = headerReport(nil, mismatch: mismatch)
        report.original = Array(names.prefix(cap))
        report.normalized = Array(names.prefix(cap).map(HeaderNormalizer.normalize))
        findings.header = report
        return findings
    }

    private func headerReport(_ mapping: HeaderMapping?, mismatch: HeaderMismatch?) -> ErrorReport.HeaderReport {
        let cap = settings.policy.cleaning.maxReportedIssues
        var report = ErrorReport.HeaderReport(
            original: mapping?.originalNames ?? [], normalized: mapping?.normalizedNames ?? [],
            renamed: mapping?.renamed ?? [],
            missing: mismatch?.missing ?? [], unknown: Array((mismatch?.unknown ?? []).prefix(cap)),
            duplicates: mismatch?.duplicates ?? [], blank: mismatch?.blank ?? [])
        if let ignored = mapping?.ignored, !ignored.isEmpty { report.ignored = Array(ignored.prefix(cap)) }
        if let absent = mapping?.absentColumns, !absent.isEmpty {
            report.filledWithNull = absent.map { settings.schema.columns[$0].name }
        }
        let policy = settings.policy
        if policy.extraColumns != .reject || policy.missingColumns != .reject {
            report.policy = ErrorReport.HeaderPolicy(
                extraColumns: policy.extraColumns, missingColumns: policy.missingColumns)
        }
        return report
    }

    /// Applies the schema's error policy to the validated rows.
    private func decide(_ outcome: ValidationOutcome, name: String) -> Findings {
        var findings = Findings(reason: nil, message: "")
        findings.rows = RowCounts(
            read: outcome.rowsRead, loaded: outcome.rowsAccepted, droppedMissing: outcome.rowsDroppedMissing,
            droppedDuplicate: outcome.rowsDroppedDuplicate, rejected: outcome.rowsInvalid)
        findings.errors = outcome.issues
        findings.countsByCode = outcome.issueCountsByCode
        findings.countsByRule = outcome.issueCountsByRule
        findings.totalErrors = outcome.totalIssues
        guard outcome.totalIssues > 0 else {
            findings.outcome = outcome
            return findings
        }
        let first = outcome.issues.first.map { ": first at line \($0.line): \($0.message)" } ?? ""
        let problems = outcome.totalIssues == 1 ? "1 value breaks" : "\(outcome.totalIssues) values break"
        let summary = "\(problems) the schema's rules in \(outcome.rowsInvalid) of \(outcome.rowsRead) rows\(first)"
        let rate = outcome.rowsRead == 0 ? 0 : Double(outcome.rowsInvalid) / Double(outcome.rowsRead)
        switch settings.policy.onError {
        case .rejectRows where rate <= settings.policy.maxErrorRate:
            findings.outcome = outcome
            findings.message = "\(name): \(summary); the other rows were loaded"
            findings.hint = "fix the rows in the .rejected.csv file and deliver it again"
        case .rejectRows:
            findings.reason = .tooManyErrors
            findings.message =
                "\(name): \(percent(rate)) of the rows are bad, above max_error_rate \(percent(settings.policy.maxErrorRate)): \(summary)"
            findings.hint = "fix the file, or raise max_error_rate in the schema"
        case .rejectFile:
            // Only repeated primary keys: say so (see InFileKeys).
            findings.reason =
                outcome.issueCountsByCode.keys.allSatisfy { $0 == InFileKeys.code } ? .duplicateKey : .invalidValues
            findings.message = "\(name): \(summary)"
            findings.hint = outcome.issues.first?.hint
        }
        if findings.reason != nil {
            findings.rows.rejected += findings.rows.loaded
            findings.rows.loaded = 0
        }
        return findings
    }

    private func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

extension RejectionReason {
    /// The file-level reason for a CSV reading error.
    init(_ code: CSVError.Code) {
        switch code {
        case .binaryFile: self = .binaryFile
        case .invalidEncoding: self = .invalidEncoding
        case .dialectError: self = .dialectError
        case .fieldTooLarge: self = .fieldTooLarge
        case .recordTooLarge: self = .lineTooLarge
        case .tooManyFields: self = .tooManyColumns
        default: self = .malformedCSV
        }
    }
}
