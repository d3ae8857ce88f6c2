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
///
/// The fast path, ``addRow(_:fieldStarts:fieldEnds:at:)``, reads fields as ranges of the
/// file's bytes: no string or buffer per value. A text value already seen in its column costs
/// one table probe (its cleaned form and code are remembered); numbers are parsed from bytes.
public struct RowValidator: Sendable {
    private let options: CleaningOptions
    let plans: [ColumnPlan]
    /// Field position → schema column index (or ``HeaderMapping/ignoredField``).
    private let columnForField: [Int]
    /// Optional columns the header lacks: `NULL` in every row (`missing_columns: null`).
    private let absentColumns: [Int]
    var store = ColumnStore()
    private var counts = Counters()
    private var issues: [ValidationIssue] = []
    private var issueCountsByRule: [ValidationIssue.Rule: Int] = [:]
    private var issueCountsByCode: [ValidationIssue.Code: Int] = [:]
    private var totalIssues = 0
    /// Null tokens as bytes, compared to trimmed values.
    private let nullTokens: [[UInt8]]
    /// The common case, the empty value only: a blank check, no comparison.
    private let nullTokensAreOnlyEmpty: Bool
    /// Per column: which accepted rows are valid (`nil` until the column's first `NULL`).
    private var validity: [[Bool]?]
    /// Per column: whether the row being validated holds `NULL` there.
    private var nullInRow: [Bool]
    /// The columns set in ``nullInRow``, to reset them cheaply.
    private var nullColumns: [Int] = []
    /// Where the row being validated sits, for issues.
    private var location = RowLocation(line: 0, record: 0, byteOffset: 0)
    /// The issues the current row reported so far, so a dropped row can take them back.
    private var rowIssues: [(rule: ValidationIssue.Rule, code: ValidationIssue.Code, kept: Bool)] = []
    /// Row hash → index of the first accepted row with that hash.
    private var firstRowByHash: [Int: Int] = [:]
    /// Row hash → further accepted rows sharing the hash (true collisions only).
    private var collidingRowsByHash: [Int: [Int]] = [:]

    /// Prepares to validate rows whose fields are laid out as `header` describes.
    /// - Precondition: `header` maps every column of `schema` exactly once, or lists it as
    ///   absent (as ``Schema/mapHeader(_:)`` guarantees).
    public init(schema: Schema, header: HeaderMapping, options: CleaningOptions = .init()) {
        precondition(
            (header.schemaIndexForField.filter { $0 != HeaderMapping.ignoredField } + header.absentColumns).sorted()
                == Array(schema.columns.indices),
            "the header mapping must cover every schema column exactly once")
        columnForField = header.schemaIndexForField
        absentColumns = header.absentColumns
        self.options = options
        var store = ColumnStore()
        plans = schema.columns.map { ColumnPlan($0, lowercase: options.lowercaseText, store: &store) }
        self.store = store
        nullTokens = options.nullTokens.map { Array($0.utf8) }
        nullTokensAreOnlyEmpty = !options.nullTokens.isEmpty && options.nullTokens.allSatisfy { $0.isEmpty }
        validity = Array(repeating: nil, count: schema.columns.count)
        nullInRow = Array(repeating: false, count: schema.columns.count)
    }

    /// One data row: its fields' raw bytes (already unquoted by the CSV reader) and its 1-based line.
    public mutating func addRow(line: Int, fields: [ArraySlice<UInt8>]) {
        addRow(fields, at: RowLocation(line: line, record: 0, byteOffset: 0))
    }

    /// One data row: its fields' raw bytes (already unquoted by the CSV reader) and where it is.
    /// - Returns: What became of the row, so a caller can keep the rejected rows' original bytes.
    @discardableResult
    public mutating func addRow(_ fields: [ArraySlice<UInt8>], at location: RowLocation) -> RowVerdict {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        for field in fields {
            starts.append(bytes.count)
            bytes.append(contentsOf: field)
            ends.append(bytes.count)
        }
        return addRow(bytes.span, fieldStarts: starts.span, fieldEnds: ends.span, at: location)
    }

