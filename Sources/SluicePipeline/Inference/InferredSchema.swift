import Foundation
import SluiceSchema

/// What ``SchemaInference`` learned: the schema, and the commented YAML that Sluice's schema
/// loader reads back as that same schema.
public struct InferredSchema: Sendable {
    /// The schema.
    public var schema: Schema
    /// Per column: values read, empties, distinct values (when few) and the longest text.
    var profiles: [ColumnProfile]
    /// The files' names.
    public var files: [String]
    /// Data rows read.
    public var rows: Int
    /// One line per file: its detected dialect.
    public var dialects: [String]
    /// The sample size when only the first rows were read.
    public var sample: Int?
    /// Columns that became text because some value would have been refused otherwise.
    public var widened: [String]

    /// The schema as commented YAML, in the Sluice format.
    public var yaml: String {
        var lines: [String] = []
        let read =
            sample.map { "only the first \($0) rows of each file were read: other rows may not fit" }
            ?? "every row read"
        lines.append(
            "# Schema inferred by `sluice schema infer` from \(files.joined(separator: ", ")): \(rows) rows, \(read).")
        lines.append(
            "# Detected dialect (Sluice detects it again at every load; pin it in sluice.yaml's dialect: if needed):")
        for dialect in dialects { lines.append("#   \(dialect)") }
        lines.append("# Review it: the types, ranges and allowed lists describe these files exactly.")
        lines.append("table: \(YAMLText.key(schema.table ?? "data"))")
        lines.append("lowercase_text: false         # keep text as written")
        lines.append("drop_duplicate_rows: false    # load every row, repeated ones too")
        lines.append("columns:")
        for (column, profile) in zip(schema.columns, profiles) {
            lines.append("  \(YAMLText.key(column.name)): \(spec(column))  # \(comment(column, profile))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func spec(_ column: ColumnSchema) -> String {
        var parts = ["type: \(column.type.rawValue)"]
        let format = column.valueFormat
        if column.type.isTemporal, let pattern = format.temporalPattern {
            parts.append("format: \(YAMLText.quoted(pattern))")
        }
        if column.type.isNumeric, !format.hasPlainNumbers {
            parts.append(
                "decimal_separator: \(YAMLText.quoted(String(Character(Unicode.Scalar(format.decimalSeparator)))))")
            if let thousands = format.thousandsSeparator {
                parts.append("thousands_separator: \(YAMLText.quoted(String(Character(Unicode.Scalar(thousands)))))")
            }
        }
        if let low = column.minimum, let high = column.maximum {
            parts.append("min: \(bound(low, column.type))")
            parts.append("max: \(bound(high, column.type))")
        }
        if let allowed = column.allowedValues {
            parts.append("allowed: [\(allowed.map(YAMLText.quoted).joined(separator: ", "))]")
        }
        if !column.isRequired { parts.append("required: false") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    private func bound(_ value: Double, _ type: ColumnType) -> String {
        switch type {
        case .date: YAMLText.quoted(CalendarValue.isoDate(days: Int64(value)))
        case .timestamp: YAMLText.quoted(CalendarValue.isoTimestamp(microseconds: Int64(value)))
        case .integer: String(Int64(value))
        default: value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    private func comment(_ column: ColumnSchema, _ profile: ColumnProfile) -> String {
        var parts = ["\(profile.values - profile.empties) values"]
        if profile.empties > 0 { parts.append("\(profile.empties) empty") }
        if let distinct = profile.distinct { parts.append("\(distinct.count) distinct") }
        if column.type == .text, profile.longest > 0 {
            parts.append("longest \(profile.longest) character\(profile.longest == 1 ? "" : "s")")
        }
        if column.type == .date || column.type == .timestamp {
            parts.append("format recognised: \(column.valueFormat.temporalPattern ?? "ISO 8601")")
        }
        if column.type == .boolean { parts.append("spellings: true/yes, false/no") }
        if widened.contains(column.name) { parts.append("text: some value fits no other type") }
        if profile.isAllEmpty { parts.append("every value empty") }
        return parts.joined(separator: ", ")
    }
}

/// YAML spellings for the inferred schema.
enum YAMLText {
    /// A mapping key: plain when it is a simple name, else double-quoted.
    static func key(_ text: String) -> String {
        let simple =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "_"
            }
            && !(text.first?.isNumber ?? true)
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text)
        return simple ? text : quoted(text)
    }

    /// A double-quoted YAML string with `\`, `"` and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
                {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
