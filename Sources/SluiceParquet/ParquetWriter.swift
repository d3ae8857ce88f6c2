/// Writes one Parquet file in one pass from typed column batches.
///
/// Rows are buffered until a row group is full (``ParquetWriterOptions/rowGroupRows``) or the
/// caller ends it (``endRowGroup()``); then each column chunk is encoded — a dictionary page with
/// `RLE_DICTIONARY` data pages, or `PLAIN` data pages, whichever the chunk's exact statistics
/// say is smaller — with every page compressed by zstd, and appended to a temporary file
/// beside `path`. ``finish()`` writes the footer (`FileMetaData` in the Thrift compact protocol,
/// its length and `PAR1`), fsyncs, and renames the file to `path`, so a reader never sees a
/// partial file. A writer dropped without ``finish()`` removes its temporary file.
///
/// ```swift
/// let schema = ParquetSchema(fields: [ParquetField(name: "school", type: .string),
///                                     ParquetField(name: "age", type: .int64)])
/// let writer = try ParquetWriter(path: "students.parquet", schema: schema)
/// try writer.append([ParquetColumn(values: .codedString(dictionary: ["gp", "ms"], codes: [0, 1])),
///                    ParquetColumn(values: .int64([18, 17]))])
/// let summary = try writer.finish()
/// ```
/// - Complexity: memory is bounded by one row group of values (4 bytes per string row, 8 per
///   number) plus one row group's encoded pages.
public final class ParquetWriter {
    /// The final path of the file.
    public let path: String
    /// The columns every batch must match.
    public let schema: ParquetSchema
    private let options: ParquetWriterOptions
    private let metadata: [String: String]
    private var file: OutputFile?
    private let compressor: PageCompressor
    private var buffers: [ColumnBuffer]
    private var rowGroups: [RowGroup] = []
    private var rowsWritten = 0

    /// The magic at both ends of a Parquet file.
    static let magic: [UInt8] = Array("PAR1".utf8)
    /// The `created_by` string: `application version x.y.z`, the shape readers parse.
    public static let createdBy = "sluice version 0.1.0"

    /// Creates the temporary file and writes the leading magic.
    ///
    /// - Parameters:
    ///   - path: Where the finished file goes; replaced atomically if it exists.
    ///   - schema: The columns: at least one, unique non-empty names.
    ///   - options: Row group and page sizes, zstd level, durability.
    ///   - metadata: Key/value pairs for the footer (`key_value_metadata`).
    /// - Throws: ``ParquetError`` (`invalidArgument`) for a bad schema or options, `io` if the
    ///   temporary file cannot be created, `zstd` if no compression context can be made.
    public init(
        path: String, schema: ParquetSchema, options: ParquetWriterOptions = .init(),
        metadata: [String: String] = [:]
    ) throws(ParquetError) {
        if let problem = schema.validationProblem() {
            throw ParquetError(code: .invalidArgument, file: path, message: problem)
        }
        guard options.rowGroupRows >= 1, options.pageRows >= 1, options.maxDictionaryEntries >= 1 else {
            throw ParquetError(
                code: .invalidArgument, file: path,
                message: "rowGroupRows, pageRows and maxDictionaryEntries must be positive")
        }
        guard (1...22).contains(options.zstdLevel) else {
            throw ParquetError(
                code: .invalidArgument, file: path, message: "zstdLevel must be 1…22, not \(options.zstdLevel)")
        }
        self.path = path
        self.schema = schema
        self.options = options
        self.metadata = metadata
        do {
            compressor = try PageCompressor(level: Int32(options.zstdLevel))
        } catch {
            throw ParquetError(code: error.code, file: path, message: error.message)
        }
        buffers = schema.fields.map(ColumnBuffer.init(field:))
        let file = try OutputFile(finalPath: path)
        try file.write(Self.magic)
        self.file = file
    }

