// The parts of `parquet.thrift` (apache/parquet-format) that Sluice writes, field ids as in the
// specification. Optional fields are written only when set.

/// `Type`: the physical type of a column's values.
enum PhysicalType: Int32 {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLengthByteArray = 7
}

/// `Encoding`: how values or levels are laid out in a page.
enum Encoding: Int32 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9
}

/// `CompressionCodec`.
enum CompressionCodec: Int32 {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
}

/// `PageType`.
enum PageType: Int32 {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// `FieldRepetitionType`.
enum FieldRepetitionType: Int32 {
    case required = 0, optional = 1, repeated = 2
}

/// `ConvertedType`, the deprecated annotation older readers still need beside ``LogicalType``.
enum ConvertedType: Int32 {
    case utf8 = 0, date = 6, int64 = 18
}

/// An empty struct: the marker structs of unions such as `StringType` or `TypeDefinedOrder`.
struct EmptyThriftStruct: ThriftStruct {
    func writeFields(to writer: inout ThriftCompactWriter) {}
}

/// `Statistics` of a column chunk or page. Bounds are PLAIN-encoded values (byte arrays without
/// their length prefix), ordered by the column's logical type.
struct Statistics: ThriftStruct {
    /// Field 1, deprecated: the maximum in signed order (written only where that is the type order).
    var max: [UInt8]?
    /// Field 2, deprecated: the minimum in signed order.
    var min: [UInt8]?
    /// Field 3: the number of nulls (writers should always set it).
    var nullCount: Int64?
    /// Field 4: the number of distinct values.
    var distinctCount: Int64?
    /// Field 5: the maximum in the column's order.
    var maxValue: [UInt8]?
    /// Field 6: the minimum in the column's order.
    var minValue: [UInt8]?
    /// Field 7: whether ``maxValue`` is a value of the column (not a truncated bound).
    var isMaxValueExact: Bool?
    /// Field 8: whether ``minValue`` is a value of the column.
    var isMinValueExact: Bool?
    /// Field 9: the number of NaN values (floating-point columns).
    var nanCount: Int64?

    func writeFields(to writer: inout ThriftCompactWriter) {
        if let max { writer.field(1, binary: max) }
        if let min { writer.field(2, binary: min) }
        if let nullCount { writer.field(3, i64: nullCount) }
        if let distinctCount { writer.field(4, i64: distinctCount) }
        if let maxValue { writer.field(5, binary: maxValue) }
        if let minValue { writer.field(6, binary: minValue) }
        if let isMaxValueExact { writer.field(7, bool: isMaxValueExact) }
        if let isMinValueExact { writer.field(8, bool: isMinValueExact) }
        if let nanCount { writer.field(9, i64: nanCount) }
    }
}

/// `DataPageHeader` (data page v1).
struct DataPageHeader: ThriftStruct {
    /// Field 1: values in the page, nulls included.
    var numValues: Int32
    /// Field 2: the values' encoding.
    var encoding: Encoding
    /// Field 3: the definition levels' encoding.
    var definitionLevelEncoding: Encoding = .rle
    /// Field 4: the repetition levels' encoding.
    var repetitionLevelEncoding: Encoding = .rle

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: numValues)
        writer.field(2, i32: encoding.rawValue)
        writer.field(3, i32: definitionLevelEncoding.rawValue)
        writer.field(4, i32: repetitionLevelEncoding.rawValue)
    }
}

/// `DictionaryPageHeader`.
struct DictionaryPageHeader: ThriftStruct {
    /// Field 1: entries in the dictionary.
    var numValues: Int32
    /// Field 2: the entries' encoding (PLAIN).
    var encoding: Encoding = .plain
    /// Field 3: whether the entries are in ascending order.
    var isSorted: Bool?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: numValues)
        writer.field(2, i32: encoding.rawValue)
        if let isSorted { writer.field(3, bool: isSorted) }
    }
}

