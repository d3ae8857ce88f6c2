/// One column chunk, encoded but not yet compressed.
struct EncodedChunk {
    /// Validity bitmap (when there are nulls) followed by the value section.
    var raw: [UInt8]
    /// The value encoding chosen.
    var encoding: ColumnarEncoding
    /// Exact statistics of the chunk.
    var statistics: ColumnStatistics
}

/// Chooses each chunk's encoding from exact statistics and encodes it.
///
/// One pass computes min, max, the run count, the longest run and (up to a cap) the distinct
/// values; the sizes of all candidate encodings then follow exactly, and the smallest wins,
/// ties going to the faster decode: constant, frame of reference, dictionary, run-length, plain.
enum ChunkEncoder {
    /// Dictionaries stop being built past this many distinct values.
    static let maxDictionaryEntries = 4096
    /// String statistics longer than this many bytes are truncated.
    static let maxStatisticBytes = 64

    /// Encodes the non-null `values` of a chunk of `rowCount` rows; `validity` is given when
    /// some rows are null (then `values` holds only the non-null rows' values, in order).
    static func encode(_ values: DenseValues, validity: ValidityBitmap?, rowCount: Int) -> EncodedChunk {
        var writer = ByteWriter()
        let nullCount = rowCount - values.count
        if let validity, nullCount > 0 { writer.bytes = validity.fileBytes }
        writer.bytes.reserveCapacity(writer.bytes.count + values.count + 64)
        var (encoding, statistics): (ColumnarEncoding, ColumnStatistics)
        switch values {
        case .int64(let slice): (encoding, statistics) = encodeInt64(slice, into: &writer)
        case .double(let slice): (encoding, statistics) = encodeDouble(slice, into: &writer)
        case .string(let slice): (encoding, statistics) = encodeString(slice, into: &writer)
        case .codedString(let dictionary, let codes):
            (encoding, statistics) = encodeCodedString(dictionary, codes, into: &writer)
        }
        statistics.nullCount = nullCount
        return EncodedChunk(raw: writer.bytes, encoding: encoding, statistics: statistics)
    }

    /// The smallest of the candidate sizes, in order of preference (first wins a tie).
    static func cheapest(_ candidates: [(ColumnarEncoding, Int?)]) -> ColumnarEncoding {
        var best: (ColumnarEncoding, Int)? = nil
        for case let (encoding, size?) in candidates where best == nil || size < best!.1 { best = (encoding, size) }
        return best?.0 ?? .plain
    }

    /// Bytes of a packed run, treating overflow (impossible for in-memory data) as huge.
    static func packed(_ count: Int, _ width: Int) -> Int {
        BitPacking.byteCount(count: count, width: width) ?? .max / 4
    }

    /// The size of a frame-of-reference section of `count` values from `min` with `width` bits.
    static func forSize(_ count: Int, min: Int64, width: Int) -> Int {
        ByteWriter.varintSize(Zigzag.encode(min)) + 1 + packed(count, width)
    }

    /// Writes a frame-of-reference section: reference, width, packed offsets.
    static func writeFOR<C: RandomAccessCollection>(_ values: C, min: Int64, width: Int, into writer: inout ByteWriter)
    where C.Element == Int64, C.Index == Int {
        writer.writeZigzag(min)
        writer.writeByte(UInt8(width))
        BitPacking.pack(values, width: width, into: &writer.bytes) { UInt64(bitPattern: $0 &- min) }
    }

    // MARK: Integers

