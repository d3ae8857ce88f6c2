/// The storage type of a `.scol` column.
public enum ColumnarType: String, Sendable, Hashable, Codable {
    /// Signed 64-bit integers.
    case int64
    /// IEEE 754 double-precision numbers (bit patterns round-trip exactly, NaN included).
    case double
    /// UTF-8 text.
    case string

    /// The type's code in the file's schema (`u8`).
    var fileCode: UInt8 {
        switch self {
        case .int64: 0
        case .double: 1
        case .string: 2
        }
    }

    /// The type for a schema code, or `nil` for an unknown code.
    init?(fileCode: UInt8) {
        switch fileCode {
        case 0: self = .int64
        case 1: self = .double
        case 2: self = .string
        default: return nil
        }
    }
}

/// What the `int64` values of a column mean, when they are not plain integers (format 1.1).
public enum ColumnarLogicalType: String, Sendable, Hashable, Codable {
    /// Days since 1970-01-01.
    case date
    /// Microseconds since 1970-01-01 00:00, without a time zone.
    case timestamp
    /// 1 for true, 0 for false.
    case boolean

    /// The annotation's code in the footer.
    var fileCode: UInt8 {
        switch self {
        case .date: 1
        case .timestamp: 2
        case .boolean: 3
        }
    }

    /// The annotation for a footer code, or `nil` for an unknown one.
    init?(fileCode: UInt8) {
        switch fileCode {
        case 1: self = .date
        case 2: self = .timestamp
        case 3: self = .boolean
        default: return nil
        }
    }
}

/// One column of a ``ColumnarSchema``.
public struct ColumnarField: Sendable, Hashable, Codable {
    /// The column's name: 1–255 UTF-8 bytes, unique within the schema.
    public var name: String
    /// The column's storage type.
    public var type: ColumnarType
    /// Whether the column may hold nulls (carried as a validity bitmap).
    public var isNullable: Bool
    /// What the values mean, for an `int64` column of dates, timestamps or booleans; `nil` for
    /// plain values (and for every column of a format 1.0 file).
    public var logicalType: ColumnarLogicalType?

    /// Creates a field.
    public init(name: String, type: ColumnarType, isNullable: Bool = false, logicalType: ColumnarLogicalType? = nil) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.logicalType = logicalType
    }
}

/// The columns of a `.scol` file, in file order.
public struct ColumnarSchema: Sendable, Hashable, Codable {
    /// The columns, in file order.
    public var fields: [ColumnarField]

    /// Creates a schema.
    public init(fields: [ColumnarField]) {
        self.fields = fields
    }

    /// The position of the column called `name`, if any (exact, case-sensitive match).
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// Why this schema cannot be written, or `nil` if it can: no columns, an empty or overlong
    /// name, or a repeated name.
    func validationProblem() -> String? {
        if fields.isEmpty { return "a schema needs at least one column" }
        var seen = Set<String>()
        for field in fields {
            let length = field.name.utf8.count
            if length == 0 || length > 255 {
                return "column name '\(field.name)' must be 1–255 UTF-8 bytes, not \(length)"
            }
            if !seen.insert(field.name).inserted { return "column name '\(field.name)' is repeated" }
            if let logical = field.logicalType, field.type != .int64 {
                return "column '\(field.name)' is \(field.type.rawValue); a \(logical.rawValue) column must be int64"
            }
        }
        return nil
    }
}