/// `PageHeader`: precedes every page in a column chunk.
struct PageHeader: ThriftStruct {
    /// Field 1.
    var type: PageType
    /// Field 2: the page body's size before compression.
    var uncompressedPageSize: Int32
    /// Field 3: the page body's size as stored.
    var compressedPageSize: Int32
    /// Field 5, for a data page.
    var dataPageHeader: DataPageHeader?
    /// Field 7, for a dictionary page.
    var dictionaryPageHeader: DictionaryPageHeader?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: type.rawValue)
        writer.field(2, i32: uncompressedPageSize)
        writer.field(3, i32: compressedPageSize)
        if let dataPageHeader { writer.field(5, struct: dataPageHeader) }
        if let dictionaryPageHeader { writer.field(7, struct: dictionaryPageHeader) }
    }
}

/// `LogicalType`, a union: exactly one field is written (the annotations Sluice's column
/// types need).
enum LogicalType: ThriftStruct, Equatable {
    /// Field 1, `StringType`: UTF-8 text in a BYTE_ARRAY.
    case string
    /// Field 6, `DateType`: days since 1970-01-01 in an INT32.
    case date
    /// Field 8, `TimestampType` with unit `MICROS`.
    case timestamp(isAdjustedToUTC: Bool)
    /// Field 10, `IntType`.
    case integer(bitWidth: Int8, isSigned: Bool)

    func writeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .string: writer.field(1, struct: EmptyThriftStruct())
        case .date: writer.field(6, struct: EmptyThriftStruct())
        case .timestamp(let isAdjustedToUTC): writer.field(8, struct: TimestampType(isAdjustedToUTC: isAdjustedToUTC))
        case .integer(let bitWidth, let isSigned):
            writer.field(10, struct: IntType(bitWidth: bitWidth, isSigned: isSigned))
        }
    }

    /// `TimestampType`: field 1 `isAdjustedToUTC`, field 2 the `TimeUnit` union (field 2, `MICROS`).
    private struct TimestampType: ThriftStruct {
        var isAdjustedToUTC: Bool
        func writeFields(to writer: inout ThriftCompactWriter) {
            writer.field(1, bool: isAdjustedToUTC)
            writer.field(2, struct: MicrosUnit())
        }
    }

    /// The `TimeUnit` union holding `MicroSeconds`.
    private struct MicrosUnit: ThriftStruct {
        func writeFields(to writer: inout ThriftCompactWriter) {
            writer.field(2, struct: EmptyThriftStruct())
        }
    }

    /// `IntType`.
    private struct IntType: ThriftStruct {
        var bitWidth: Int8
        var isSigned: Bool
        func writeFields(to writer: inout ThriftCompactWriter) {
            writer.field(1, i8: bitWidth)
            writer.field(2, bool: isSigned)
        }
    }
}

/// `SchemaElement`: one node of the flattened schema tree (the root, then each column).
struct SchemaElement: ThriftStruct {
    /// Field 1: the physical type of a leaf.
    var type: PhysicalType?
    /// Field 3: set on every node but the root.
    var repetitionType: FieldRepetitionType?
    /// Field 4.
    var name: String
    /// Field 5: set on group nodes (the root).
    var numChildren: Int32?
    /// Field 6.
    var convertedType: ConvertedType?
    /// Field 10.
    var logicalType: LogicalType?

    func writeFields(to writer: inout ThriftCompactWriter) {
        if let type { writer.field(1, i32: type.rawValue) }
        if let repetitionType { writer.field(3, i32: repetitionType.rawValue) }
        writer.field(4, string: name)
        if let numChildren { writer.field(5, i32: numChildren) }
        if let convertedType { writer.field(6, i32: convertedType.rawValue) }
        if let logicalType { writer.field(10, struct: logicalType) }
    }
}

/// `KeyValue`: one entry of the file's key/value metadata.
struct KeyValue: ThriftStruct {
    /// Field 1.
    var key: String
    /// Field 2.
    var value: String?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, string: key)
        if let value { writer.field(2, string: value) }
    }
}

/// `PageEncodingStats`: how many pages of a type use an encoding.
struct PageEncodingStats: ThriftStruct {
    /// Field 1.
    var pageType: PageType
    /// Field 2.
    var encoding: Encoding
    /// Field 3.
    var count: Int32

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: pageType.rawValue)
        writer.field(2, i32: encoding.rawValue)
        writer.field(3, i32: count)
    }
}