    /// Appends rows given as one ``ParquetColumn`` per schema column, all of the same length.
    ///
    /// - Throws: ``ParquetError`` (`invalidArgument`) if the batch does not match the schema
    ///   (column count, types, lengths, nulls in a required column), or (`io`, `zstd`) if
    ///   writing a full row group fails. After a throw the writer is unusable.
    public func append(_ columns: [ParquetColumn]) throws(ParquetError) {
        guard file != nil else { throw invalid("the writer is finished") }
        guard columns.count == schema.fields.count else {
            throw invalid("expected \(schema.fields.count) columns, got \(columns.count)")
        }
        let rows = columns.first?.count ?? 0
        for (column, field) in zip(columns, schema.fields) {
            guard column.values.type == field.type.valuesType else {
                throw invalid(
                    "column '\(field.name)' expects \(field.type.valuesType) values, got \(column.values.type)")
            }
            if field.type == .date, case .int64(let days) = column.values,
                let row = days.indices.first(where: { Int32(exactly: days[$0]) == nil && column.validity?[$0] ?? true })
            {
                throw invalid("column '\(field.name)' has day \(days[row]) at row \(row), outside a 32-bit DATE")
            }
            guard column.count == rows else {
                throw invalid("column '\(field.name)' has \(column.count) rows, expected \(rows)")
            }
            if let validity = column.validity {
                guard validity.count == rows else {
                    throw invalid("validity of column '\(field.name)' has \(validity.count) entries for \(rows) rows")
                }
                guard field.isNullable || !validity.contains(false) else {
                    throw invalid("column '\(field.name)' is not nullable but has nulls")
                }
            }
            if case .codedString(let dictionary, let codes) = column.values {
                let limit = UInt32(clamping: dictionary.count)
                for (row, code) in codes.enumerated() where code >= limit && column.validity?[row] ?? true {
                    throw invalid(
                        "column '\(field.name)' has code \(code) at row \(row), past its \(dictionary.count)-entry dictionary"
                    )
                }
            }
        }
        var start = 0
        while start < rows {
            let take = min(rows - start, options.rowGroupRows - (buffers.first?.rows ?? 0))
            for index in columns.indices { buffers[index].append(columns[index], range: start..<start + take) }
            start += take
            if buffers.first?.rows == options.rowGroupRows { try endRowGroup() }
        }
    }

    /// Writes the buffered rows as a row group now (nothing if none are buffered): a caller
    /// that appends one delivery group at a time ends a group at each boundary.
    public func endRowGroup() throws(ParquetError) {
        guard let file else { throw invalid("the writer is finished") }
        let rows = buffers.first?.rows ?? 0
        guard rows > 0 else { return }
        let base = file.size
        var out: [UInt8] = []
        var chunks: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        for (buffer, field) in zip(buffers, schema.fields) {
            let encoder = ColumnChunkEncoder(field: field, options: options, compressor: compressor)
            let metaData: ColumnMetaData
            do {
                metaData = try encoder.encode(buffer, into: &out, base: base)
            } catch {
                throw ParquetError(code: error.code, file: path, message: error.message)
            }
            uncompressed += metaData.totalUncompressedSize
            chunks.append(ColumnChunk(metaData: metaData))
        }
        try file.write(out)
        rowGroups.append(
            RowGroup(
                columns: chunks, totalByteSize: uncompressed, numRows: Int64(rows), fileOffset: Int64(base),
                totalCompressedSize: Int64(out.count), ordinal: Int16(clamping: rowGroups.count)))
        rowsWritten += rows
        buffers = schema.fields.map(ColumnBuffer.init(field:))
    }

    /// Writes the last row group, the footer and the trailing magic, then publishes the file.
    ///
    /// - Returns: The final path, size, row and row group counts, and the footer's size.
    /// - Throws: ``ParquetError`` if writing, syncing or renaming fails; the temporary file is
    ///   removed and `path` is untouched.
    @discardableResult
    public func finish() throws(ParquetError) -> ParquetFileSummary {
        try endRowGroup()
        guard let file else { throw invalid("the writer is finished") }
        let footer = FileMetaData(
            schema: schema.elements, numRows: Int64(rowsWritten), rowGroups: rowGroups,
            keyValueMetadata: metadata.isEmpty
                ? nil : metadata.keys.sorted().map { KeyValue(key: $0, value: metadata[$0]) },
            createdBy: Self.createdBy, columnOrders: schema.fields.map { _ in ColumnOrder() })
        var writer = ThriftCompactWriter()
        writer.writeStruct(footer)
        var tail = writer.bytes
        let length = UInt32(writer.bytes.count)
        for byte in 0..<4 { tail.append(UInt8(truncatingIfNeeded: length >> UInt32(byte * 8))) }
        tail.append(contentsOf: Self.magic)
        try file.write(tail)
        let size = file.size
        self.file = nil
        try file.publish(durable: options.durable)
        return ParquetFileSummary(
            path: path, bytes: size, rows: rowsWritten, rowGroups: rowGroups.count, footerBytes: writer.bytes.count)
    }

    private func invalid(_ message: String) -> ParquetError {
        ParquetError(code: .invalidArgument, file: path, message: message)
    }
}

@available(*, unavailable, message: "a writer owns a file and a zstd context; use it from one task")
extension ParquetWriter: Sendable {}
