/// Cleans and validates data rows against a ``Schema``, accumulating the accepted values
/// column by column.
///
/// Per value: ASCII whitespace is trimmed; an empty value drops the whole row (counted) when
/// ``CleaningOptions/dropRowsWithMissingValues`` is on, before any other rule; the bytes must be
/// valid UTF-8 (`encoding`); integers are an optional sign and digits fitting `Int64`, reals
/// finite decimals (`type`); text is lower-cased, then checked for `max-length` and `allowed`;
/// numbers are checked for `minimum`, `maximum` and `allowed` (canonical text). Each value
/// reports at most one issue. A row with the wrong number of fields reports one `field-count`
/// issue. Rows with any issue are rejected; among the valid rows, exact repeats of an earlier
/// accepted row are dropped when ``CleaningOptions/dropDuplicateRows`` is on.
public struct RowValidator: Sendable {
    private let header: HeaderMapping
    private let options: CleaningOptions
    private let plans: [ColumnPlan]
    private var storage: RowStorage
    private var pending: [CleanValue]
    private var counts = Counters()
    private var issues: [ValidationIssue] = []
    private var issueCountsByRule: [String: Int] = [:]
    private var totalIssues = 0
    /// Row hash → index of the first accepted row with that hash.
    private var firstRowByHash: [Int: Int] = [:]
    /// Row hash → further accepted rows sharing the hash (true collisions only).
    private var collidingRowsByHash: [Int: [Int]] = [:]

    /// Prepares to validate rows whose fields are laid out as `header` describes.
    /// - Precondition: `header` maps every column of `schema` exactly once (as
    ///   ``Schema/mapHeader(_:)`` guarantees).
    public init(schema: Schema, header: HeaderMapping, options: CleaningOptions = .init()) {
        precondition(header.schemaIndexForField.sorted() == Array(schema.columns.indices),
                     "the header mapping must cover every schema column exactly once")
        self.header = header
        self.options = options
        var storage = RowStorage()
        plans = schema.columns.map { ColumnPlan($0, lowercase: options.lowercaseText, storage: &storage) }
        self.storage = storage
        pending = Array(repeating: .integer(0), count: schema.columns.count)
    }

    /// One data row: its fields' raw bytes (already unquoted by the CSV reader) and its 1-based line.
    public mutating func addRow(line: Int, fields: [ArraySlice<UInt8>]) {
        counts.read += 1
        let expected = header.fieldCount
        guard fields.count == expected else {
            report(line: line, column: "", raw: [], rule: "field-count",
                   message: "expected \(expected) fields, found \(fields.count)")
            counts.invalid += 1
            return
        }
        if options.dropRowsWithMissingValues, fields.contains(where: FieldParser.isBlank) {
            counts.droppedMissing += 1
            return
        }
        var valid = true
        for (position, raw) in fields.enumerated() {
            let index = header.schemaIndexForField[position]
            if let value = clean(raw, plan: plans[index], line: line) {
                pending[index] = value
            } else {
                valid = false
            }
        }
        guard valid else {
            counts.invalid += 1
            return
        }
        if options.dropDuplicateRows, isDuplicateOfAcceptedRow() {
            counts.droppedDuplicate += 1
            return
        }
        for (index, plan) in plans.enumerated() { storage.append(pending[index], slot: plan.slot) }
        storage.lines.append(line)
    }

    /// Ends validation and hands over the accepted values and the report.
    public consuming func finish() -> ValidationOutcome {
        ValidationOutcome(
            columns: plans.map { storage.column($0.type, slot: $0.slot) },
            sourceLines: storage.lines,
            rowsRead: counts.read, rowsDroppedMissing: counts.droppedMissing,
            rowsDroppedDuplicate: counts.droppedDuplicate, rowsInvalid: counts.invalid,
            issues: issues, issueCountsByRule: issueCountsByRule, totalIssues: totalIssues)
    }

    // MARK: Values

