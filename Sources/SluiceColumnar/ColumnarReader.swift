/// Reads a `.scol` file: metadata from the footer alone, then columns on demand.
///
/// Opening reads and verifies only the trailer, header and footer; ``schema``, ``rowCount``,
/// ``metadata`` and per-row-group statistics (``rowGroups``) come from the footer without
/// touching data. Columns are read chunk by chunk; each chunk's size is checked against the
/// ``ColumnarLimits`` and its checksum verified before it is decompressed or decoded.
///
/// Every problem in the file, however hostile, is a thrown ``ColumnarError`` naming the file
/// and the byte offset; nothing traps.
///
/// ```swift
/// let reader = try ColumnarReader(path: "grades.scol")
/// let ages = try reader.readColumn(reader.schema.index(of: "age")!)
/// ```
public final class ColumnarReader {
    /// The file's path (or the name given to an in-memory file), used in errors.
    public let path: String
    /// The columns.
    public let schema: ColumnarSchema
    /// The number of rows in the file.
    public let rowCount: Int
    /// The footer's key/value metadata.
    public let metadata: [String: String]
    /// The row groups, with each chunk's location, encoding and statistics.
    public let rowGroups: [RowGroupInfo]
    /// The file's size in bytes.
    public let fileSize: Int
    /// The footer's size in bytes.
    public let footerSize: Int
    /// The file's minor format version.
    public let minorVersion: UInt8
    /// The limits every size and count is checked against.
    public let limits: ColumnarLimits
    /// The stored chunk bytes read so far (excludes header, footer and trailer); for measuring
    /// how much a projection reads.
    public private(set) var dataBytesRead = 0

    private let source: ByteSource
    private let decompressor: ZstdDecompressor

    /// Opens `path`, reading and verifying the trailer, the header and the footer.
    ///
    /// - Throws: ``ColumnarError`` if the file cannot be read, is not a `.scol` file, has an
    ///   unsupported major version, a footer outside the file or over the limits, a footer
    ///   checksum mismatch, or inconsistent footer contents.
    public convenience init(path: String, limits: ColumnarLimits = .default) throws(ColumnarError) {
        let file = try FileDescriptor.openForReading(path)
        try self.init(source: .file(file), name: path, limits: limits)
    }

    /// Opens an in-memory `.scol` file; `name` stands for the file in errors.
    public convenience init(bytes: [UInt8], name: String = "<memory>", limits: ColumnarLimits = .default)
        throws(ColumnarError)
    {
        try self.init(source: .memory(bytes), name: name, limits: limits)
    }

    private init(source: ByteSource, name: String, limits: ColumnarLimits) throws(ColumnarError) {
        func fail(_ code: ColumnarError.Code, _ offset: Int?, _ message: String) -> ColumnarError {
            ColumnarError(code: code, file: name, byteOffset: offset, message: message)
        }
        self.source = source
        self.path = name
        self.limits = limits
        let size = try source.size(name: name)
        fileSize = size
        let minimum = FileLayout.headerSize + FileLayout.trailerSize
        guard size >= minimum else {
            throw fail(
                .notColumnar, 0, "the file is \(size) bytes, shorter than the \(minimum)-byte header and trailer")
        }
        guard size <= limits.maxFileBytes else {
            throw fail(.limitExceeded, nil, "the file is \(size) bytes, over the limit of \(limits.maxFileBytes)")
        }
        let trailerAt = size - FileLayout.trailerSize
        let trailer = try source.read(at: trailerAt, count: FileLayout.trailerSize, name: name)
        let header = try source.read(at: 0, count: FileLayout.headerSize, name: name)
        guard Array(trailer[12..<16]) == FileLayout.magic else {
            throw fail(.notColumnar, size - 4, "missing the SCF1 magic at the end of the file")
        }
        guard Array(header[0..<4]) == FileLayout.magic else {
            throw fail(.notColumnar, 0, "missing the SCF1 magic at the start of the file")
        }
        guard header[4] == FileLayout.majorVersion else {
            throw fail(
                .unsupportedVersion, 4,
                "format version \(header[4]).\(header[5]) is not supported (this reader reads 1.x)")
        }
        guard header[6] == 0, header[7] == 0 else { throw fail(.corrupt, 6, "reserved header bytes are not zero") }
        minorVersion = header[5]

        var trailerReader = ByteReader(trailer)
        let footerLength = Int((try? trailerReader.readInteger(UInt32.self, "footer length")) ?? 0)
        let footerHash = (try? trailerReader.readInteger(UInt64.self, "footer checksum")) ?? 0
        guard footerLength <= size - minimum else {
            throw fail(.corrupt, trailerAt, "footer length \(footerLength) points outside the \(size)-byte file")
        }
        guard footerLength <= limits.maxFooterBytes else {
            throw fail(
                .limitExceeded, trailerAt, "footer length \(footerLength) exceeds the limit \(limits.maxFooterBytes)")
        }
        let footerAt = trailerAt - footerLength
        let footerBytes = try source.read(at: footerAt, count: footerLength, name: name)
        if limits.verifyChecksums, XXH64.hash(footerBytes) != footerHash {
            throw fail(.checksumMismatch, footerAt, "footer checksum mismatch: the file is damaged")
        }
        let footer: Footer
        do {
            footer = try Footer.decode(footerBytes, dataEnd: footerAt, minorVersion: minorVersion, limits: limits)
        } catch {
            throw error.error(file: name, base: footerAt)
        }
        footerSize = footerLength
        schema = footer.schema
        metadata = footer.metadata
        rowGroups = footer.rowGroups
        rowCount = footer.rowGroups.last.map { $0.firstRow + $0.rowCount } ?? 0
        do {
            decompressor = try ZstdDecompressor()
        } catch {
            throw fail(.zstd, nil, error.message)
        }
    }

