/// What the footer says about a chunk, as the decoder needs it.
struct ChunkLayout {
    var type: ColumnarType
    var encoding: ColumnarEncoding
    var rowCount: Int
    var nullCount: Int
    var limits: ColumnarLimits
}

/// Decodes one chunk's raw (decompressed) bytes, checking every count and size against the
/// bytes that remain and the limits before allocating, and requiring the encoding to consume
/// the buffer exactly.
///
/// Decoders append to the caller's arrays so a whole column can be read into one array. Null
/// rows get a placeholder (`0`, `0.0`, `""`).
enum ChunkDecoder {
    /// Reads a chunk's validity bitmap (present when it has nulls) and checks it against the
    /// footer: no bit past the last row, and as many nulls as the footer says.
    static func readValidity(
        _ raw: [UInt8], layout: ChunkLayout, reader: inout ByteReader
    ) throws(DecodeFailure) -> ValidityBitmap? {
        guard layout.nullCount > 0 else { return nil }
        let size = (layout.rowCount + 7) / 8
        let start = try reader.skip(size, "validity bitmap")
        guard let decoded = ValidityBitmap(fileBytes: raw[start..<start + size], count: layout.rowCount) else {
            throw DecodeFailure(at: start + size - 1, "validity bitmap has bits set past the last row")
        }
        guard decoded.nullCount == layout.nullCount else {
            throw DecodeFailure(
                at: start, "validity bitmap has \(decoded.nullCount) nulls, the footer says \(layout.nullCount)")
        }
        return decoded
    }

    /// Decodes a chunk of `layout.type`, appending its rows to `out` and its validity (when the
    /// chunk has nulls) to `validity`.
    static func decode(
        _ raw: [UInt8], layout: ChunkLayout, into out: inout ColumnAccumulator
    ) throws(DecodeFailure) {
        var reader = ByteReader(raw)
        let valueCount = layout.rowCount - layout.nullCount
        let bitmap = try readValidity(raw, layout: layout, reader: &reader)
        if valueCount == 0, layout.encoding != .constant {
            throw DecodeFailure(at: reader.offset, "a chunk without values must use the constant encoding")
        }
        switch out.storage {
        case .int64(var values):
            out.storage = .int64([])
            let start = values.count
            try decodeInt64(&reader, count: valueCount, encoding: layout.encoding, into: &values)
            if let bitmap { scatter(&values, from: start, validity: bitmap, placeholder: 0) }
            out.storage = .int64(values)
        case .double(var values):
            out.storage = .double([])
            let start = values.count
            try decodeDouble(&reader, count: valueCount, encoding: layout.encoding, into: &values)
            if let bitmap { scatter(&values, from: start, validity: bitmap, placeholder: 0) }
            out.storage = .double(values)
        case .string(var values):
            out.storage = .string([])
            let start = values.count
            try decodeString(
                &reader, count: valueCount, encoding: layout.encoding, limits: layout.limits, into: &values)
            if let bitmap { scatter(&values, from: start, validity: bitmap, placeholder: "") }
            out.storage = .string(values)
        case .codedString:
            preconditionFailure("decoding accumulates plain strings; coded strings only come from writers' callers")
        }
        guard reader.remaining == 0 else {
            throw DecodeFailure(at: reader.offset, "\(reader.remaining) unexpected bytes after the chunk's values")
        }
        out.appendValidity(bitmap, rows: layout.rowCount)
    }

    /// Spreads the dense values after `start` over the rows, putting `placeholder` at nulls.
    static func scatter<T>(_ values: inout [T], from start: Int, validity: ValidityBitmap, placeholder: T) {
        let dense = Array(values[start...])
        values.removeSubrange(start...)
        Growth.reserve(&values, adding: validity.count)
        var next = 0
        for row in 0..<validity.count {
            if validity[row] {
                values.append(dense[next])
                next += 1
            } else {
                values.append(placeholder)
            }
        }
    }

    /// Reads a bit width byte, at most `maximum`.
    static func readWidth(_ reader: inout ByteReader, maximum: Int = 64) throws(DecodeFailure) -> Int {
        let at = reader.offset
        let width = Int(try reader.readByte("bit width"))
        guard width <= maximum else { throw DecodeFailure(at: at, "bit width \(width) exceeds \(maximum)") }
        return width
    }

    /// Claims the bytes of `count` packed values of `width` bits, returning their offset.
    static func claimPacked(_ reader: inout ByteReader, count: Int, width: Int, _ what: String) throws(DecodeFailure)
        -> Int
    {
        guard let size = BitPacking.byteCount(count: count, width: width) else {
            throw DecodeFailure(at: reader.offset, "\(what) size overflows")
        }
        return try reader.skip(size, what)
    }

    /// Reads a frame-of-reference section of `count` integers, appending them to `out`.
    static func readFOR(_ reader: inout ByteReader, count: Int, into out: inout [Int64]) throws(DecodeFailure) {
        let reference = try reader.readZigzag("frame-of-reference base")
        let width = try readWidth(&reader)
        let start = try claimPacked(&reader, count: count, width: width, "packed integers")
        BitPacking.unpack(reader.bytes, at: start, count: count, width: width, into: &out) {
            reference &+ Int64(bitPattern: $0)
        }
    }