/// `ColumnMetaData`: where a column chunk's pages are and what they hold.
struct ColumnMetaData: ThriftStruct {
    /// Field 1.
    var type: PhysicalType
    /// Field 2: every encoding used in the chunk (values and levels).
    var encodings: [Encoding]
    /// Field 3.
    var pathInSchema: [String]
    /// Field 4.
    var codec: CompressionCodec
    /// Field 5: values, nulls included.
    var numValues: Int64
    /// Field 6: page headers plus page bodies before compression.
    var totalUncompressedSize: Int64
    /// Field 7: page headers plus page bodies as stored.
    var totalCompressedSize: Int64
    /// Field 9: the first data page.
    var dataPageOffset: Int64
    /// Field 11: the dictionary page, when there is one.
    var dictionaryPageOffset: Int64?
    /// Field 12.
    var statistics: Statistics?
    /// Field 13.
    var encodingStats: [PageEncodingStats]?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: type.rawValue)
        writer.field(2, i32s: encodings.map(\.rawValue))
        writer.field(3, strings: pathInSchema)
        writer.field(4, i32: codec.rawValue)
        writer.field(5, i64: numValues)
        writer.field(6, i64: totalUncompressedSize)
        writer.field(7, i64: totalCompressedSize)
        writer.field(9, i64: dataPageOffset)
        if let dictionaryPageOffset { writer.field(11, i64: dictionaryPageOffset) }
        if let statistics { writer.field(12, struct: statistics) }
        if let encodingStats { writer.field(13, structs: encodingStats) }
    }
}

/// `ColumnChunk`: the footer's entry for one column of one row group.
struct ColumnChunk: ThriftStruct {
    /// Field 2, deprecated: 0, as the specification asks when no metadata is written outside the footer.
    var fileOffset: Int64 = 0
    /// Field 3.
    var metaData: ColumnMetaData

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(2, i64: fileOffset)
        writer.field(3, struct: metaData)
    }
}

/// `RowGroup`.
struct RowGroup: ThriftStruct {
    /// Field 1, in schema order.
    var columns: [ColumnChunk]
    /// Field 2: uncompressed bytes of all its column chunks.
    var totalByteSize: Int64
    /// Field 3.
    var numRows: Int64
    /// Field 5: the first page of the group.
    var fileOffset: Int64?
    /// Field 6: stored bytes of all its column chunks.
    var totalCompressedSize: Int64?
    /// Field 7: the group's position in the file.
    var ordinal: Int16?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, structs: columns)
        writer.field(2, i64: totalByteSize)
        writer.field(3, i64: numRows)
        if let fileOffset { writer.field(5, i64: fileOffset) }
        if let totalCompressedSize { writer.field(6, i64: totalCompressedSize) }
        if let ordinal {
            writer.writeFieldHeader(7, .i16)
            writer.writeVarint(writer.zigzag(Int64(ordinal)))
        }
    }
}

/// `ColumnOrder`, a union; Sluice writes `TYPE_ORDER` (field 1) for every column, which makes
/// readers trust `min_value`/`max_value` in the logical type's order.
struct ColumnOrder: ThriftStruct {
    func writeFields(to writer: inout ThriftCompactWriter) { writer.field(1, struct: EmptyThriftStruct()) }
}

/// `FileMetaData`: the footer.
struct FileMetaData: ThriftStruct {
    /// Field 1: 1, as the specification recommends for the widest compatibility.
    var version: Int32 = 1
    /// Field 2: the root, then one element per column.
    var schema: [SchemaElement]
    /// Field 3.
    var numRows: Int64
    /// Field 4.
    var rowGroups: [RowGroup]
    /// Field 5.
    var keyValueMetadata: [KeyValue]?
    /// Field 6: `application version x.y.z`, parsed by some readers.
    var createdBy: String?
    /// Field 7: one per column.
    var columnOrders: [ColumnOrder]?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: version)
        writer.field(2, structs: schema)
        writer.field(3, i64: numRows)
        writer.field(4, structs: rowGroups)
        if let keyValueMetadata { writer.field(5, structs: keyValueMetadata) }
        if let createdBy { writer.field(6, string: createdBy) }
        if let columnOrders { writer.field(7, structs: columnOrders) }
    }
}
