/// Writes one `.scol` file in one pass from typed column batches.
///
/// Rows are buffered until a row group is full (``ColumnarWriterOptions/rowGroupRows``), then
/// each column's chunk is encoded with the cheapest encoding for its exact statistics,
/// compressed with zstd when that pays, and appended to a temporary file beside `path`.
/// ``finish()`` writes the footer and trailer, fsyncs, and renames the temporary file to `path`,
/// so a reader never sees a half-written file. A writer dropped without ``finish()`` removes its
/// temporary file.
///
/// ```swift
/// let writer = try ColumnarWriter(path: "grades.scol", schema: schema, metadata: ["source": "a.csv"])
/// try writer.append([.string(["gp", "ms"]), .int64([18, 17])])
/// let summary = try writer.finish()
/// ```
/// - Complexity: memory is bounded by one row group of values plus one zstd context.
public final class ColumnarWriter {
    /// The final path of the file.
    public let path: String
    /// The columns every batch must match.
    public let schema: ColumnarSchema
    private let metadata: [String: String]
    private let options: ColumnarWriterOptions
    private let temporaryPath: String
    private var file: FileDescriptor?
    private let compressor: ZstdCompressor?
    private var buffers: [ColumnAccumulator]
    private var bufferedRows = 0
    private var offset = FileLayout.headerSize
    private var rowGroups: [RowGroupInfo] = []
    private var rowsWritten = 0
    /// Encoded bytes not yet written to the file (starting with the header).
    private var unwritten: [UInt8] = []

    /// Creates the temporary file and writes the header.
    ///
    /// - Parameters:
    ///   - path: Where the finished file goes; replaced atomically if it exists.
    ///   - schema: The columns, 1 or more, with unique names of 1–255 bytes.
    ///   - metadata: Key/value pairs stored in the footer (e.g. the source file and its SHA-256).
    ///   - options: Row group size, zstd level, durability.
    /// - Throws: ``ColumnarError`` with code `invalidArgument` for a bad schema or options, or
    ///   `io` if the temporary file cannot be created.
    public init(
        path: String, schema: ColumnarSchema, metadata: [String: String] = [:], options: ColumnarWriterOptions = .init()
    ) throws(ColumnarError) {
        if let problem = schema.validationProblem() {
            throw ColumnarError(code: .invalidArgument, file: path, message: problem)
        }
        guard options.rowGroupRows >= 1 && options.rowGroupRows <= 1 << 20 else {
            throw ColumnarError(
                code: .invalidArgument, file: path,
                message: "rowGroupRows must be 1…1048576, not \(options.rowGroupRows)")
        }
        for (key, value) in metadata where key.utf8.count > 1 << 20 || value.utf8.count > 1 << 20 {
            throw ColumnarError(
                code: .invalidArgument, file: path, message: "metadata entry '\(key.prefix(40))' is longer than 1 MiB")
        }
        self.path = path
        self.schema = schema
        self.metadata = metadata
        self.options = options
        do {
            compressor =
                options.zstdLevel > 0 ? try ZstdCompressor.borrow(level: Int32(clamping: options.zstdLevel)) : nil
        } catch {
            throw ColumnarError(code: .zstd, file: path, message: "cannot create a zstd context: \(error.message)")
        }
        buffers = schema.fields.map { ColumnAccumulator(type: $0.type) }
        temporaryPath = Self.temporaryPath(for: path)
        file = try FileDescriptor.createExclusive(temporaryPath)
        unwritten = FileLayout.header(for: schema)
    }

    deinit {
        if file != nil { FileDescriptor.removeQuietly(temporaryPath) }
        if let compressor { ZstdCompressor.giveBack(compressor) }
    }

