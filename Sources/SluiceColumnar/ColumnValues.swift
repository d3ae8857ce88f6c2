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

    /// The number of values.
    public var count: Int {
        switch self {
        case .int64(let values): values.count
        case .double(let values): values.count
        case .string(let values): values.count
        }
    }

    /// The storage type of the values.
    public var type: ColumnarType {
        switch self {
        case .int64: .int64
        case .double: .double
        case .string: .string
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
        case (.string(let a), .string(let b)):
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
