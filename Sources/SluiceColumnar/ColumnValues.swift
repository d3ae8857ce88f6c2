/// The values of one column for a run of rows, in their storage type.
///
/// For a nullable column the value at a null row is a placeholder (`0`, `0.0` or `""`) that
/// writers ignore and readers fill in; the nulls themselves travel in a ``ValidityBitmap``
/// beside the values (see ``ColumnarColumn``).
public enum ColumnValues: Sendable, Hashable {
    /// Values of an ``ColumnarType/int64`` column.
    case int64([Int64])
    /// Values of a ``ColumnarType/double`` column.
    case double([Double])
    /// Values of a ``ColumnarType/string`` column.
    case string([String])
    /// Values of a ``ColumnarType/string`` column, dictionary-encoded by the caller: row `i`
    /// holds `dictionary[codes[i]]`. Writing these skips hashing a string per row; the file
    /// is byte for byte the one ``string(_:)`` of the same values gives, as long as the
    /// dictionary's entries differ by bytes (repeats still write a correct, larger file).
    /// Readers always return ``string(_:)``.
    case codedString(dictionary: [String], codes: [UInt32])

    /// The number of values.
    public var count: Int {
        switch self {
        case .int64(let values): values.count
        case .double(let values): values.count
        case .string(let values): values.count
        case .codedString(_, let codes): codes.count
        }
    }

    /// The storage type of the values.
    public var type: ColumnarType {
        switch self {
        case .int64: .int64
        case .double: .double
        case .string, .codedString: .string
        }
    }

    /// The strings of a string column, decoded if they are dictionary-encoded; `nil` for other types.
    public var strings: [String]? {
        switch self {
        case .string(let values): values
        case .codedString(let dictionary, let codes): codes.map { dictionary[Int($0)] }
        case .int64, .double: nil
        }
    }

    /// No values of `type`.
    static func empty(_ type: ColumnarType) -> ColumnValues {
        switch type {
        case .int64: .int64([])
        case .double: .double([])
        case .string: .string([])
        }
    }

    /// Exact equality, comparing doubles by bit pattern (so NaN equals the same NaN) and strings
    /// by UTF-8 bytes (so canonically equivalent but different strings differ).
    public func isIdentical(to other: ColumnValues) -> Bool {
        switch (self, other) {
        case (.int64(let a), .int64(let b)): return a == b
        case (.double(let a), .double(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        case (.string, .string), (.string, .codedString), (.codedString, .string), (.codedString, .codedString):
            guard let a = strings, let b = other.strings else { return false }
            return a.count == b.count && zip(a, b).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
        default: return false
        }
    }
}

/// One column's values plus, for a nullable column, which rows are non-null.
public struct ColumnarColumn: Sendable, Hashable {
    /// The values; rows that are null hold a placeholder.
    public var values: ColumnValues
    /// Which rows are non-null; `nil` means every row is non-null.
    public var validity: ValidityBitmap?

    /// Creates a column; `validity`, when given, must have `values.count` bits.
    public init(values: ColumnValues, validity: ValidityBitmap? = nil) {
        self.values = values
        self.validity = validity
    }

    /// The number of rows.
    public var count: Int { values.count }

    /// The number of null rows.
    public var nullCount: Int { validity?.nullCount ?? 0 }

    /// Whether row `row` is null.
    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }
}