    /// One data row given as ranges of a byte buffer: field `i` is
    /// `bytes[fieldStarts[i]..<fieldEnds[i]]`, already unquoted (the CSV reader's zero-copy form).
    /// - Returns: What became of the row, so a caller can keep the rejected rows' original bytes.
    @discardableResult
    public mutating func addRow(
        _ bytes: Span<UInt8>, fieldStarts: Span<Int>, fieldEnds: Span<Int>,
        at location: RowLocation
    ) -> RowVerdict {
        self.location = location
        rowIssues.removeAll(keepingCapacity: true)
        counts.read += 1
        let fieldCount = fieldEnds.count
        let expected = columnForField.count
        guard fieldCount == expected else {
            let rule: ValidationIssue.Rule = fieldCount < expected ? .missingCell : .extraCell
            report(
                column: nil, field: min(fieldCount, expected) + 1, raw: bytes.extracting(0..<0), rule: rule,
                message: "expected \(expected) fields, found \(fieldCount)",
                hint: fieldCount < expected
                    ? "a value or delimiter is missing, or a value holds an unquoted line break"
                    : "a value holds the delimiter without quotes: quote it")
            counts.invalid += 1
            return .rejected
        }
        var valid = true
        var missingRequired = false
        for position in 0..<fieldCount {
            let column = columnForField[position]
            guard column != HeaderMapping.ignoredField else { continue }
            let raw = bytes.extracting(fieldStarts[position]..<fieldEnds[position])
            let trimmed = FieldParser.trimmedRange(raw)
            if isNull(raw.extracting(trimmed)) {
                markNull(column)
                if plans[column].required {
                    missingRequired = true
                    if !options.dropRowsWithMissingValues {
                        let name = plans[column].name
                        report(
                            column: name, field: position + 1, raw: raw, rule: .required,
                            message: "missing value for required column '\(name)'",
                            hint: "fill it in, or mark the column `required: false` in the schema")
                        valid = false
                    }
                }
                continue
            }
            if !clean(raw, trimmed: trimmed, in: bytes, at: fieldStarts[position], column: column, field: position + 1)
            {
                valid = false
            }
        }
        for column in absentColumns { markNull(column) }
        if missingRequired, options.dropRowsWithMissingValues {
            // The old pipeline's dropna(): the row goes, counted, whatever else is wrong with it.
            rollBackIssues()
            discardRow()
            counts.droppedMissing += 1
            return .droppedMissing
        }
        guard valid else {
            discardRow()
            counts.invalid += 1
            return .rejected
        }
        if options.dropDuplicateRows, isDuplicateOfAcceptedRow() {
            discardRow()
            counts.droppedDuplicate += 1
            return .droppedDuplicate
        }
        acceptRow()
        return .accepted
    }

    /// Ends validation and hands over the accepted values and the report.
    public consuming func finish() -> ValidationOutcome {
        ValidationOutcome(
            columns: plans.map { store.column($0.type, slot: $0.slot) },
            sourceLines: store.lines,
            rowsRead: counts.read, rowsDroppedMissing: counts.droppedMissing,
            rowsDroppedDuplicate: counts.droppedDuplicate, rowsInvalid: counts.invalid,
            issues: issues, issueCountsByRule: issueCountsByRule, totalIssues: totalIssues,
            validity: validity, issueCountsByCode: issueCountsByCode)
    }

    // MARK: Rows

    /// Whether a trimmed value is a null token.
    @inline(__always)
    private func isNull(_ trimmed: Span<UInt8>) -> Bool {
        if nullTokensAreOnlyEmpty { return trimmed.isEmpty }
        return nullTokens.contains { token in
            token.count == trimmed.count && token.indices.allSatisfy { token[$0] == trimmed[$0] }
        }
    }

