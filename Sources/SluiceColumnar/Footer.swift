/// The fixed parts of a `.scol` file: header, trailer, and version.
enum FileLayout {
    /// `SCF1`, at the start and at the very end of every file.
    static let magic: [UInt8] = Array("SCF1".utf8)
    /// The major version this library writes and reads; other majors are rejected.
    static let majorVersion: UInt8 = 1
    /// The newest minor version this library writes: 1 adds logical types after the metadata.
    /// A file without logical types is still written as 1.0, byte for byte as before.
    static let minorVersion: UInt8 = 1
    /// The minor version whose footer ends with the logical-type section.
    static let logicalTypesMinorVersion: UInt8 = 1
    /// Magic, major, minor, two reserved zero bytes.
    static let headerSize = 8
    /// Footer length (u32), footer XXH64 (u64), magic.
    static let trailerSize = 16

    /// The 8 header bytes of a file with `schema`: minor 1 only when it has logical types.
    static func header(for schema: ColumnarSchema) -> [UInt8] {
        magic + [majorVersion, minorVersion(for: schema), 0, 0]
    }

    /// 1 when some column has a logical type, else 0 (so older readers see no change).
    static func minorVersion(for schema: ColumnarSchema) -> UInt8 {
        schema.fields.contains { $0.logicalType != nil } ? logicalTypesMinorVersion : 0
    }
}

/// The footer: schema, row-group table with per-chunk sizes and statistics, and key/value
/// metadata, written with LEB128 varints. See the FileFormat article for the byte layout.
struct Footer {
    var schema: ColumnarSchema
    var rowGroups: [RowGroupInfo]
    var metadata: [String: String]

    // Chunk flag bits (bits 0–2 are the encoding id).
    static let flagCompressed: UInt8 = 1 << 3
    static let flagValidity: UInt8 = 1 << 4
    static let flagBounds: UInt8 = 1 << 5
    static let flagDistinct: UInt8 = 1 << 6
    static let flagInexact: UInt8 = 1 << 7

    /// The footer bytes.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarint(schema.fields.count)
        for field in schema.fields {
            writer.writeString(field.name)
            writer.writeByte(field.type.fileCode)
            writer.writeByte(field.isNullable ? 1 : 0)
        }
        writer.writeVarint(rowGroups.count)
        for group in rowGroups {
            writer.writeVarint(group.rowCount)
            for chunk in group.columns { Self.write(chunk, into: &writer) }
        }
        writer.writeVarint(metadata.count)
        for key in metadata.keys.sorted() {
            writer.writeString(key)
            writer.writeString(metadata[key]!)
        }
        if FileLayout.minorVersion(for: schema) >= FileLayout.logicalTypesMinorVersion {
            // 1.1: the annotated columns, as (column index varint, logical type u8), in column order.
            let annotated = schema.fields.enumerated().filter { $0.element.logicalType != nil }
            writer.writeVarint(annotated.count)
            for (index, field) in annotated {
                writer.writeVarint(index)
                writer.writeByte(field.logicalType!.fileCode)
            }
        }
        return writer.bytes
    }

    private static func write(_ chunk: ColumnChunkInfo, into writer: inout ByteWriter) {
        let stats = chunk.statistics
        var flags = chunk.encoding.id
        if chunk.isCompressed { flags |= flagCompressed }
        if stats.nullCount > 0 { flags |= flagValidity }
        if stats.min != nil && stats.max != nil { flags |= flagBounds }
        if stats.distinctCount != nil { flags |= flagDistinct }
        if !stats.boundsExact { flags |= flagInexact }
        writer.writeByte(flags)
        writer.writeVarint(chunk.storedSize)
        writer.writeVarint(chunk.rawSize)
        writer.writeInteger(chunk.checksum)
        writer.writeVarint(stats.nullCount)
        if let distinct = stats.distinctCount { writer.writeVarint(distinct) }
        if let lower = stats.min, let upper = stats.max {
            for bound in [lower, upper] {
                switch bound {
                case .int64(let value): writer.writeZigzag(value)
                case .double(let value): writer.writeInteger(value.bitPattern)
                case .string(let value): writer.writeString(value)
                }
            }
        }
    }
}
