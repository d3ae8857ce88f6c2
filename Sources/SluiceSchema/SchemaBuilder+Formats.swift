/// The schema keys for how values are written (dates, booleans, number separators) and for
/// headers that differ from the schema (`extra_columns`, `missing_columns`).
extension SchemaBuilder {
    /// Column keys describing how values are written.
    static let formatKeys = ["format", "true_values", "false_values"] + numberFormatKeys
    /// Keys for number separators, per column or at the top level (the default for every number column).
    static let numberFormatKeys = ["decimal_separator", "thousands_separator"]
    /// Top-level keys for header differences.
    static let headerPolicyKeys = ["extra_columns", "missing_columns"]

    /// The number separators in `entries`, starting from `defaults`.
    func numberFormat(_ entries: [String: YAMLPair], defaults: ValueFormat, context: String) throws(SchemaError)
        -> ValueFormat
    {
        var format = defaults
        if let entry = entries["decimal_separator"] {
            format.decimalSeparator = try separator(
                entry.value, what: "'decimal_separator' \(context)", allowed: Array(".,".utf8))
        }
        if let entry = entries["thousands_separator"] {
            format.thousandsSeparator =
                entry.value.isNull
                ? nil
                : try separator(
                    entry.value, what: "'thousands_separator' \(context)", allowed: ValueFormat.separatorCharacters)
        }
        if let thousands = format.thousandsSeparator, thousands == format.decimalSeparator {
            let node = entries["thousands_separator"]?.value ?? entries["decimal_separator"]!.value
            throw error(
                .conflict, at: node,
                "the thousands separator and the decimal separator are both '\(Character(Unicode.Scalar(thousands)))' \(context)"
            )
        }
        return format
    }

    /// The value format of a column spec: keys checked against the column's type.
    func valueFormat(_ entries: [String: YAMLPair], type: ColumnType, name: String, numbers: ValueFormat)
        throws(SchemaError) -> ValueFormat
    {
        func refuse(_ key: String, _ applies: String) throws(SchemaError) {
            if let entry = entries[key] {
                throw error(
                    at: entry.key, "'\(key)' applies to \(applies) columns only; column '\(name)' is \(type.rawValue)")
            }
        }
        if !type.isTemporal { try refuse("format", "date and timestamp") }
        if type != .boolean {
            try refuse("true_values", "boolean")
            try refuse("false_values", "boolean")
        }
        if !type.isNumeric {
            for key in Self.numberFormatKeys { try refuse(key, "integer and real") }
            var format = ValueFormat()
            if let entry = entries["format"] {
                let pattern = try text(entry.value, what: "a format such as \"%Y/%m/%d\" for column '\(name)'")
                if case .failure(let problem) = TemporalPattern.compile(pattern, forTimestamp: type == .timestamp) {
                    throw error(
                        at: entry.value, "cannot use format '\(pattern)' for column '\(name)': \(problem.message)")
                }
                format.temporalPattern = pattern
            }
            if type == .boolean {
                format.trueValues = try spellings(entries["true_values"], name: name) ?? format.trueValues
                format.falseValues = try spellings(entries["false_values"], name: name) ?? format.falseValues
                let overlap = Set(format.trueValues).intersection(format.falseValues)
                if let word = overlap.sorted().first,
                    let node = entries["false_values"]?.value ?? entries["true_values"]?.value
                {
                    throw error(.conflict, at: node, "'\(word)' is both a true and a false value for column '\(name)'")
                }
            }
            return format
        }
        return try numberFormat(entries, defaults: numbers, context: "for column '\(name)'")
    }

    /// A bound of a date or timestamp column, written in ISO 8601, as days or microseconds.
    func temporalBound(_ node: YAMLNode, type: ColumnType, what: String) throws(SchemaError) -> Double {
        let raw = node.scalarText?.trimmingWhitespace() ?? ""
        let value = type == .date ? CalendarValue.days(iso: raw) : CalendarValue.microseconds(iso: raw)
        guard let value else {
            let example = type == .date ? "2012-01-31" : "2012-01-31 13:45:00"
            throw error(
                at: node,
                "expected an ISO 8601 \(type.rawValue) such as \(example) for \(what), found \(node.kindDescription)")
        }
        return Double(value)
    }

    /// `extra_columns` and `missing_columns`.
    func applyHeaderPolicy(_ entries: [String: YAMLPair], to policy: inout SchemaPolicy) throws(SchemaError) {
        if let entry = entries["extra_columns"] {
            let raw = try text(entry.value, what: "reject or ignore")
            guard let value = ExtraColumnsPolicy(rawValue: raw) else {
                throw error(at: entry.value, "expected reject or ignore for 'extra_columns', found '\(raw)'")
            }
            policy.extraColumns = value
        }
        if let entry = entries["missing_columns"] {
            // `null` written plainly is YAML's null: read the word as written.
            let raw = entry.value.scalarText?.trimmingWhitespace() ?? ""
            guard let value = MissingColumnsPolicy(rawValue: raw.lowercased()) else {
                throw error(
                    at: entry.value,
                    "expected reject or null for 'missing_columns', found \(entry.value.kindDescription)")
            }
            policy.missingColumns = value
        }
    }

    private func separator(_ node: YAMLNode, what: String, allowed: [UInt8]) throws(SchemaError) -> UInt8 {
        let choices = allowed.map { "'\(Character(Unicode.Scalar($0)))'" }.joined(separator: ", ")
        guard case .scalar(let raw, _) = node.content, raw.utf8.count == 1, let byte = raw.utf8.first,
            allowed.contains(byte)
        else {
            throw error(at: node, "expected one of \(choices) for \(what), found \(node.kindDescription)")
        }
        return byte
    }

    private func spellings(_ entry: YAMLPair?, name: String) throws(SchemaError) -> [String]? {
        guard let entry else { return nil }
        let key = entry.key.scalarText ?? "values"
        guard case .sequence(let items) = entry.value.content, !items.isEmpty else {
            throw error(at: entry.value, "expected a list of words for '\(key)' of column '\(name)', e.g. [yes, y]")
        }
        var words: [String] = []
        for item in items {
            guard let raw = item.scalarText, !raw.trimmingWhitespace().isEmpty else {
                throw error(at: item, "expected a word in '\(key)' of column '\(name)', found \(item.kindDescription)")
            }
            words.append(raw.trimmingWhitespace().lowercased())
        }
        return words
    }
}

/// A bound of a date or timestamp column as ISO text, for messages.
func displayBound(_ value: Double, type: ColumnType) -> String {
    type == .date ? CalendarValue.isoDate(days: Int64(value)) : CalendarValue.isoTimestamp(microseconds: Int64(value))
}
