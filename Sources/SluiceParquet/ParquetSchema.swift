/// The value type of a column as Sluice writes it to Parquet.
///
/// | type | physical type | annotation |
/// |---|---|---|
/// | `int64` | `INT64` | `INTEGER(64, signed)`, converted type `INT_64` |
/// | `double` | `DOUBLE` | none |
/// | `string` | `BYTE_ARRAY` | `STRING`, converted type `UTF8` |
/// | `date` | `INT32` | `DATE` (days since 1970-01-01), converted type `DATE` |
/// | `timestamp` | `INT64` | `TIMESTAMP(isAdjustedToUTC=false, MICROS)` |
/// | `boolean` | `BOOLEAN` | none |
///
/// Dates, timestamps and booleans are given as ``ParquetValues/int64(_:)``: days, microseconds
/// since 1970-01-01 00:00, and 1/0.
public enum ParquetColumnType: String, Sendable, Hashable, Codable {
    /// Signed 64-bit integers.
    case int64
    /// IEEE 754 double-precision numbers.
    case double
    /// UTF-8 text.
    case string
    /// Calendar dates, as days since 1970-01-01.
    case date
    /// Local date-times (no time zone), as microseconds since 1970-01-01 00:00.
    case timestamp
    /// true/false, given as 1/0.
    case boolean

    /// The kind of ``ParquetValues`` a column of this type takes.
    public var valuesType: ParquetColumnType {
        switch self {
        case .int64, .date, .timestamp, .boolean: .int64
        case .double: .double
        case .string: .string
        }
    }

    /// The physical type in the file.
    var physicalType: PhysicalType {
        switch self {
        case .int64, .timestamp: .int64
        case .date: .int32
        case .boolean: .boolean
        case .double: .double
        case .string: .byteArray
        }
    }

    /// The logical type annotation, if any.
    var logicalType: LogicalType? {
        switch self {
        case .int64: .integer(bitWidth: 64, isSigned: true)
        case .double, .boolean: nil
        case .string: .string
        case .date: .date
        case .timestamp: .timestamp(isAdjustedToUTC: false)
        }
    }

    /// The deprecated converted type matching ``logicalType``, for older readers (none for a
    /// timestamp not adjusted to UTC: `TIMESTAMP_MICROS` would claim it is).
    var convertedType: ConvertedType? {
        switch self {
        case .int64: .int64
        case .double, .boolean, .timestamp: nil
        case .string: .utf8
        case .date: .date
        }
    }
}

/// One column of a ``ParquetSchema``: a top-level primitive field.
public struct ParquetField: Sendable, Hashable, Codable {
    /// The column's name (non-empty, unique within the schema).
    public var name: String
    /// The value type.
    public var type: ParquetColumnType
    /// `OPTIONAL` (nulls allowed, definition levels written) rather than `REQUIRED`.
    public var isNullable: Bool

    /// Creates a field.
    public init(name: String, type: ParquetColumnType, isNullable: Bool = false) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }
}

/// The columns of a Parquet file: a flat schema of primitive fields, in file order.
public struct ParquetSchema: Sendable, Hashable, Codable {
    /// The columns, in file order.
    public var fields: [ParquetField]

    /// Creates a schema.
    public init(fields: [ParquetField]) {
        self.fields = fields
    }

    /// Why this schema cannot be written, or `nil`: no columns, an empty name, a repeated name.
    func validationProblem() -> String? {
        if fields.isEmpty { return "a schema needs at least one column" }
        var seen = Set<[UInt8]>()
        for field in fields {
            if field.name.isEmpty { return "a column name must not be empty" }
            if !seen.insert(Array(field.name.utf8)).inserted { return "column name '\(field.name)' is repeated" }
        }
        return nil
    }

    /// The footer's schema elements: the root group, then one leaf per column.
    var elements: [SchemaElement] {
        [SchemaElement(name: "schema", numChildren: Int32(fields.count))]
            + fields.map { field in
                SchemaElement(
                    type: field.type.physicalType, repetitionType: field.isNullable ? .optional : .required,
                    name: field.name,
                    convertedType: field.type.convertedType, logicalType: field.type.logicalType
                )
            }
    }
}