    /// Reads run lengths for `runs` runs covering exactly `count` values.
    static func readRunLengths(_ reader: inout ByteReader, runs: Int, count: Int) throws(DecodeFailure) -> [Int] {
        let at = reader.offset
        let width = try readWidth(&reader, maximum: 32)
        let start = try claimPacked(&reader, count: runs, width: width, "run lengths")
        var lengths: [Int] = []
        BitPacking.unpack(reader.bytes, at: start, count: runs, width: width, into: &lengths) { Int($0) + 1 }
        var total = 0
        for length in lengths {
            total += length
            if total > count { break }
        }
        guard total == count else { throw DecodeFailure(at: at, "run lengths do not add up to \(count) values") }
        return lengths
    }

    /// Reads a code width and `count` codes, each checked against `dictionary`'s size, appending
    /// the looked-up values.
    static func readCodes<T>(_ reader: inout ByteReader, count: Int, dictionary: [T], into out: inout [T])
        throws(DecodeFailure)
    {
        let at = reader.offset
        let width = try readWidth(&reader, maximum: 32)
        let start = try claimPacked(&reader, count: count, width: width, "dictionary codes")
        let size = UInt64(dictionary.count)
        var bad = false
        let before = out.count
        BitPacking.unpack(reader.bytes, at: start, count: count, width: width, into: &out) { code in
            if code >= size {
                bad = true
                return dictionary[0]
            }
            return dictionary[Int(code)]
        }
        if bad {
            out.removeSubrange(before...)
            throw DecodeFailure(at: at, "a dictionary code is not below the dictionary size \(size)")
        }
    }

    /// Reads the number of dictionary entries or runs: 1…`count`.
    static func readEntryCount(_ reader: inout ByteReader, count: Int, _ what: String) throws(DecodeFailure) -> Int {
        let at = reader.offset
        let value = try reader.readCount(what, limit: count, code: .corrupt)
        guard value >= 1 else { throw DecodeFailure(at: at, "\(what) must be at least 1") }
        return value
    }

    static func decodeInt64(_ reader: inout ByteReader, count: Int, encoding: ColumnarEncoding, into out: inout [Int64])
        throws(DecodeFailure)
    {
        switch encoding {
        case .constant:
            guard count > 0 else { return }
            let value = try reader.readZigzag("constant value")
            out.append(contentsOf: repeatElement(value, count: count))
        case .plain:
            let start = try claimPacked(&reader, count: count, width: 64, "plain integers")
            BitPacking.unpack(reader.bytes, at: start, count: count, width: 64, into: &out) { Int64(bitPattern: $0) }
        case .frameOfReference:
            try readFOR(&reader, count: count, into: &out)
        case .dictionary:
            let size = try readEntryCount(&reader, count: count, "dictionary size")
            var dictionary: [Int64] = []
            try readFOR(&reader, count: size, into: &dictionary)
            try readCodes(&reader, count: count, dictionary: dictionary, into: &out)
        case .runLength:
            let runs = try readEntryCount(&reader, count: count, "run count")
            let lengths = try readRunLengths(&reader, runs: runs, count: count)
            var values: [Int64] = []
            try readFOR(&reader, count: runs, into: &values)
            Growth.reserve(&out, adding: count)
            for (value, length) in zip(values, lengths) { out.append(contentsOf: repeatElement(value, count: length)) }
        }
    }

    static func decodeDouble(
        _ reader: inout ByteReader, count: Int, encoding: ColumnarEncoding, into out: inout [Double]
    ) throws(DecodeFailure) {
        func readPlain(_ reader: inout ByteReader, count: Int, into out: inout [Double]) throws(DecodeFailure) {
            let start = try claimPacked(&reader, count: count, width: 64, "plain doubles")
            BitPacking.unpack(reader.bytes, at: start, count: count, width: 64, into: &out) { Double(bitPattern: $0) }
        }
        switch encoding {
        case .constant:
            guard count > 0 else { return }
            let value = Double(bitPattern: try reader.readInteger(UInt64.self, "constant value"))
            out.append(contentsOf: repeatElement(value, count: count))
        case .plain:
            try readPlain(&reader, count: count, into: &out)
        case .frameOfReference:
            throw DecodeFailure(at: reader.offset, "frame-of-reference encoding is for integer columns only")
        case .dictionary:
            let size = try readEntryCount(&reader, count: count, "dictionary size")
            var dictionary: [Double] = []
            try readPlain(&reader, count: size, into: &dictionary)
            try readCodes(&reader, count: count, dictionary: dictionary, into: &out)
        case .runLength:
            let runs = try readEntryCount(&reader, count: count, "run count")
            let lengths = try readRunLengths(&reader, runs: runs, count: count)
            var values: [Double] = []
            try readPlain(&reader, count: runs, into: &values)
            Growth.reserve(&out, adding: count)
            for (value, length) in zip(values, lengths) { out.append(contentsOf: repeatElement(value, count: length)) }
        }
    }
}
