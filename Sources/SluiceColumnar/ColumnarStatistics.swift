/// A single typed value: a statistic bound or a predicate literal.
public enum ColumnarScalar: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An integer.
    case int64(Int64)
    /// A double.
    case double(Double)
    /// A string.
    case string(String)

    /// The value as text, for inspection output.
    public var description: String {
        switch self {
        case .int64(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        }
    }

    /// Orders two scalars of the same type (strings by UTF-8 bytes); `nil` for different types
    /// or a NaN.
    func compare(_ other: ColumnarScalar) -> Int? {
        switch (self, other) {
        case (.int64(let a), .int64(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return UTF8Order.compare(a, b)
        default: return nil
        }
    }
}

/// Byte-wise ordering of strings, the order of string statistics and dictionaries.
enum UTF8Order {
    /// -1, 0 or 1 as `a`'s UTF-8 bytes sort before, equal or after `b`'s.
    static func compare(_ a: String, _ b: String) -> Int {
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}

/// Exact statistics of one column chunk, stored in the footer and read without touching data.
public struct ColumnStatistics: Sendable, Hashable, Codable {
    /// The number of null rows.
    public var nullCount: Int
    /// The number of distinct non-null values, when the writer counted it exactly.
    public var distinctCount: Int?
    /// The smallest non-null value (NaN excluded); `nil` when there is none.
    public var min: ColumnarScalar?
    /// The largest non-null value (NaN excluded); `nil` when there is none.
    public var max: ColumnarScalar?
    /// False when string bounds were truncated to 64 bytes: ``min`` is then still a lower bound
    /// but ``max`` is only a prefix of the largest value.
    public var boundsExact: Bool

    /// Creates statistics.
    public init(
        nullCount: Int, distinctCount: Int?, min: ColumnarScalar?, max: ColumnarScalar?, boundsExact: Bool = true
    ) {
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.min = min
        self.max = max
        self.boundsExact = boundsExact
    }
}

/// How a chunk's values are encoded before compression.
public enum ColumnarEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// One value repeated (or no values when every row is null).
    case constant
    /// Values as they are: 8-byte integers and doubles, bit-packed string lengths plus bytes.
    case plain
    /// A sorted dictionary of distinct values plus bit-packed codes.
    case dictionary
    /// Frame of reference: the minimum, then bit-packed offsets from it (integers only).
    case frameOfReference = "frame-of-reference"
    /// Run-length: bit-packed run lengths plus one value per run.
    case runLength = "run-length"

    /// The encoding id in a chunk's flags (3 bits).
    var id: UInt8 {
        switch self {
        case .constant: 0
        case .plain: 1
        case .dictionary: 2
        case .frameOfReference: 3
        case .runLength: 4
        }
    }

    /// The encoding for an id, or `nil` for an unknown id.
    init?(id: UInt8) {
        guard let encoding = Self.allCases.first(where: { $0.id == id }) else { return nil }
        self = encoding
    }
}

/// Where one column's chunk of one row group lies and how it is stored.
public struct ColumnChunkInfo: Sendable, Hashable, Codable {
    /// The chunk's first byte in the file (a prefix sum of stored sizes, not stored in the file).
    public var offset: Int
    /// The bytes the chunk takes in the file.
    public var storedSize: Int
    /// The bytes of the encoded chunk before compression.
    public var rawSize: Int
    /// The value encoding.
    public var encoding: ColumnarEncoding
    /// Whether the stored bytes are one zstd frame.
    public var isCompressed: Bool
    /// The low 32 bits of the XXH64 of the stored bytes.
    public var checksum: UInt32
    /// The chunk's statistics.
    public var statistics: ColumnStatistics
}

/// One row group: a run of rows stored as one chunk per column.
public struct RowGroupInfo: Sendable, Hashable, Codable {
    /// The index of the group's first row in the file.
    public var firstRow: Int
    /// The number of rows.
    public var rowCount: Int
    /// One chunk per schema column, in schema order.
    public var columns: [ColumnChunkInfo]
}

/// What ``ColumnarWriter/finish()`` wrote.
public struct ColumnarFileSummary: Sendable, Hashable, Codable {
    /// The final path of the file.
    public var path: String
    /// The file's size in bytes.
    public var bytes: Int
    /// The number of rows.
    public var rows: Int
    /// The number of row groups.
    public var rowGroups: Int
    /// The size of the footer in bytes.
    public var footerBytes: Int
}