    /// Records a `NULL` in `column` for the row being validated.
    private mutating func markNull(_ column: Int) {
        nullInRow[column] = true
        nullColumns.append(column)
        store.appendNull(plans[column].type, slot: plans[column].slot)
    }

    /// Keeps the row being validated: its `NULL`s go into the validity masks.
    private mutating func acceptRow() {
        let row = store.rowCount
        for column in validity.indices where validity[column] != nil || nullInRow[column] {
            if validity[column] == nil { validity[column] = Array(repeating: true, count: row) }
            validity[column]!.append(!nullInRow[column])
        }
        store.lines.append(location.line)
        clearNulls()
    }

    /// Drops the row being validated.
    private mutating func discardRow() {
        store.discardPartialRow()
        clearNulls()
    }

    private mutating func clearNulls() {
        for column in nullColumns { nullInRow[column] = false }
        nullColumns.removeAll(keepingCapacity: true)
    }

    /// A dropped row is not an error: forget the issues it reported before it was dropped.
    private mutating func rollBackIssues() {
        while let last = rowIssues.popLast() {
            totalIssues -= 1
            issueCountsByRule[last.rule, default: 1] -= 1
            if issueCountsByRule[last.rule] == 0 { issueCountsByRule[last.rule] = nil }
            issueCountsByCode[last.code, default: 1] -= 1
            if issueCountsByCode[last.code] == 0 { issueCountsByCode[last.code] = nil }
            if last.kept { issues.removeLast() }
        }
    }

    // MARK: Values

    /// Cleans one value and appends it to its column; returns `false` after reporting why the
    /// raw value is not acceptable.
    @inline(__always)
    /// `raw` is `buffer[rawStart...]` (the whole buffer lets short values load as one word).
    private mutating func clean(
        _ raw: Span<UInt8>, trimmed: Range<Int>, in buffer: Span<UInt8>, at rawStart: Int,
        column: Int, field: Int
    ) -> Bool {
        let slot = plans[column].slot
        let bytes = raw.extracting(trimmed)
        switch plans[column].type {
        case .text:
            let key = ShortText(buffer, offset: rawStart + trimmed.lowerBound, count: trimmed.count)
            if let key, let code = store.dictionaries[slot].cachedCode(forRaw: key) {
                store.textCodes[slot].append(code)
                return true
            }
            return cleanNewText(raw, trimmed: trimmed, key: key, column: column, field: field)
        case .integer where !plans[column].plainNumbers, .real where !plans[column].plainNumbers:
            return cleanFormattedNumber(raw, trimmed: trimmed, column: column, field: field)
        case .date, .timestamp, .boolean:
            return cleanTypedValue(raw, trimmed: trimmed, column: column, field: field)
        case .integer:
            if case .value(let value) = FieldParser.parseInteger(bytes) {
                let number = Double(value)
                let inBounds = number >= plans[column].lowerBound && number <= plans[column].upperBound
                // Out of bounds or with an allowed list: the full check, which reports.
                if inBounds && plans[column].allowed == nil
                    || checkNumber(number, text: String(value), raw: raw, column: column, field: field)
                {
                    store.integers[slot].append(value)
                    return true
                }
            }
            return reportBadInteger(raw, trimmed: trimmed, column: column, field: field)
        case .real:
            guard let value = FieldParser.parseReal(bytes) else {
                return reportBadNumber(raw, trimmed: trimmed, column: column, field: field)
            }
            guard checkNumber(value, text: formatNumber(value), raw: raw, column: column, field: field) else {
                return false
            }
            store.reals[slot].append(value)
            return true
        }
    }

