/// A column's `labels:`: words for its coded values, shown by charts and pages in place of the
/// codes. Presentation only: values are checked and stored exactly as without labels.
///
/// ```yaml
/// pstatus:   {type: text, allowed: [t, a], labels: {t: living together, a: apart}}
/// famrel:    {type: integer, min: 1, max: 5, labels: {1: very bad, 5: excellent}}
/// schoolsup: {type: boolean, labels: {true: with support, false: without}}
/// ```
extension SchemaBuilder {
    /// The column key.
    static let labelKeys = ["labels"]
    /// Longest label accepted, in characters.
    static let maximumLabelLength = 200

    /// The `labels:` mapping of `column`, keyed by each value in the form the warehouse stores it
    /// (numbers canonical: `01` → `1`, `2.50` → `2.5`; booleans `1`/`0`; text trimmed, as written).
    ///
    /// - Throws: ``SchemaError`` at the offending node for a value that is not a mapping, a key or
    ///   label that is not a single value, a key the column's type cannot hold or its `allowed`
    ///   list does not permit, two keys naming the same value, or a label that is empty, longer
    ///   than ``maximumLabelLength`` or holds control or bidirectional-override characters.
    func valueLabels(_ entry: YAMLPair, column: ColumnSchema) throws(SchemaError) -> [String: String] {
        let name = column.name
        guard column.type.isNumeric || column.type == .text || column.type == .boolean else {
            throw error(
                at: entry.key,
                "'labels' applies to text, integer, real and boolean columns only; column '\(name)' is \(column.type.rawValue)"
            )
        }
        guard case .mapping(let pairs) = entry.value.content else {
            throw error(
                at: entry.value,
                "expected a mapping of value to label for 'labels' of column '\(name)', e.g. {t: together, a: apart}; found \(entry.value.kindDescription)"
            )
        }
        guard !pairs.isEmpty else {
            throw error(at: entry.value, "expected at least one value: label pair in 'labels' of column '\(name)'")
        }
        var labels: [String: String] = [:]
        // Where each value was first labelled, by its folded form (text compares without case).
        var firstLine: [String: (line: Int, written: String)] = [:]
        for pair in pairs {
            let key = try labelledValue(pair.key, column: column)
            let folded = column.type == .text ? key.lowercased() : key
            if let first = firstLine[folded] {
                throw error(
                    .duplicateKey, at: pair.key,
                    "'labels' of column '\(name)' names the value '\(key)' twice ('\(written(pair.key))' here, '\(first.written)' at line \(first.line))"
                )
            }
            firstLine[folded] = (pair.key.line, written(pair.key))
            labels[key] = try label(pair.value, value: key, name: name)
        }
        return labels
    }

    /// A key as written in the file, for messages.
    private func written(_ node: YAMLNode) -> String { node.scalarText?.trimmingWhitespace() ?? "" }

    /// A label key as the stored value it names, checked against the column's type and `allowed`.
    private func labelledValue(_ node: YAMLNode, column: ColumnSchema) throws(SchemaError) -> String {
        let name = column.name
        guard let raw = node.scalarText, !node.isNull else {
            throw error(
                at: node,
                "expected a single value as a key of 'labels' of column '\(name)', found \(node.kindDescription)")
        }
        let trimmed = raw.trimmingWhitespace()
        let key: String
        switch column.type {
        case .text:
            guard !trimmed.isEmpty else {
                throw error(at: node, "expected a value as a key of 'labels' of column '\(name)', found an empty one")
            }
            key = trimmed
        case .integer:
            guard let value = Int64(trimmed) else {
                throw error(at: node, "expected an integer as a key of 'labels' of column '\(name)', found '\(raw)'")
            }
            key = String(value)
        case .real:
            guard let value = Double(trimmed), value.isFinite else {
                throw error(at: node, "expected a number as a key of 'labels' of column '\(name)', found '\(raw)'")
            }
            key = formatNumber(value)
        case .boolean:
            let word = trimmed.lowercased()
            if ["true", "1"].contains(word) || column.valueFormat.trueValues.contains(word) {
                key = "1"
            } else if ["false", "0"].contains(word) || column.valueFormat.falseValues.contains(word) {
                key = "0"
            } else {
                throw error(
                    at: node, "expected true or false as a key of 'labels' of column '\(name)', found '\(raw)'")
            }
        case .date, .timestamp:
            throw error(at: node, "'labels' does not apply to \(column.type.rawValue) column '\(name)'")
        }
        if let allowed = column.allowedValues {
            let permitted =
                column.type == .text
                ? allowed.contains { $0.lowercased() == key.lowercased() } : allowed.contains(key)
            guard permitted else {
                throw error(
                    at: node,
                    "'labels' of column '\(name)' names '\(raw)', which 'allowed' does not permit (allowed: \(allowed.joined(separator: ", ")))"
                )
            }
        }
        return key
    }

    /// A label: one value of plain, printable text.
    private func label(_ node: YAMLNode, value: String, name: String) throws(SchemaError) -> String {
        guard let raw = node.scalarText, !node.isNull else {
            throw error(
                at: node,
                "expected a label (text) for value '\(value)' in 'labels' of column '\(name)', found \(node.kindDescription)"
            )
        }
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else {
            throw error(
                at: node, "expected a label for value '\(value)' in 'labels' of column '\(name)', found an empty one")
        }
        guard text.count <= Self.maximumLabelLength else {
            throw error(
                .limitExceeded, at: node,
                "the label for value '\(value)' in 'labels' of column '\(name)' is \(text.count) characters long; at most \(Self.maximumLabelLength)"
            )
        }
        if let bad = text.unicodeScalars.first(where: Self.isRefusedInLabel) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            throw error(
                at: node,
                "the label for value '\(value)' in 'labels' of column '\(name)' holds the invisible character \(code); labels are plain text"
            )
        }
        return text
    }

    /// Control characters, and the characters that reorder or hide text (bidirectional
    /// overrides and isolates, marks, zero-width joiners), which could make a label lie.
    static func isRefusedInLabel(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.generalCategory == .control { return true }
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}

extension ColumnSchema {
    /// The column's labels keyed by the value as the warehouse holds it: text keys lower-cased
    /// when `lowercasingText` (the row policy's `lowercase_text`, which lower-cases the stored
    /// values too), numbers canonical (`7`, `2.5`), booleans `1` and `0`. Empty without `labels:`.
    public func labelsByStoredValue(lowercasingText: Bool) -> [String: String] {
        guard type == .text, lowercasingText else { return valueLabels }
        var folded: [String: String] = [:]
        for (value, label) in valueLabels { folded[value.lowercased()] = label }
        return folded
    }

    /// The text a number has as a key of `labels:` and in `allowed:`: whole numbers without a
    /// fraction (`7`), others in Swift's shortest round-trip form (`2.5`).
    public static func canonicalText(of number: Double) -> String { formatNumber(number) }
}

extension Schema {
    /// Every labelled column's ``ColumnSchema/labelsByStoredValue(lowercasingText:)``, by column name.
    public func valueLabels(lowercasingText: Bool) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for column in columns where !column.valueLabels.isEmpty {
            result[column.name] = column.labelsByStoredValue(lowercasingText: lowercasingText)
        }
        return result
    }
}