    static func encodeInt64(_ values: ArraySlice<Int64>, into writer: inout ByteWriter) -> (
        ColumnarEncoding, ColumnStatistics
    ) {
        let count = values.count
        guard let first = values.first else {
            return (.constant, ColumnStatistics(nullCount: 0, distinctCount: 0, min: nil, max: nil))
        }
        var minimum = first, maximum = first, runs = 1, longest = 1, current = 1, previous = first
        for value in values.dropFirst() {
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
            if value == previous {
                current += 1
            } else {
                if current > longest { longest = current }
                runs += 1
                current = 1
                previous = value
            }
        }
        if current > longest { longest = current }
        let range = UInt64(bitPattern: maximum &- minimum)
        let width = BitPacking.width(of: range)

        // Distinct values: a presence table when the range is small, else a capped hash map.
        var codeTable: [UInt32] = []
        var codeMap: [Int64: UInt32] = [:]
        var dictionary: [Int64] = []
        var distinct: Int? = nil
        if range < 1 << 16 {
            codeTable = [UInt32](repeating: .max, count: Int(range) + 1)
            for value in values { codeTable[Int(UInt64(bitPattern: value &- minimum))] = 0 }
            for index in codeTable.indices where codeTable[index] == 0 {
                codeTable[index] = UInt32(dictionary.count)
                dictionary.append(minimum &+ Int64(index))
            }
            distinct = dictionary.count
        } else {
            var seen = Set<Int64>()
            for value in values {
                seen.insert(value)
                if seen.count > maxDictionaryEntries { break }
            }
            if seen.count <= maxDictionaryEntries {
                dictionary = seen.sorted()
                for (code, value) in dictionary.enumerated() { codeMap[value] = UInt32(code) }
                distinct = dictionary.count
            }
        }
        let codeWidth = BitPacking.width(of: UInt64(max(dictionary.count, 1) - 1))
        let runWidth = BitPacking.width(of: UInt64(longest - 1))
        let encoding = cheapest([
            (.constant, minimum == maximum ? ByteWriter.varintSize(Zigzag.encode(minimum)) : nil),
            (.frameOfReference, forSize(count, min: minimum, width: width)),
            (
                .dictionary,
                distinct.map {
                    ByteWriter.varintSize(UInt64($0)) + forSize($0, min: minimum, width: width) + 1
                        + packed(count, codeWidth)
                }
            ),
            (
                .runLength,
                ByteWriter.varintSize(UInt64(runs)) + 1 + packed(runs, runWidth)
                    + forSize(runs, min: minimum, width: width)
            ),
            (.plain, 8 * count),
        ])
        switch encoding {
        case .constant:
            writer.writeZigzag(minimum)
        case .frameOfReference:
            writeFOR(values, min: minimum, width: width, into: &writer)
        case .dictionary:
            writer.writeVarint(dictionary.count)
            writeFOR(dictionary, min: minimum, width: width, into: &writer)
            writer.writeByte(UInt8(codeWidth))
            if codeTable.isEmpty {
                BitPacking.pack(values, width: codeWidth, into: &writer.bytes) { UInt64(codeMap[$0]!) }
            } else {
                BitPacking.pack(values, width: codeWidth, into: &writer.bytes) {
                    UInt64(codeTable[Int(UInt64(bitPattern: $0 &- minimum))])
                }
            }
        case .runLength:
            let (lengths, runValues) = RunSplitter.split(values)
            writer.writeVarint(runs)
            writer.writeByte(UInt8(runWidth))
            BitPacking.pack(lengths, width: runWidth, into: &writer.bytes) { UInt64($0 - 1) }
            writeFOR(runValues, min: minimum, width: width, into: &writer)
        case .plain:
            for value in values { writer.writeInteger(value) }
        }
        return (
            encoding,
            ColumnStatistics(nullCount: 0, distinctCount: distinct, min: .int64(minimum), max: .int64(maximum))
        )
    }

    // MARK: Doubles

