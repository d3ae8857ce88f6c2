/// How the values of one column are written in the files: the date format, the boolean
/// spellings and the number separators. The defaults read ISO 8601 dates and timestamps,
/// `true/false`, `yes/no`, `1/0` and numbers with a decimal point and no grouping.
///
/// ```yaml
/// columns:
///   day:    {type: date, format: "%Y/%m/%d"}
///   at:     {type: timestamp, format: "%d.%m.%Y %H:%M"}
///   paid:   {type: boolean, true_values: [paid, y], false_values: [open, n]}
///   amount: {type: real, decimal_separator: ",", thousands_separator: "."}
/// ```
public struct ValueFormat: Sendable, Hashable {
    /// The strftime-style pattern of a date or timestamp column (`%Y %m %d %H %M %S %f %%`),
    /// or `nil` for ISO 8601.
    public var temporalPattern: String?
    /// The spellings read as true in a boolean column (compared case-insensitively).
    public var trueValues: [String]
    /// The spellings read as false in a boolean column (compared case-insensitively).
    public var falseValues: [String]
    /// The decimal separator of a number column: `.` (default) or `,`.
    public var decimalSeparator: UInt8
    /// The thousands separator a number column may use between groups of three digits, if any.
    public var thousandsSeparator: UInt8?

    /// The spellings a boolean column reads by default.
    public static let defaultTrueValues = ["true", "yes", "1"]
    /// The spellings a boolean column reads as false by default.
    public static let defaultFalseValues = ["false", "no", "0"]
    /// The characters accepted as a decimal or thousands separator.
    public static let separatorCharacters: [UInt8] = Array(".,' _".utf8)

    /// Creates a format; the defaults are ISO 8601, true/yes/1 and false/no/0, and plain numbers.
    public init(
        temporalPattern: String? = nil, trueValues: [String] = ValueFormat.defaultTrueValues,
        falseValues: [String] = ValueFormat.defaultFalseValues, decimalSeparator: UInt8 = UInt8(ascii: "."),
        thousandsSeparator: UInt8? = nil
    ) {
        self.temporalPattern = temporalPattern
        self.trueValues = trueValues
        self.falseValues = falseValues
        self.decimalSeparator = decimalSeparator
        self.thousandsSeparator = thousandsSeparator
    }

    /// True when numbers are written the plain way (a point, no grouping).
    public var hasPlainNumbers: Bool { decimalSeparator == UInt8(ascii: ".") && thousandsSeparator == nil }
}

/// Rewrites a number written with other separators into the plain form `FieldParser` reads:
/// thousands separators removed (only between groups of exactly three integer digits), the
/// decimal separator turned into a point. `nil` when the text does not follow the format.
package enum NumberNormalizer {
    /// The plain spelling of `bytes`, or `nil`.
    package static func plain(_ bytes: Span<UInt8>, decimal: UInt8, thousands: UInt8?) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            out.append(bytes[index])
            index += 1
        }
        // Integer part: digit groups, separated by `thousands` when it is used at all.
        var group = 0
        var groups = 0
        var sawSeparator = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                out.append(byte)
                group += 1
            } else if let thousands, byte == thousands, byte != decimal {
                guard group > 0, groups == 0 ? group <= 3 : group == 3 else { return nil }
                groups += 1
                group = 0
                sawSeparator = true
            } else {
                break
            }
            index += 1
        }
        if sawSeparator, group != 3 { return nil }
        guard index < bytes.count else { return out.isEmpty ? nil : out }
        if bytes[index] == decimal {
            out.append(UInt8(ascii: "."))
            index += 1
        }
        // Fraction and exponent: digits, e/E and a sign only.
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"),
                UInt8(ascii: "-"):
                out.append(byte)
            default:
                return nil
            }
            index += 1
        }
        return out
    }
}
