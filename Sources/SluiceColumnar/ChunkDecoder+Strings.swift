extension ChunkDecoder {
    static func decodeString(
        _ reader: inout ByteReader, count: Int, encoding: ColumnarEncoding, limits: ColumnarLimits,
        into out: inout [String]
    ) throws(DecodeFailure) {
        switch encoding {
        case .constant:
            guard count > 0 else { return }
            let value = try reader.readString("constant string", limit: limits.maxStringBytes)
            out.append(contentsOf: repeatElement(value, count: count))
        case .plain:
            try readPlainStrings(&reader, count: count, limits: limits, into: &out)
        case .frameOfReference:
            throw DecodeFailure(at: reader.offset, "frame-of-reference encoding is for integer columns only")
        case .dictionary:
            let size = try readEntryCount(&reader, count: count, "dictionary size")
            var dictionary: [String] = []
            try readPlainStrings(&reader, count: size, limits: limits, into: &dictionary)
            try readCodes(&reader, count: count, dictionary: dictionary, into: &out)
        case .runLength:
            let runs = try readEntryCount(&reader, count: count, "run count")
            let lengths = try readRunLengths(&reader, runs: runs, count: count)
            var values: [String] = []
            try readPlainStrings(&reader, count: runs, limits: limits, into: &values)
            Growth.reserve(&out, adding: count)
            for (value, length) in zip(values, lengths) { out.append(contentsOf: repeatElement(value, count: length)) }
        }
    }

    /// Reads a plain string section of `count` strings: length width, packed lengths, bytes.
    /// Every string is validated as UTF-8 (never repaired).
    static func readPlainStrings(
        _ reader: inout ByteReader, count: Int, limits: ColumnarLimits, into out: inout [String]
    ) throws(DecodeFailure) {
        let at = reader.offset
        let width = try readWidth(&reader, maximum: 32)
        let start = try claimPacked(&reader, count: count, width: width, "string lengths")
        var lengths: [Int] = []
        BitPacking.unpack(reader.bytes, at: start, count: count, width: width, into: &lengths) { Int($0) }
        var total = 0
        for length in lengths {
            guard length <= limits.maxStringBytes else {
                throw DecodeFailure(
                    .limitExceeded, at: at, "string length \(length) exceeds the limit \(limits.maxStringBytes)")
            }
            let (sum, overflow) = total.addingReportingOverflow(length)
            guard !overflow else { throw DecodeFailure(at: at, "string lengths overflow") }
            total = sum
        }
        var offset = try reader.skip(total, "string bytes")
        Growth.reserve(&out, adding: count)
        let bytes = reader.bytes
        for length in lengths {
            guard let string = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
                throw DecodeFailure(.invalidUTF8, at: offset, "string value is not valid UTF-8")
            }
            out.append(string)
            offset += length
        }
    }
}

/// A column being read: its values so far and, once a chunk had nulls, its validity.
struct ColumnAccumulator {
    var storage: ColumnValues
    var validity: ValidityBitmap? = nil
    private var rows = 0

    init(type: ColumnarType) { storage = .empty(type) }

    /// Records the validity of the chunk just appended (`nil`: every row valid).
    mutating func appendValidity(_ chunk: ValidityBitmap?, rows chunkRows: Int) {
        if let chunk {
            if validity == nil { validity = ValidityBitmap(count: rows) }
            validity!.append(contentsOf: chunk)
        } else if validity != nil {
            validity!.append(contentsOf: ValidityBitmap(count: chunkRows))
        }
        rows += chunkRows
    }

    /// The finished column.
    var column: ColumnarColumn { ColumnarColumn(values: storage, validity: validity) }
}
