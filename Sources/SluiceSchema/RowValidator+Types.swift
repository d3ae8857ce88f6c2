/// Cleaning of the values whose spelling the schema declares: dates, timestamps, booleans, and
/// numbers written with a decimal comma or thousands separators.
extension RowValidator {
    /// A number of a column with `decimal_separator` or `thousands_separator`.
    mutating func cleanFormattedNumber(_ raw: Span<UInt8>, trimmed: Range<Int>, column: Int, field: Int) -> Bool {
        let plan = plans[column]
        let bytes = raw.extracting(trimmed)
        if let plain = NumberNormalizer.plain(
            bytes, decimal: plan.reading.format.decimalSeparator, thousands: plan.reading.format.thousandsSeparator)
        {
            let span = plain.span
            if plan.type == .integer {
                if case .value(let value) = FieldParser.parseInteger(span) {
                    guard checkNumber(Double(value), text: String(value), raw: raw, column: column, field: field) else {
                        return false
                    }
                    store.integers[plan.slot].append(value)
                    return true
                }
            } else if let value = FieldParser.parseReal(span) {
                guard checkNumber(value, text: formatNumber(value), raw: raw, column: column, field: field) else {
                    return false
                }
                store.reals[plan.slot].append(value)
                return true
            }
        }
        let written = Self.separatorDescription(plan.reading.format)
        if !reportEmptyOrNotUTF8(bytes, raw: raw, plan: plan, field: field) {
            let kind = plan.type == .integer ? "an integer" : "a number"
            report(
                column: plan.name, field: field, raw: raw, rule: .type,
                message:
                    "value '\(FieldParser.display(bytes))' is not \(kind) written with \(written) for column '\(plan.name)'",
                hint:
                    "write it like \(Self.example(plan)), or change decimal_separator / thousands_separator in the schema"
            )
        }
        return false
    }

    /// A value of a date, timestamp or boolean column.
    mutating func cleanTypedValue(_ raw: Span<UInt8>, trimmed: Range<Int>, column: Int, field: Int) -> Bool {
        let plan = plans[column]
        let bytes = raw.extracting(trimmed)
        var parsed: Int64?
        switch plan.type {
        case .boolean: parsed = Self.boolean(bytes, plan: plan)
        case .date: parsed = plan.reading.pattern?.days(bytes)
        default: parsed = plan.reading.pattern?.microseconds(bytes)
        }
        if let value = parsed {
            if plan.type.isTemporal, plan.minimum != nil || plan.maximum != nil {
                let shown = {
                    plan.type == .date
                        ? CalendarValue.isoDate(days: value) : CalendarValue.isoTimestamp(microseconds: value)
                }
                guard checkNumber(Double(value), text: shown(), raw: raw, column: column, field: field) else {
                    return false
                }
            }
            store.integers[plan.slot].append(value)
            return true
        }
        guard FieldParser.isValidUTF8(bytes) else {
            report(
                column: plan.name, field: field, raw: raw, rule: .encoding,
                message: "value is not valid UTF-8 in column '\(plan.name)'", hint: Self.notUTF8)
            return false
        }
        let shown = FieldParser.display(bytes)
        switch plan.type {
        case .boolean:
            let truths = plan.reading.format.trueValues.joined(separator: ", "),
                falsehoods = plan.reading.format.falseValues.joined(separator: ", ")
            report(
                column: plan.name, field: field, raw: raw, rule: .boolean,
                message:
                    "value '\(shown)' is not a boolean for column '\(plan.name)' (true: \(truths); false: \(falsehoods))",
                hint: "write one of those, or list the file's spellings in true_values / false_values")
        case .date:
            let format = plan.reading.format.temporalPattern ?? "%Y-%m-%d"
            report(
                column: plan.name, field: field, raw: raw, rule: .date,
                message: "value '\(shown)' is not a date in the format \(format) for column '\(plan.name)'",
                hint: plan.reading.format.temporalPattern == nil
                    ? "write dates as 2012-01-31 (ISO 8601), or declare the file's format, e.g. format: \"%d/%m/%Y\""
                    : "check the day and month, or change the column's format")
        default:
            let format = plan.reading.format.temporalPattern ?? "ISO 8601 (2012-01-31 13:45:00)"
            report(
                column: plan.name, field: field, raw: raw, rule: .timestamp,
                message: "value '\(shown)' is not a timestamp in the format \(format) for column '\(plan.name)'",
                hint: plan.reading.format.temporalPattern == nil
                    ? "write timestamps as 2012-01-31 13:45:00 or 2012-01-31T13:45:00 (no time zone), or declare the format, e.g. format: \"%d.%m.%Y %H:%M\""
                    : "check the date and time, or change the column's format")
        }
        return false
    }

    /// 1 or 0 when `bytes` is one of the column's spellings (ASCII letters compared without case).
    private static func boolean(_ bytes: Span<UInt8>, plan: ColumnPlan) -> Int64? {
        func matches(_ word: [UInt8]) -> Bool {
            guard word.count == bytes.count else { return false }
            for index in word.indices {
                var byte = bytes[index]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
                if byte != word[index] { return false }
            }
            return true
        }
        if plan.reading.trueSpellings.contains(where: matches) { return 1 }
        if plan.reading.falseSpellings.contains(where: matches) { return 0 }
        return nil
    }

    private static func separatorDescription(_ format: ValueFormat) -> String {
        let decimal = "decimal separator '\(Character(Unicode.Scalar(format.decimalSeparator)))'"
        guard let thousands = format.thousandsSeparator else { return decimal }
        return decimal + " and thousands separator '\(Character(Unicode.Scalar(thousands)))'"
    }

    private static func example(_ plan: ColumnPlan) -> String {
        let decimal = String(Character(Unicode.Scalar(plan.reading.format.decimalSeparator)))
        let thousands = plan.reading.format.thousandsSeparator.map { String(Character(Unicode.Scalar($0))) } ?? ""
        return plan.type == .integer ? "1\(thousands)234" : "1\(thousands)234\(decimal)5"
    }
}

/// A column's value format, compiled once: the date pattern and the boolean spellings as bytes.
final class ValueReading: Sendable {
    /// The format as the schema declares it.
    let format: ValueFormat
    /// The compiled date or timestamp pattern, for those types.
    let pattern: TemporalPattern?
    /// Boolean spellings as lower-cased bytes.
    let trueSpellings: [[UInt8]]
    let falseSpellings: [[UInt8]]

    init(_ column: ColumnSchema) {
        let format = column.valueFormat
        self.format = format
        pattern =
            switch column.type {
            case .date:
                format.temporalPattern.flatMap { try? TemporalPattern.compile($0, forTimestamp: false).get() }
                    ?? .isoDate
            case .timestamp:
                format.temporalPattern.flatMap { try? TemporalPattern.compile($0, forTimestamp: true).get() }
                    ?? .isoTimestamp
            default: nil
            }
        trueSpellings = format.trueValues.map { Array($0.lowercased().utf8) }
        falseSpellings = format.falseValues.map { Array($0.lowercased().utf8) }
    }
}