    static func encodeDouble(_ values: ArraySlice<Double>, into writer: inout ByteWriter) -> (
        ColumnarEncoding, ColumnStatistics
    ) {
        let count = values.count
        guard let first = values.first else {
            return (.constant, ColumnStatistics(nullCount: 0, distinctCount: 0, min: nil, max: nil))
        }
        var minimum: Double? = nil, maximum: Double? = nil
        var runs = 1, longest = 1, current = 1, previous = first.bitPattern
        var codes: [UInt64: UInt32] = [:]
        var overflowed = false
        for value in values {
            if !value.isNaN {
                if minimum.map({ value < $0 }) ?? true { minimum = value }
                if maximum.map({ value > $0 }) ?? true { maximum = value }
            }
            if !overflowed, codes[value.bitPattern] == nil {
                codes[value.bitPattern] = 0
                if codes.count > maxDictionaryEntries { overflowed = true }
            }
        }
        for value in values.dropFirst() {
            if value.bitPattern == previous {
                current += 1
            } else {
                longest = max(longest, current)
                runs += 1
                current = 1
                previous = value.bitPattern
            }
        }
        longest = max(longest, current)
        var dictionary: [Double] = []
        if !overflowed {
            dictionary = codes.keys.map { Double(bitPattern: $0) }.sorted { $0.isTotallyOrdered(belowOrEqualTo: $1) }
            for (code, value) in dictionary.enumerated() { codes[value.bitPattern] = UInt32(code) }
        }
        let distinct = overflowed ? nil : dictionary.count
        let codeWidth = BitPacking.width(of: UInt64(max(dictionary.count, 1) - 1))
        let runWidth = BitPacking.width(of: UInt64(longest - 1))
        let encoding = cheapest([
            (.constant, distinct == 1 ? 8 : nil),
            (.dictionary, distinct.map { ByteWriter.varintSize(UInt64($0)) + 8 * $0 + 1 + packed(count, codeWidth) }),
            (.runLength, ByteWriter.varintSize(UInt64(runs)) + 1 + packed(runs, runWidth) + 8 * runs),
            (.plain, 8 * count),
        ])
        switch encoding {
        case .constant:
            writer.writeInteger(first.bitPattern)
        case .dictionary:
            writer.writeVarint(dictionary.count)
            for value in dictionary { writer.writeInteger(value.bitPattern) }
            writer.writeByte(UInt8(codeWidth))
            BitPacking.pack(values, width: codeWidth, into: &writer.bytes) { UInt64(codes[$0.bitPattern]!) }
        case .runLength:
            let (lengths, runValues) = RunSplitter.split(values.lazy.map(\.bitPattern))
            writer.writeVarint(runs)
            writer.writeByte(UInt8(runWidth))
            BitPacking.pack(lengths, width: runWidth, into: &writer.bytes) { UInt64($0 - 1) }
            for value in runValues { writer.writeInteger(value) }
        case .plain, .frameOfReference:
            for value in values { writer.writeInteger(value.bitPattern) }
        }
        let statistics = ColumnStatistics(
            nullCount: 0, distinctCount: distinct, min: minimum.map { .double($0) }, max: maximum.map { .double($0) }
        )
        return (encoding, statistics)
    }
}

/// Splits a sequence into runs of equal values.
enum RunSplitter {
    /// The run lengths and one value per run.
    static func split<S: Sequence>(_ values: S) -> (lengths: [Int], values: [S.Element]) where S.Element: Equatable {
        var lengths: [Int] = [], runValues: [S.Element] = []
        for value in values {
            if let last = runValues.last, last == value {
                lengths[lengths.count - 1] += 1
            } else {
                runValues.append(value)
                lengths.append(1)
            }
        }
        return (lengths, runValues)
    }
}

/// The non-null values of one chunk, as slices of the caller's arrays.
enum DenseValues {
    case int64(ArraySlice<Int64>)
    case double(ArraySlice<Double>)
    case string(ArraySlice<String>)
    case codedString([String], ArraySlice<UInt32>)

    /// The number of values.
    var count: Int {
        switch self {
        case .codedString(_, let codes): codes.count
        case .int64(let values): values.count
        case .double(let values): values.count
        case .string(let values): values.count
        }
    }
}