    /// The cleaned value, or `nil` after reporting why the raw value is not acceptable.
    private mutating func clean(_ raw: ArraySlice<UInt8>, plan: ColumnPlan, line: Int) -> CleanValue? {
        let bytes = FieldParser.trim(raw)
        func fail(_ rule: String, _ message: @autoclosure () -> String) -> CleanValue? {
            report(line: line, column: plan.name, raw: raw, rule: rule, message: message())
            return nil
        }
        func shown() -> String { FieldParser.display(bytes) }

        if plan.type != .text, bytes.isEmpty {
            return fail("type", "missing value for \(plan.type.rawValue) column '\(plan.name)'")
        }
        switch plan.type {
        case .integer:
            switch FieldParser.parseInteger(bytes) {
            case .value(let value):
                return checkNumber(Double(value), text: String(value), raw: raw, plan: plan, line: line)
                    ? .integer(value) : nil
            case .overflow:
                return fail("type", "value \(shown()) does not fit in a 64-bit integer for column '\(plan.name)'")
            case .notAnInteger:
                guard FieldParser.isValidUTF8(bytes) else { return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'") }
                return fail("type", "value '\(shown())' is not an integer for column '\(plan.name)'")
            }
        case .real:
            guard let value = FieldParser.parseReal(bytes) else {
                guard FieldParser.isValidUTF8(bytes) else { return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'") }
                return fail("type", "value '\(shown())' is not a finite number for column '\(plan.name)'")
            }
            return checkNumber(value, text: formatNumber(value), raw: raw, plan: plan, line: line) ? .real(value) : nil
        case .text:
            guard var text = String(validating: bytes, as: UTF8.self) else {
                return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'")
            }
            if plan.lowercase { text = text.lowercased() }
            if let limit = plan.maxLength, text.utf8.count > limit, text.count > limit {
                return fail("max-length", "value '\(shown())' is \(text.count) characters long, above the maximum length \(limit) for column '\(plan.name)'")
            }
            if let allowed = plan.allowed, !allowed.contains(text) {
                return fail("allowed", "value '\(shown())' is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'")
            }
            return .text(text)
        }
    }

    /// Checks bounds and allowed values of a parsed number; reports and returns false on failure.
    private mutating func checkNumber(_ value: Double, text: String, raw: ArraySlice<UInt8>, plan: ColumnPlan, line: Int) -> Bool {
        if let minimum = plan.minimum, value < minimum {
            report(line: line, column: plan.name, raw: raw, rule: "minimum",
                   message: "value \(text) is below the minimum \(formatNumber(minimum)) for column '\(plan.name)'")
            return false
        }
        if let maximum = plan.maximum, value > maximum {
            report(line: line, column: plan.name, raw: raw, rule: "maximum",
                   message: "value \(text) is above the maximum \(formatNumber(maximum)) for column '\(plan.name)'")
            return false
        }
        if let allowed = plan.allowed, !allowed.contains(text) {
            report(line: line, column: plan.name, raw: raw, rule: "allowed",
                   message: "value \(text) is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'")
            return false
        }
        return true
    }

    /// Counts an issue and keeps it in full while under the cap (building the message only then).
    private mutating func report(line: Int, column: String, raw: ArraySlice<UInt8>, rule: String, message: @autoclosure () -> String) {
        totalIssues += 1
        issueCountsByRule[rule, default: 0] += 1
        guard issues.count < options.maxReportedIssues else { return }
        issues.append(ValidationIssue(line: line, column: column, value: FieldParser.display(raw), rule: rule, message: message()))
    }

    // MARK: Duplicates

    /// True when the pending row equals an accepted row; otherwise registers it as the next one.
    private mutating func isDuplicateOfAcceptedRow() -> Bool {
        var hasher = Hasher()
        for value in pending { hasher.combine(value) }
        let hash = hasher.finalize()
        let newRow = storage.lines.count
        guard let first = firstRowByHash[hash] else {
            firstRowByHash[hash] = newRow
            return false
        }
        if storage.row(first, equals: pending, plans: plans) { return true }
        for row in collidingRowsByHash[hash, default: []] where storage.row(row, equals: pending, plans: plans) {
            return true
        }
        collidingRowsByHash[hash, default: []].append(newRow)
        return false
    }
}

/// Row tallies kept while validating.
private struct Counters: Sendable {
    var read = 0
    var droppedMissing = 0
    var droppedDuplicate = 0
    var invalid = 0
}