    /// A text value not seen before in its column: decode, lower-case, check, and remember.
    private mutating func cleanNewText(
        _ raw: Span<UInt8>, trimmed: Range<Int>, key: ShortText?, column: Int, field: Int
    ) -> Bool {
        let plan = plans[column]
        let bytes = raw.extracting(trimmed)
        guard var text = FieldParser.string(validating: bytes) else {
            report(
                column: plan.name, field: field, raw: raw, rule: .encoding,
                message: "value is not valid UTF-8 in column '\(plan.name)'", hint: Self.notUTF8)
            return false
        }
        if plan.lowercase { text = text.lowercased() }
        if let limit = plan.maxLength, text.utf8.count > limit, text.count > limit {
            report(
                column: plan.name, field: field, raw: raw, rule: .maxLength,
                message:
                    "value '\(FieldParser.display(bytes))' is \(text.count) characters long, above the maximum length \(limit) for column '\(plan.name)'",
                hint: "shorten it to at most \(limit) characters, or raise max_length in the schema")
            return false
        }
        if let allowed = plan.allowed, !allowed.contains(text) {
            report(
                column: plan.name, field: field, raw: raw, rule: .allowed,
                message:
                    "value '\(FieldParser.display(bytes))' is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'",
                hint: "use one of: \(plan.allowedList)")
            return false
        }
        let code = store.dictionaries[plan.slot].code(for: text)
        if let key { store.dictionaries[plan.slot].remember(raw: key, code: code) }
        store.textCodes[plan.slot].append(code)
        return true
    }

    static let notUTF8 = "save the file as UTF-8, or configure its encoding"

    /// Reports why a value of an integer column is not acceptable; returns `false`.
    private mutating func reportBadInteger(_ raw: Span<UInt8>, trimmed: Range<Int>, column: Int, field: Int) -> Bool {
        let plan = plans[column]
        let bytes = raw.extracting(trimmed)
        switch FieldParser.parseInteger(bytes) {
        case .value:
            return false  // a rule of checkNumber failed and was reported
        case .overflow:
            report(
                column: plan.name, field: field, raw: raw, rule: .type,
                message:
                    "value \(FieldParser.display(bytes)) does not fit in a 64-bit integer for column '\(plan.name)'",
                hint:
                    "integers range from -9223372036854775808 to 9223372036854775807; use a real column for larger numbers"
            )
            return false
        case .notAnInteger:
            if bytes.isEmpty { return reportBadNumber(raw, trimmed: trimmed, column: column, field: field) }
            guard FieldParser.isValidUTF8(bytes) else {
                report(
                    column: plan.name, field: field, raw: raw, rule: .encoding,
                    message: "value is not valid UTF-8 in column '\(plan.name)'", hint: Self.notUTF8)
                return false
            }
            report(
                column: plan.name, field: field, raw: raw, rule: .type,
                message: "value '\(FieldParser.display(bytes))' is not an integer for column '\(plan.name)'",
                hint: "write a whole number such as 17, without decimals or units")
            return false
        }
    }

    /// Reports a number field that is empty or not UTF-8 (the problems every number format
    /// shares); returns whether it was one of them.
    mutating func reportEmptyOrNotUTF8(_ bytes: Span<UInt8>, raw: Span<UInt8>, plan: ColumnPlan, field: Int) -> Bool {
        if bytes.isEmpty {
            report(
                column: plan.name, field: field, raw: raw, rule: .type,
                message: "missing value for \(plan.type.rawValue) column '\(plan.name)'",
                hint: "fill in a number, or list the empty value in null_tokens")
            return true
        }
        guard FieldParser.isValidUTF8(bytes) else {
            report(
                column: plan.name, field: field, raw: raw, rule: .encoding,
                message: "value is not valid UTF-8 in column '\(plan.name)'", hint: Self.notUTF8)
            return true
        }
        return false
    }