/// The values of one column for a run of rows.
///
/// At a null row (see ``ParquetColumn/validity``) the value is a placeholder the writer skips.
public enum ParquetValues: Sendable, Hashable {
    /// Values of an ``ParquetColumnType/int64`` column.
    case int64([Int64])
    /// Values of a ``ParquetColumnType/double`` column.
    case double([Double])
    /// Values of a ``ParquetColumnType/string`` column.
    case string([String])
    /// Values of a ``ParquetColumnType/string`` column, dictionary-coded by the caller: row `i`
    /// holds `dictionary[codes[i]]`. The writer merges the dictionary into the column chunk's
    /// own (one lookup per entry, not per row), so no `String` is touched per value.
    ///
    /// - Precondition: every code of a non-null row is below `dictionary.count`.
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

    /// The column type these values belong to.
    public var type: ParquetColumnType {
        switch self {
        case .int64: .int64
        case .double: .double
        case .string, .codedString: .string
        }
    }
}

/// One column's values plus, for a nullable column, which rows hold a value.
public struct ParquetColumn: Sendable, Hashable {
    /// The values; null rows hold a placeholder.
    public var values: ParquetValues
    /// `validity[i]` is false when row `i` is null; `nil` means no row is null.
    public var validity: [Bool]?

    /// Creates a column; `validity`, when given, has one entry per value.
    public init(values: ParquetValues, validity: [Bool]? = nil) {
        self.values = values
        self.validity = validity
    }

    /// The number of rows.
    public var count: Int { values.count }
}

/// How a ``ParquetWriter`` lays out and compresses a file.
public struct ParquetWriterOptions: Sendable, Hashable {
    /// Rows buffered before a row group is written (``ParquetWriter/endRowGroup()`` ends one
    /// earlier). The default, 1,048,576, is pyarrow's.
    public var rowGroupRows: Int
    /// Rows per data page; readers decompress a page at a time.
    public var pageRows: Int
    /// The zstd level of every page.
    public var zstdLevel: Int
    /// Distinct values above which a column chunk is written PLAIN instead of with a dictionary.
    public var maxDictionaryEntries: Int
    /// Whether ``ParquetWriter/finish()`` fsyncs the file and its directory.
    public var durable: Bool

    /// Creates options.
    public init(
        rowGroupRows: Int = 1 << 20, pageRows: Int = 1 << 16, zstdLevel: Int = 3,
        maxDictionaryEntries: Int = 1 << 16, durable: Bool = true
    ) {
        self.rowGroupRows = rowGroupRows
        self.pageRows = pageRows
        self.zstdLevel = zstdLevel
        self.maxDictionaryEntries = maxDictionaryEntries
        self.durable = durable
    }
}

/// What ``ParquetWriter/finish()`` wrote.
public struct ParquetFileSummary: Sendable, Hashable, Codable {
    /// The final path of the file.
    public var path: String
    /// The file's size in bytes.
    public var bytes: Int
    /// The number of rows.
    public var rows: Int
    /// The number of row groups.
    public var rowGroups: Int
    /// The footer's size in bytes.
    public var footerBytes: Int
}

/// A failure to write a Parquet file: a bad argument (schema, batch, options), or an I/O or
/// zstd failure.
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String { case invalidArgument = "invalid-argument", io, zstd }
        private let kind: Kind
        /// The schema, a batch or the options do not fit.
        public static let invalidArgument = Code(kind: .invalidArgument)
        /// A file could not be created, written, synced or renamed.
        public static let io = Code(kind: .io)
        /// zstd refused to compress.
        public static let zstd = Code(kind: .zstd)
        /// The stable kebab-case identifier.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file being written.
    public var file: String
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(code: Code, file: String, message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    /// `file: error: message`, like a compiler diagnostic.
    public var description: String { "\(file): error: \(message)" }
}
