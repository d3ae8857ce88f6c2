/// One SQLite value, as stored or as bound to a statement parameter.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer (`INTEGER` storage class).
    case integer(Int64)
    /// An IEEE-754 double (`REAL` storage class).
    case real(Double)
    /// UTF-8 text (`TEXT` storage class).
    case text(String)
    /// Raw bytes (`BLOB` storage class).
    case blob([UInt8])

    /// The value as text the way the `sqlite3` shell prints it (`NULL` prints as an empty string).
    public var displayText: String {
        switch self {
        case .null: return ""
        case .integer(let value): return String(value)
        case .real(let value): return Self.format(real: value)
        case .text(let value): return value
        case .blob(let bytes):
            return "x'"
                + bytes.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined() + "'"
        }
    }

    /// Formats a double the way SQLite's shell does for simple values: `4.0`, `2.5`, `1.0e+300`.
    static func format(real value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value)) + ".0"
        }
        return String(value)
    }
}

extension SQLiteValue: Encodable {
    /// Encodes numbers as JSON numbers, text as strings, `NULL` as `null` and blobs as hex strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value):
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .text(let value): try container.encode(value)
        case .blob: try container.encode(displayText)
        }
    }
}