    /// A hidden name in the same directory, unique per writer.
    private static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).\(UInt64.random(in: 0...UInt64.max)).tmp"
    }

    /// Appends rows given as one ``ColumnValues`` per schema column, all of the same length.
    /// Columns must not contain nulls (use ``append(columns:)`` for nullable columns).
    ///
    /// - Throws: ``ColumnarError`` (`invalidArgument`) if the batch does not match the schema,
    ///   or (`io`) if writing a full row group fails. After a throw the writer is unusable.
    public func append(_ columns: [ColumnValues]) throws(ColumnarError) {
        try append(columns: columns.map { ColumnarColumn(values: $0) })
    }

    /// Appends rows given as one ``ColumnarColumn`` per schema column, with validity bitmaps
    /// for columns that have nulls.
    public func append(columns: [ColumnarColumn]) throws(ColumnarError) {
        guard file != nil else {
            throw ColumnarError(code: .invalidArgument, file: path, message: "the writer is finished")
        }
        guard columns.count == schema.fields.count else {
            throw invalid("expected \(schema.fields.count) columns, got \(columns.count)")
        }
        let rows = columns.first?.count ?? 0
        for (column, field) in zip(columns, schema.fields) {
            guard column.values.type == field.type else {
                throw invalid("column '\(field.name)' expects \(field.type), got \(column.values.type)")
            }
            guard column.count == rows else {
                throw invalid("column '\(field.name)' has \(column.count) rows, expected \(rows)")
            }
            if let validity = column.validity {
                guard validity.count == rows else {
                    throw invalid("validity of column '\(field.name)' has \(validity.count) bits for \(rows) rows")
                }
                guard field.isNullable || validity.nullCount == 0 else {
                    throw invalid("column '\(field.name)' is not nullable but has nulls")
                }
            }
        }
        var start = 0
        while start < rows {
            let take = min(rows - start, options.rowGroupRows - bufferedRows)
            if bufferedRows == 0 && take == options.rowGroupRows {
                // A whole row group straight from the caller's arrays, without copying.
                try writeRowGroup(columns.map { Self.slice($0, start..<start + take) }, rows: take)
            } else {
                for index in columns.indices { buffers[index].append(Self.slice(columns[index], start..<start + take)) }
                bufferedRows += take
                if bufferedRows == options.rowGroupRows { try flush() }
            }
            start += take
        }
    }

    /// Writes the buffered rows, the footer and the trailer, fsyncs, and renames the file into place.
    ///
    /// - Returns: The final size, row count and row-group count.
    /// - Throws: ``ColumnarError`` (`io`) if a write, fsync or the rename fails; the temporary
    ///   file is then removed.
    @discardableResult
    public func finish() throws(ColumnarError) -> ColumnarFileSummary {
        guard let file else {
            throw ColumnarError(code: .invalidArgument, file: path, message: "the writer is finished")
        }
        do throws(ColumnarError) {
            if bufferedRows > 0 { try flush() }
            let footer = Footer(schema: schema, rowGroups: rowGroups, metadata: metadata).encoded()
            guard footer.count <= ColumnarLimits.default.maxFooterBytes else {
                throw ColumnarError(
                    code: .limitExceeded, file: path,
                    message: "the footer would be \(footer.count) bytes, over the 16 MiB limit")
            }
            var trailer = ByteWriter()
            trailer.writeInteger(UInt32(footer.count))
            trailer.writeInteger(XXH64.hash(footer))
            trailer.bytes += FileLayout.magic
            unwritten += footer
            unwritten += trailer.bytes
            try writeOut()
            if options.durable { try file.sync() }
            try FileDescriptor.rename(temporaryPath, to: path)
            self.file = nil
            if options.durable { FileDescriptor.syncDirectory(Self.directory(of: path)) }
            return ColumnarFileSummary(
                path: path, bytes: offset + footer.count + FileLayout.trailerSize, rows: rowsWritten,
                rowGroups: rowGroups.count, footerBytes: footer.count
            )
        } catch {
            self.file = nil
            FileDescriptor.removeQuietly(temporaryPath)
            throw error
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func invalid(_ message: String) -> ColumnarError {
        ColumnarError(code: .invalidArgument, file: path, message: message)
    }

    /// Writes the buffered rows as one row group.
    private func flush() throws(ColumnarError) {
        let columns = buffers.map(\.column)
        for index in buffers.indices { buffers[index] = ColumnAccumulator(type: schema.fields[index].type) }
        let rows = bufferedRows
        bufferedRows = 0
        try writeRowGroup(columns.map { Self.slice($0, 0..<rows) }, rows: rows)
    }

    /// Encodes, compresses and writes one chunk per column.
    private func writeRowGroup(_ columns: [ColumnSlice], rows: Int) throws(ColumnarError) {
        guard file != nil else { return }
        var chunks: [ColumnChunkInfo] = []
        chunks.reserveCapacity(columns.count)
        for column in columns {
            let encoded = ChunkEncoder.encode(column.dense(), validity: column.validity, rowCount: rows)
            let start = unwritten.count
            var compressed = false
            if let compressor, encoded.raw.count > 32 {
                let gain = max(16, Int(Double(encoded.raw.count) * options.minimumCompressionGain))
                do {
                    if let frame = try compressor.compress(encoded.raw, limit: encoded.raw.count - gain) {
                        unwritten += frame
                        compressed = true
                    }
                } catch {
                    throw ColumnarError(code: .zstd, file: path, message: "zstd compression failed: \(error.message)")
                }
            }
            if !compressed { unwritten += encoded.raw }
            let storedSize = unwritten.count - start
            chunks.append(
                ColumnChunkInfo(
                    offset: offset, storedSize: storedSize, rawSize: encoded.raw.count, encoding: encoded.encoding,
                    isCompressed: compressed,
                    checksum: UInt32(truncatingIfNeeded: XXH64.hash(unwritten, start..<unwritten.count)),
                    statistics: encoded.statistics
                ))
            offset += storedSize
        }
        rowGroups.append(RowGroupInfo(firstRow: rowsWritten, rowCount: rows, columns: chunks))
        rowsWritten += rows
        if unwritten.count >= Self.writeBufferBytes { try writeOut() }
    }

    /// Bytes collected before one `write(2)`: a small file costs one system call, a large one
    /// one per MiB or so.
    private static let writeBufferBytes = 1 << 20

    /// Writes the collected bytes to the file.
    private func writeOut() throws(ColumnarError) {
        guard let file, !unwritten.isEmpty else { return }
        try file.write(unwritten)
        unwritten.removeAll(keepingCapacity: true)
    }

    private static func slice(_ column: ColumnarColumn, _ range: Range<Int>) -> ColumnSlice {
        ColumnSlice(column: column, range: range)
    }
}

@available(*, unavailable, message: "a writer owns a file and a zstd context; use it from one task")
extension ColumnarWriter: Sendable {}

/// Rows `range` of a caller's column, not yet copied.
struct ColumnSlice {
    var column: ColumnarColumn
    var range: Range<Int>

    /// The validity of the rows, when some are null.
    var validity: ValidityBitmap? {
        guard let bitmap = column.validity else { return nil }
        let slice = range == 0..<bitmap.count ? bitmap : bitmap.slice(range)
        return slice.nullCount > 0 ? slice : nil
    }

    /// The non-null values of the rows.
    func dense() -> DenseValues {
        let valid = validity
        func pick<T>(_ values: [T]) -> ArraySlice<T> {
            guard let valid else { return values[range] }
            var result: [T] = []
            result.reserveCapacity(range.count - valid.nullCount)
            for row in range where valid[row - range.lowerBound] { result.append(values[row]) }
            return result[...]
        }
        switch column.values {
        case .int64(let values): return .int64(pick(values))
        case .double(let values): return .double(pick(values))
        case .string(let values): return .string(pick(values))
        case .codedString(let dictionary, let codes): return .codedString(dictionary, pick(codes))
        }
    }
}

extension ColumnAccumulator {
    /// Whether two dictionaries hold the same entries, byte for byte (`String` equality would
    /// merge canonically equivalent but different text).
    static func sameBytes(_ a: [String], _ b: [String]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    /// Appends rows of a caller's column to a writer buffer.
    mutating func append(_ slice: ColumnSlice) {
        switch (storage, slice.column.values) {
        case (.int64(var mine), .int64(let theirs)):
            storage = .int64([])
            mine.append(contentsOf: theirs[slice.range])
            storage = .int64(mine)
        case (.double(var mine), .double(let theirs)):
            storage = .double([])
            mine.append(contentsOf: theirs[slice.range])
            storage = .double(mine)
        case (.string(var mine), .string(let theirs)):
            storage = .string([])
            mine.append(contentsOf: theirs[slice.range])
            storage = .string(mine)
        case (.string(let mine), .codedString(let dictionary, let codes)) where mine.isEmpty:
            storage = .codedString(dictionary: dictionary, codes: Array(codes[slice.range]))
        case (.codedString(let mine, var myCodes), .codedString(let dictionary, let codes))
        where Self.sameBytes(mine, dictionary):
            storage = .string([])
            myCodes.append(contentsOf: codes[slice.range])
            storage = .codedString(dictionary: mine, codes: myCodes)
        case (.string(var mine), .codedString(let dictionary, let codes)):
            // Another batch's dictionary: fall back to plain strings.
            storage = .string([])
            mine.append(contentsOf: codes[slice.range].map { dictionary[Int($0)] })
            storage = .string(mine)
        case (.codedString, .string), (.codedString, .codedString):
            var mine = storage.strings ?? []
            storage = .string([])
            mine.append(contentsOf: (slice.column.values.strings ?? [])[slice.range])
            storage = .string(mine)
        default:
            preconditionFailure("type checked by append(columns:)")
        }
        appendValidity(slice.column.validity.map { $0.slice(slice.range) }, rows: slice.range.count)
    }
}