    /// All rows of column `index`; null rows hold a placeholder (see ``readColumnWithValidity(_:)``).
    ///
    /// - Precondition: `index` is a valid column index.
    /// - Throws: ``ColumnarError`` if a chunk is damaged.
    public func readColumn(_ index: Int) throws(ColumnarError) -> ColumnValues {
        try readColumnWithValidity(index).values
    }

    /// All rows of the column called `name`.
    ///
    /// - Throws: ``ColumnarError`` (`columnNotFound`) for an unknown name, or if a chunk is damaged.
    public func readColumn(named name: String) throws(ColumnarError) -> ColumnValues {
        try readColumn(try columnIndex(name))
    }

    /// All rows of column `index`, with its validity bitmap when some rows are null.
    ///
    /// - Precondition: `index` is a valid column index.
    public func readColumnWithValidity(_ index: Int) throws(ColumnarError) -> ColumnarColumn {
        precondition(schema.fields.indices.contains(index), "column index out of range")
        var accumulator = ColumnAccumulator(type: schema.fields[index].type)
        for group in rowGroups.indices { try readChunk(group: group, column: index, into: &accumulator) }
        return accumulator.column
    }

    /// One column's rows in one row group.
    ///
    /// - Precondition: both indices are valid.
    public func readChunk(rowGroup: Int, column: Int) throws(ColumnarError) -> ColumnarColumn {
        precondition(
            rowGroups.indices.contains(rowGroup) && schema.fields.indices.contains(column), "index out of range")
        var accumulator = ColumnAccumulator(type: schema.fields[column].type)
        try readChunk(group: rowGroup, column: column, into: &accumulator)
        return accumulator.column
    }

    /// The index of the column called `name`.
    func columnIndex(_ name: String) throws(ColumnarError) -> Int {
        guard let index = schema.index(of: name) else {
            throw ColumnarError(code: .columnNotFound, file: path, message: "no column named '\(name)'")
        }
        return index
    }

    /// The stored bytes of a chunk, checksum verified.
    func storedBytes(group: Int, column: Int) throws(ColumnarError) -> [UInt8] {
        let chunk = rowGroups[group].columns[column]
        let bytes = try source.read(at: chunk.offset, count: chunk.storedSize, name: path)
        dataBytesRead += bytes.count
        if limits.verifyChecksums, UInt32(truncatingIfNeeded: XXH64.hash(bytes)) != chunk.checksum {
            throw ColumnarError(
                code: .checksumMismatch, file: path, byteOffset: chunk.offset,
                message:
                    "chunk checksum mismatch (row group \(group), column '\(schema.fields[column].name)'): the file is damaged"
            )
        }
        return bytes
    }

    /// Reads, verifies, decompresses and decodes one chunk, appending its rows.
    func readChunk(group: Int, column: Int, into accumulator: inout ColumnAccumulator) throws(ColumnarError) {
        let raw = try rawChunk(group: group, column: column)
        do {
            try ChunkDecoder.decode(raw, layout: layout(group: group, column: column), into: &accumulator)
        } catch {
            throw failure(error, group: group, column: column)
        }
    }

    /// The raw (decompressed) bytes of a chunk, checksum verified.
    func rawChunk(group: Int, column: Int) throws(ColumnarError) -> [UInt8] {
        let chunk = rowGroups[group].columns[column]
        let stored = try storedBytes(group: group, column: column)
        guard chunk.isCompressed else { return stored }
        do {
            return try decompressor.decompress(stored, rawSize: chunk.rawSize)
        } catch {
            throw ColumnarError(
                code: .corrupt, file: path, byteOffset: chunk.offset,
                message: "bad zstd frame (row group \(group), column '\(schema.fields[column].name)'): \(error.message)"
            )
        }
    }

    /// What the decoder needs to know about a chunk.
    func layout(group: Int, column: Int) -> ChunkLayout {
        ChunkLayout(
            type: schema.fields[column].type, encoding: rowGroups[group].columns[column].encoding,
            rowCount: rowGroups[group].rowCount, nullCount: rowGroups[group].columns[column].statistics.nullCount,
            limits: limits
        )
    }

    /// A decoding failure inside a chunk as the public error, naming the row group and column.
    func failure(_ error: DecodeFailure, group: Int, column: Int) -> ColumnarError {
        let chunk = rowGroups[group].columns[column]
        // Offsets inside a decompressed chunk have no place in the file: report the chunk's start.
        var failure = error
        failure.message +=
            " (row group \(group), column '\(schema.fields[column].name)'"
            + (chunk.isCompressed ? ", at byte \(failure.offset) of the decompressed chunk)" : ")")
        if chunk.isCompressed { failure.offset = 0 }
        return failure.error(file: path, base: chunk.offset)
    }
}

@available(*, unavailable, message: "a reader owns a file and a zstd context; use it from one task")
extension ColumnarReader: Sendable {}

/// Where a reader's bytes come from.
private enum ByteSource {
    case file(FileDescriptor)
    case memory([UInt8])

    func size(name: String) throws(ColumnarError) -> Int {
        switch self {
        case .file(let file): try file.size()
        case .memory(let bytes): bytes.count
        }
    }

    /// Exactly `count` bytes at `offset` (callers have checked the range lies in the file).
    func read(at offset: Int, count: Int, name: String) throws(ColumnarError) -> [UInt8] {
        switch self {
        case .file(let file): return try file.read(at: offset, count: count)
        case .memory(let bytes):
            guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
                throw ColumnarError(
                    code: .corrupt, file: name, byteOffset: offset, message: "read past the end of the file")
            }
            return Array(bytes[offset..<offset + count])
        }
    }
}
