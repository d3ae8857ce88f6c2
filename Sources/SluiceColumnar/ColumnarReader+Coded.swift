extension ColumnarReader {
    /// One column's rows in one row group, keeping a string chunk's dictionary coding: a chunk
    /// stored with the dictionary, constant or run-length encoding comes back as
    /// ``ColumnValues/codedString(dictionary:codes:)`` (its distinct strings and one code per
    /// row) instead of one `String` per row. Other chunks read as ``readChunk(rowGroup:column:)``.
    ///
    /// For writers of other dictionary-coded formats (Parquet): the codes pass through without a
    /// string being hashed or copied per row. The dictionary of a run-length chunk may repeat a
    /// string; null rows hold code 0.
    ///
    /// - Precondition: both indices are valid.
    /// - Throws: ``ColumnarError`` if the chunk is damaged.
    public func readChunkKeepingCodes(rowGroup group: Int, column: Int) throws(ColumnarError) -> ColumnarColumn {
        precondition(rowGroups.indices.contains(group) && schema.fields.indices.contains(column), "index out of range")
        let chunk = rowGroups[group].columns[column]
        let valueCount = rowGroups[group].rowCount - chunk.statistics.nullCount
        guard schema.fields[column].type == .string, chunk.encoding != .plain, valueCount > 0 else {
            return try readChunk(rowGroup: group, column: column)
        }
        let raw = try rawChunk(group: group, column: column)
        do {
            return try ChunkDecoder.decodeCodedStrings(raw, layout: layout(group: group, column: column))
        } catch {
            throw failure(error, group: group, column: column)
        }
    }
}

extension ChunkDecoder {
    /// Decodes a string chunk stored as a dictionary, a constant or runs into its distinct
    /// strings and per-row codes, with the same checks as ``decode(_:layout:into:)``.
    ///
    /// - Precondition: the layout's encoding is one of those three and it has values.
    static func decodeCodedStrings(_ raw: [UInt8], layout: ChunkLayout) throws(DecodeFailure) -> ColumnarColumn {
        var reader = ByteReader(raw)
        let valueCount = layout.rowCount - layout.nullCount
        let bitmap = try readValidity(raw, layout: layout, reader: &reader)
        var dictionary: [String] = []
        var codes: [UInt32] = []
        switch layout.encoding {
        case .constant:
            dictionary = [try reader.readString("constant string", limit: layout.limits.maxStringBytes)]
            codes = [UInt32](repeating: 0, count: valueCount)
        case .dictionary:
            let size = try readEntryCount(&reader, count: valueCount, "dictionary size")
            try readPlainStrings(&reader, count: size, limits: layout.limits, into: &dictionary)
            // The identity dictionary turns the checked code lookup into the codes themselves.
            try readCodes(&reader, count: valueCount, dictionary: Array(0..<UInt32(size)), into: &codes)
        case .runLength:
            let runs = try readEntryCount(&reader, count: valueCount, "run count")
            let lengths = try readRunLengths(&reader, runs: runs, count: valueCount)
            try readPlainStrings(&reader, count: runs, limits: layout.limits, into: &dictionary)
            codes.reserveCapacity(valueCount)
            for (run, length) in lengths.enumerated() {
                codes.append(contentsOf: repeatElement(UInt32(run), count: length))
            }
        case .plain, .frameOfReference:
            preconditionFailure("only dictionary, constant and run-length string chunks keep their codes")
        }
        guard reader.remaining == 0 else {
            throw DecodeFailure(at: reader.offset, "\(reader.remaining) unexpected bytes after the chunk's values")
        }
        if let bitmap { scatter(&codes, from: 0, validity: bitmap, placeholder: 0) }
        return ColumnarColumn(values: .codedString(dictionary: dictionary, codes: codes), validity: bitmap)
    }
}
