/// Cleans and validates data rows against a ``Schema``, accumulating the accepted values
/// column by column.
///
/// Per value: ASCII whitespace is trimmed; a null token (by default only the empty value) is a
/// missing value: `NULL` in an optional column, and in a required one it drops the whole row
/// (counted) when ``CleaningOptions/dropRowsWithMissingValues`` is on, or is a `required`
/// issue when it is off; this happens before any other rule. The bytes must be
/// valid UTF-8 (`encoding`); integers are an optional sign and digits fitting `Int64`, reals
/// finite decimals (`type`); text is lower-cased, then checked for `max-length` and `allowed`;
/// numbers are checked for `minimum`, `maximum` and `allowed` (canonical text). Each value
/// reports at most one issue. A row with too few or too many fields reports one `missing-cell`
/// or `extra-cell` issue. Rows with any issue are rejected; among the valid rows, exact repeats of an earlier
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
    private var issueCountsByCode: [String: Int] = [:]
    private var totalIssues = 0
    /// Null tokens as bytes, compared to trimmed values.
    private let nullTokens: [[UInt8]]
    /// The common case, the empty value only: a blank check, no comparison.
    private let nullTokensAreOnlyEmpty: Bool
    /// Per column: which accepted rows are valid (`nil` until the column's first `NULL`).
    private var validity: [[Bool]?]
    /// Where the row being validated sits, for issues.
    private var location = RowLocation(line: 0, record: 0, byteOffset: 0)
    /// Per column: raw text (trimmed, ≤ 24 bytes) already cleaned and found valid → its cleaned
    /// value. Categorical columns repeat a handful of values; this skips decoding, lower-casing
    /// and the rule checks for all but the first of each. Capped, so hostile input cannot grow it.
    private var textCache: [[ShortText: String]]
    private static let textCacheLimit = 1_024
    /// The issues the current row reported so far, so a dropped row can take them back.
    private var rowIssues: [(rule: String, code: String, kept: Bool)] = []
    /// Row hash → index of the first accepted row with that hash.
    private var firstRowByHash: [Int: Int] = [:]
    /// Row hash → further accepted rows sharing the hash (true collisions only).
    private var collidingRowsByHash: [Int: [Int]] = [:]

    /// Prepares to validate rows whose fields are laid out as `header` describes.
    /// - Precondition: `header` maps every column of `schema` exactly once (as
    ///   ``Schema/mapHeader(_:)`` guarantees).
    public init(schema: Schema, header: HeaderMapping, options: CleaningOptions = .init()) {
        precondition(header.schemaIndexForField.filter { $0 != HeaderMapping.ignoredField }.sorted() == Array(schema.columns.indices),
                     "the header mapping must cover every schema column exactly once")
        self.header = header
        self.options = options
        var storage = RowStorage()
        plans = schema.columns.map { ColumnPlan($0, lowercase: options.lowercaseText, storage: &storage) }
        self.storage = storage
        pending = Array(repeating: .integer(0), count: schema.columns.count)
        nullTokens = options.nullTokens.map { Array($0.utf8) }
        nullTokensAreOnlyEmpty = !options.nullTokens.isEmpty && options.nullTokens.allSatisfy { $0.isEmpty }
        validity = Array(repeating: nil, count: schema.columns.count)
        textCache = Array(repeating: [:], count: schema.columns.count)
    }

    /// One data row: its fields' raw bytes (already unquoted by the CSV reader) and its 1-based line.
    public mutating func addRow(line: Int, fields: [ArraySlice<UInt8>]) {
        addRow(fields, at: RowLocation(line: line, record: 0, byteOffset: 0))
    }

    /// One data row: its fields' raw bytes (already unquoted by the CSV reader) and where it is.
    /// - Returns: What became of the row, so a caller can keep the rejected rows' original bytes.
    @discardableResult
    public mutating func addRow(_ fields: [ArraySlice<UInt8>], at location: RowLocation) -> RowVerdict {
        self.location = location
        rowIssues.removeAll(keepingCapacity: true)
        counts.read += 1
        let expected = header.fieldCount
        guard fields.count == expected else {
            let rule = fields.count < expected ? "missing-cell" : "extra-cell"
            report(column: "", field: min(fields.count, expected) + 1, raw: [], rule: rule,
                   message: "expected \(expected) fields, found \(fields.count)",
                   hint: fields.count < expected
                       ? "a value or delimiter is missing, or a value holds an unquoted line break"
                       : "a value holds the delimiter without quotes: quote it")
            counts.invalid += 1
            return .rejected
        }
        var valid = true
        var missingRequired = false
        for (position, raw) in fields.enumerated() {
            let index = header.schemaIndexForField[position]
            guard index != HeaderMapping.ignoredField else { continue }
            if isNull(raw) {
                pending[index] = .null
                if plans[index].required {
                    missingRequired = true
                    if !options.dropRowsWithMissingValues {
                        let name = plans[index].name
                        report(column: name, field: position + 1, raw: raw, rule: "required",
                               message: "missing value for required column '\(name)'",
                               hint: "fill it in, or mark the column `required: false` in the schema")
                        valid = false
                    }
                }
                continue
            }
            if let value = clean(raw, plan: plans[index], column: index, field: position + 1) {
                pending[index] = value
            } else {
                valid = false
            }
        }
        if missingRequired, options.dropRowsWithMissingValues {
            // The old pipeline's dropna(): the row goes, counted, whatever else is wrong with it.
            rollBackIssues(ofRowStartingAt: location)
            counts.droppedMissing += 1
            return .droppedMissing
        }
        guard valid else {
            counts.invalid += 1
            return .rejected
        }
        if options.dropDuplicateRows, isDuplicateOfAcceptedRow() {
            counts.droppedDuplicate += 1
            return .droppedDuplicate
        }
        let rowIndex = storage.lines.count
        for (index, plan) in plans.enumerated() {
            if case .null = pending[index] {
                if validity[index] == nil { validity[index] = Array(repeating: true, count: rowIndex) }
                validity[index]!.append(false)
            } else {
                validity[index]?.append(true)
            }
            storage.append(pending[index], slot: plan.slot, type: plan.type)
        }
        storage.lines.append(location.line)
        return .accepted
    }

    /// Whether a field is a null token once trimmed.
    private func isNull(_ raw: ArraySlice<UInt8>) -> Bool {
        if nullTokensAreOnlyEmpty { return FieldParser.isBlank(raw) }
        let trimmed = FieldParser.trim(raw)
        return nullTokens.contains { $0.elementsEqual(trimmed) }
    }

    /// A dropped row is not an error: forget the issues it reported before it was dropped.
    private mutating func rollBackIssues(ofRowStartingAt location: RowLocation) {
        while let last = rowIssues.popLast() {
            totalIssues -= 1
            issueCountsByRule[last.rule, default: 1] -= 1
            if issueCountsByRule[last.rule] == 0 { issueCountsByRule[last.rule] = nil }
            issueCountsByCode[last.code, default: 1] -= 1
            if issueCountsByCode[last.code] == 0 { issueCountsByCode[last.code] = nil }
            if last.kept { issues.removeLast() }
        }
    }

    /// Ends validation and hands over the accepted values and the report.
    public consuming func finish() -> ValidationOutcome {
        ValidationOutcome(
            columns: plans.map { storage.column($0.type, slot: $0.slot) },
            sourceLines: storage.lines,
            rowsRead: counts.read, rowsDroppedMissing: counts.droppedMissing,
            rowsDroppedDuplicate: counts.droppedDuplicate, rowsInvalid: counts.invalid,
            issues: issues, issueCountsByRule: issueCountsByRule, totalIssues: totalIssues,
            validity: validity, issueCountsByCode: issueCountsByCode)
    }

    // MARK: Values

    /// The cleaned value, or `nil` after reporting why the raw value is not acceptable.
    private mutating func clean(_ raw: ArraySlice<UInt8>, plan: ColumnPlan, column: Int, field: Int) -> CleanValue? {
        let bytes = FieldParser.trim(raw)
        let cacheKey = plan.type == .text ? ShortText(bytes) : nil
        if let cacheKey, let cleaned = textCache[column][cacheKey] {
            return .text(cleaned)
        }
        func fail(_ rule: String, _ message: @autoclosure () -> String, hint: @autoclosure () -> String) -> CleanValue? {
            report(column: plan.name, field: field, raw: raw, rule: rule, message: message(), hint: hint())
            return nil
        }
        func shown() -> String { FieldParser.display(bytes) }

        if plan.type != .text, bytes.isEmpty {
            return fail("type", "missing value for \(plan.type.rawValue) column '\(plan.name)'",
                        hint: "fill in a number, or list the empty value in null_tokens")
        }
        let notUTF8 = "save the file as UTF-8, or configure its encoding"
        switch plan.type {
        case .integer:
            switch FieldParser.parseInteger(bytes) {
            case .value(let value):
                return checkNumber(Double(value), text: String(value), raw: raw, plan: plan, field: field)
                    ? .integer(value) : nil
            case .overflow:
                return fail("type", "value \(shown()) does not fit in a 64-bit integer for column '\(plan.name)'",
                            hint: "integers range from -9223372036854775808 to 9223372036854775807; use a real column for larger numbers")
            case .notAnInteger:
                guard FieldParser.isValidUTF8(bytes) else {
                    return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'", hint: notUTF8)
                }
                return fail("type", "value '\(shown())' is not an integer for column '\(plan.name)'",
                            hint: "write a whole number such as 17, without decimals or units")
            }
        case .real:
            guard let value = FieldParser.parseReal(bytes) else {
                guard FieldParser.isValidUTF8(bytes) else {
                    return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'", hint: notUTF8)
                }
                return fail("type", "value '\(shown())' is not a finite number for column '\(plan.name)'",
                            hint: "write a decimal number such as 2.5 (a point, no thousands separators); 1e309 and inf are out of range")
            }
            return checkNumber(value, text: formatNumber(value), raw: raw, plan: plan, field: field) ? .real(value) : nil
        case .text:
            guard var text = String(validating: bytes, as: UTF8.self) else {
                return fail("encoding", "value is not valid UTF-8 in column '\(plan.name)'", hint: notUTF8)
            }
            if plan.lowercase { text = text.lowercased() }
            if let limit = plan.maxLength, text.utf8.count > limit, text.count > limit {
                return fail("max-length", "value '\(shown())' is \(text.count) characters long, above the maximum length \(limit) for column '\(plan.name)'",
                            hint: "shorten it to at most \(limit) characters, or raise max_length in the schema")
            }
            if let allowed = plan.allowed, !allowed.contains(text) {
                return fail("allowed", "value '\(shown())' is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'",
                            hint: "use one of: \(plan.allowedList)")
            }
            if let cacheKey, textCache[column].count < Self.textCacheLimit {
                textCache[column][cacheKey] = text
            }
            return .text(text)
        }
    }

    /// Checks bounds and allowed values of a parsed number; reports and returns false on failure.
    /// - Complexity: no allocation unless the value fails a rule or the column has an `allowed` list:
    ///   the value's text and the messages are only built then.
    private mutating func checkNumber(_ value: Double, text: @autoclosure () -> String, raw: ArraySlice<UInt8>,
                                      plan: ColumnPlan, field: Int) -> Bool {
        func range() -> String { "\(plan.minimum.map(formatNumber) ?? "…")–\(plan.maximum.map(formatNumber) ?? "…")" }
        if let minimum = plan.minimum, value < minimum {
            report(column: plan.name, field: field, raw: raw, rule: "minimum",
                   message: "value \(text()) is below the minimum \(formatNumber(minimum)) for column '\(plan.name)'",
                   hint: "the schema allows \(range())")
            return false
        }
        if let maximum = plan.maximum, value > maximum {
            report(column: plan.name, field: field, raw: raw, rule: "maximum",
                   message: "value \(text()) is above the maximum \(formatNumber(maximum)) for column '\(plan.name)'",
                   hint: "the schema allows \(range())")
            return false
        }
        if let allowed = plan.allowed, case let shown = text(), !allowed.contains(shown) {
            report(column: plan.name, field: field, raw: raw, rule: "allowed",
                   message: "value \(shown) is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'",
                   hint: "use one of: \(plan.allowedList)")
            return false
        }
        return true
    }

    /// Counts an issue and keeps it in full while under the cap (building the message only then).
    private mutating func report(column: String, field: Int, raw: ArraySlice<UInt8>, rule: String,
                                 message: @autoclosure () -> String, hint: @autoclosure () -> String) {
        totalIssues += 1
        issueCountsByRule[rule, default: 0] += 1
        let code = ValidationIssue.code(forRule: rule)
        issueCountsByCode[code, default: 0] += 1
        let kept = issues.count < options.maxReportedIssues
        rowIssues.append((rule: rule, code: code, kept: kept))
        guard kept else { return }
        issues.append(ValidationIssue(
            line: location.line, record: location.record, byteOffset: location.byteOffset, column: column, field: field,
            value: FieldParser.display(raw), code: code, rule: rule, message: message(), hint: hint()))
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
        if storage.row(first, equals: pending, plans: plans, validity: validity) { return true }
        for row in collidingRowsByHash[hash, default: []] where storage.row(row, equals: pending, plans: plans, validity: validity) {
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