    /// Reports why a value of a real column (or an empty number) is not acceptable; returns `false`.
    private mutating func reportBadNumber(_ raw: Span<UInt8>, trimmed: Range<Int>, column: Int, field: Int) -> Bool {
        let plan = plans[column]
        let bytes = raw.extracting(trimmed)
        if !reportEmptyOrNotUTF8(bytes, raw: raw, plan: plan, field: field) {
            report(
                column: plan.name, field: field, raw: raw, rule: .type,
                message: "value '\(FieldParser.display(bytes))' is not a finite number for column '\(plan.name)'",
                hint:
                    "write a decimal number such as 2.5 (a point, no thousands separators); 1e309 and inf are out of range"
            )
        }
        return false
    }

    /// Checks bounds and allowed values of a parsed number; reports and returns false on failure.
    /// Date and timestamp bounds are shown as ISO text.
    /// - Complexity: no allocation unless the value fails a rule or the column has an `allowed` list:
    ///   the value's text and the messages are only built then.
    mutating func checkNumber(
        _ value: Double, text: @autoclosure () -> String, raw: Span<UInt8>,
        column: Int, field: Int
    ) -> Bool {
        let plan = plans[column]
        let show = { (bound: Double) in
            plan.type.isTemporal ? displayBound(bound, type: plan.type) : formatNumber(bound)
        }
        func range() -> String { "\(plan.minimum.map(show) ?? "…")–\(plan.maximum.map(show) ?? "…")" }
        if let minimum = plan.minimum, value < minimum {
            report(
                column: plan.name, field: field, raw: raw, rule: .minimum,
                message: "value \(text()) is below the minimum \(show(minimum)) for column '\(plan.name)'",
                hint: "the schema allows \(range())")
            return false
        }
        if let maximum = plan.maximum, value > maximum {
            report(
                column: plan.name, field: field, raw: raw, rule: .maximum,
                message: "value \(text()) is above the maximum \(show(maximum)) for column '\(plan.name)'",
                hint: "the schema allows \(range())")
            return false
        }
        if let allowed = plan.allowed, case let shown = text(), !allowed.contains(shown) {
            report(
                column: plan.name, field: field, raw: raw, rule: .allowed,
                message:
                    "value \(shown) is not one of the allowed values (\(plan.allowedList)) for column '\(plan.name)'",
                hint: "use one of: \(plan.allowedList)")
            return false
        }
        return true
    }

    /// Counts an issue and keeps it in full while under the cap (building the message only then).
    mutating func report(
        column: String?, field: Int, raw: Span<UInt8>, rule: ValidationIssue.Rule,
        message: @autoclosure () -> String, hint: @autoclosure () -> String
    ) {
        totalIssues += 1
        issueCountsByRule[rule, default: 0] += 1
        let code = rule.code
        issueCountsByCode[code, default: 0] += 1
        let kept = issues.count < options.maxReportedIssues
        rowIssues.append((rule: rule, code: code, kept: kept))
        guard kept else { return }
        let hint = hint()
        issues.append(
            ValidationIssue(
                code: code, rule: rule, line: location.line, record: location.record, byteOffset: location.byteOffset,
                column: column, field: field, value: column == nil ? nil : FieldParser.display(raw), message: message(),
                hint: hint.isEmpty ? nil : hint))
    }

    // MARK: Duplicates

    /// True when the row being validated equals an accepted row; otherwise registers it as the
    /// next one. The row's values are already in the store, one past the accepted rows.
    private mutating func isDuplicateOfAcceptedRow() -> Bool {
        let newRow = store.rowCount
        var hasher = Hasher()
        store.hashRow(newRow, plans: plans, isNull: { nullInRow[$0] }, into: &hasher)
        let hash = hasher.finalize()
        let isNull = { (column: Int, row: Int) -> Bool in
            row == newRow ? nullInRow[column] : validity[column].map { !$0[row] } ?? false
        }
        guard let first = firstRowByHash[hash] else {
            firstRowByHash[hash] = newRow
            return false
        }
        if store.row(first, equals: newRow, plans: plans, isNull: isNull) { return true }
        for row in collidingRowsByHash[hash, default: []]
        where store.row(row, equals: newRow, plans: plans, isNull: isNull) {
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
