extension Footer {
    /// Parses and cross-checks a footer that starts at file offset `dataEnd` (chunks occupy
    /// `[headerSize, dataEnd)`). Offsets in failures are relative to the footer's first byte.
    static func decode(
        _ bytes: [UInt8], dataEnd: Int, minorVersion: UInt8, limits: ColumnarLimits
    ) throws(DecodeFailure) -> Footer {
        var reader = ByteReader(bytes)
        var schema = try decodeSchema(&reader, limits: limits)
        let columns = schema.fields.count

        let groupsAt = reader.offset
        let groupCount = try reader.readCount("row group count", limit: limits.maxRowGroups)
        // Each row group takes at least 1 byte plus 8 per chunk: check before reserving.
        let (perGroup, overflow1) = columns.multipliedReportingOverflow(by: 8)
        let (needed, overflow2) = groupCount.multipliedReportingOverflow(by: perGroup + 1)
        guard !overflow1, !overflow2, needed <= reader.remaining else {
            throw DecodeFailure(
                at: groupsAt, "\(groupCount) row groups cannot fit in the \(reader.remaining) footer bytes left")
        }
        var rowGroups: [RowGroupInfo] = []
        rowGroups.reserveCapacity(groupCount)
        var offset = FileLayout.headerSize
        var firstRow = 0
        for groupIndex in 0..<groupCount {
            let rowsAt = reader.offset
            let rows = try reader.readCount("row count of row group \(groupIndex)", limit: limits.maxRowsPerGroup)
            guard rows > 0 else { throw DecodeFailure(at: rowsAt, "row group \(groupIndex) has no rows") }
            var chunks: [ColumnChunkInfo] = []
            chunks.reserveCapacity(columns)
            for field in schema.fields {
                let chunk = try decodeChunk(&reader, field: field, rows: rows, offset: offset, limits: limits)
                let (next, overflow) = offset.addingReportingOverflow(chunk.storedSize)
                guard !overflow, next <= dataEnd else {
                    throw DecodeFailure(
                        at: rowsAt, "chunks of row group \(groupIndex) extend past the footer at byte \(dataEnd)")
                }
                offset = next
                chunks.append(chunk)
            }
            rowGroups.append(RowGroupInfo(firstRow: firstRow, rowCount: rows, columns: chunks))
            let (total, overflow) = firstRow.addingReportingOverflow(rows)
            guard !overflow, total <= limits.maxRows else {
                throw DecodeFailure(.limitExceeded, at: rowsAt, "the file has more than \(limits.maxRows) rows")
            }
            firstRow = total
        }
        guard offset == dataEnd else {
            throw DecodeFailure(at: groupsAt, "chunks end at byte \(offset) but the footer starts at byte \(dataEnd)")
        }

        let metadataAt = reader.offset
        let entries = try reader.readCount("metadata entry count", limit: limits.maxMetadataEntries)
        guard entries <= reader.remaining / 2 else {
            throw DecodeFailure(at: metadataAt, "\(entries) metadata entries cannot fit in the footer")
        }
        var metadata: [String: String] = [:]
        for _ in 0..<entries {
            let keyAt = reader.offset
            let key = try reader.readString("metadata key", limit: limits.maxStringBytes)
            let value = try reader.readString("metadata value", limit: limits.maxStringBytes)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw DecodeFailure(at: keyAt, "metadata key '\(key)' is repeated")
            }
        }
        if minorVersion >= FileLayout.logicalTypesMinorVersion {
            try decodeLogicalTypes(&reader, schema: &schema)
        }
        if minorVersion <= FileLayout.minorVersion, reader.remaining > 0 {
            throw DecodeFailure(at: reader.offset, "\(reader.remaining) unexpected bytes at the end of the footer")
        }
        return Footer(schema: schema, rowGroups: rowGroups, metadata: metadata)
    }

    /// The 1.1 section: which int64 columns hold dates, timestamps or booleans.
    private static func decodeLogicalTypes(_ reader: inout ByteReader, schema: inout ColumnarSchema)
        throws(DecodeFailure)
    {
        let countAt = reader.offset
        let count = try reader.readCount("logical type count", limit: schema.fields.count, code: .corrupt)
        guard count > 0 else { throw DecodeFailure(at: countAt, "a format 1.1 footer lists no logical types") }
        var previous = -1
        for _ in 0..<count {
            let at = reader.offset
            let index = try reader.readCount("logical type column", limit: schema.fields.count - 1, code: .corrupt)
            guard index > previous else { throw DecodeFailure(at: at, "logical types are not in column order") }
            previous = index
            let codeAt = reader.offset
            guard let logical = ColumnarLogicalType(fileCode: try reader.readByte("logical type")) else {
                throw DecodeFailure(at: codeAt, "unknown logical type for column '\(schema.fields[index].name)'")
            }
            guard schema.fields[index].type == .int64 else {
                throw DecodeFailure(
                    at: codeAt,
                    "column '\(schema.fields[index].name)' is \(schema.fields[index].type.rawValue), not int64, so it cannot be a \(logical.rawValue)"
                )
            }
            schema.fields[index].logicalType = logical
        }
    }

    private static func decodeSchema(_ reader: inout ByteReader, limits: ColumnarLimits) throws(DecodeFailure)
        -> ColumnarSchema
    {
        let countAt = reader.offset
        let count = try reader.readCount("column count", limit: limits.maxColumns)
        guard count > 0 else { throw DecodeFailure(at: countAt, "the schema has no columns") }
        guard count <= reader.remaining / 4 else {
            throw DecodeFailure(at: countAt, "\(count) columns cannot fit in the \(reader.remaining) footer bytes left")
        }
        var fields: [ColumnarField] = []
        fields.reserveCapacity(count)
        var names = Set<String>()
        for index in 0..<count {
            let nameAt = reader.offset
            let name = try reader.readString("name of column \(index)", limit: 255)
            guard !name.isEmpty, names.insert(name).inserted else {
                throw DecodeFailure(at: nameAt, "column name '\(name)' is empty or repeated")
            }
            let typeAt = reader.offset
            guard let type = ColumnarType(fileCode: try reader.readByte("column type")) else {
                throw DecodeFailure(at: typeAt, "unknown type code for column '\(name)'")
            }
            let flags = try reader.readByte("column flags")
            guard flags <= 1 else { throw DecodeFailure(at: typeAt + 1, "unknown flags \(flags) for column '\(name)'") }
            fields.append(ColumnarField(name: name, type: type, isNullable: flags == 1))
        }
        return ColumnarSchema(fields: fields)
    }

    private static func decodeChunk(
        _ reader: inout ByteReader, field: ColumnarField, rows: Int, offset: Int, limits: ColumnarLimits
    ) throws(DecodeFailure) -> ColumnChunkInfo {
        let at = reader.offset
        let flags = try reader.readByte("chunk flags")
        guard let encoding = ColumnarEncoding(id: flags & 7) else {
            throw DecodeFailure(at: at, "unknown encoding id \(flags & 7) for column '\(field.name)'")
        }
        if encoding == .frameOfReference, field.type != .int64 {
            throw DecodeFailure(at: at, "frame-of-reference encoding on non-integer column '\(field.name)'")
        }
        let stored = try reader.readCount("stored size", limit: limits.maxFileBytes)
        let raw = try reader.readCount("raw size", limit: limits.maxRawChunkBytes)
        let compressed = flags & flagCompressed != 0
        guard compressed || stored == raw else {
            throw DecodeFailure(
                at: at, "uncompressed chunk of column '\(field.name)' has stored size \(stored) ≠ raw size \(raw)")
        }
        let checksum = try reader.readInteger(UInt32.self, "chunk checksum")
        let nullsAt = reader.offset
        let nulls = try reader.readCount("null count", limit: rows, code: .corrupt)
        guard (nulls > 0) == (flags & flagValidity != 0), nulls == 0 || field.isNullable else {
            throw DecodeFailure(at: nullsAt, "null count \(nulls) does not fit column '\(field.name)'")
        }
        let values = rows - nulls
        var distinct: Int? = nil
        if flags & flagDistinct != 0 {
            distinct = try reader.readCount("distinct count", limit: values, code: .corrupt)
        }
        var lower: ColumnarScalar? = nil, upper: ColumnarScalar? = nil
        if flags & flagBounds != 0 {
            guard values > 0 else { throw DecodeFailure(at: at, "a chunk without values has min/max statistics") }
            lower = try readBound(&reader, type: field.type)
            upper = try readBound(&reader, type: field.type)
            guard let order = lower!.compare(upper!), order <= 0 else {
                throw DecodeFailure(at: nullsAt, "statistics of column '\(field.name)' have min > max")
            }
        }
        if values == 0, encoding != .constant {
            throw DecodeFailure(at: at, "a chunk without values must use the constant encoding")
        }
        let statistics = ColumnStatistics(
            nullCount: nulls, distinctCount: distinct, min: lower, max: upper, boundsExact: flags & flagInexact == 0
        )
        return ColumnChunkInfo(
            offset: offset, storedSize: stored, rawSize: raw, encoding: encoding, isCompressed: compressed,
            checksum: checksum, statistics: statistics
        )
    }

    private static func readBound(_ reader: inout ByteReader, type: ColumnarType) throws(DecodeFailure)
        -> ColumnarScalar
    {
        switch type {
        case .int64: return .int64(try reader.readZigzag("statistic"))
        case .double:
            let at = reader.offset
            let value = Double(bitPattern: try reader.readInteger(UInt64.self, "statistic"))
            guard !value.isNaN else { throw DecodeFailure(at: at, "a double statistic is NaN") }
            return .double(value)
        case .string: return .string(try reader.readString("statistic", limit: ChunkEncoder.maxStatisticBytes))
        }
    }
}
