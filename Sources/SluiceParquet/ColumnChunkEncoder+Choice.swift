extension ColumnChunkEncoder {
    // MARK: Choosing the encoding

    /// Dictionary or PLAIN for integers. A small range (under 65,536 values wide) is counted
    /// with a table indexed by `value - min`, which yields a sorted dictionary without hashing.
    /// `byteWidth` is 8 for INT64, 4 for INT32 (a DATE column).
    static func choose(_ numbers: [Int64], maxEntries: Int, byteWidth: Int = 8) -> Values {
        let plain: Values = byteWidth == 4 ? .plainInt32(numbers) : .plainInt64(numbers)
        guard let first = numbers.first else { return plain }
        var minimum = first, maximum = first
        for number in numbers {
            minimum = Swift.min(minimum, number)
            maximum = Swift.max(maximum, number)
        }
        var entries: [Int64] = []
        var codes: [UInt32] = []
        let isSorted: Bool
        let (span, overflow) = maximum.subtractingReportingOverflow(minimum)
        if !overflow && span < 1 << 16 {
            var table = [UInt32](repeating: .max, count: Int(span) + 1)
            for number in numbers { table[Int(number &- minimum)] = 0 }
            for slot in table.indices where table[slot] == 0 {
                table[slot] = UInt32(entries.count)
                entries.append(minimum &+ Int64(slot))
            }
            guard entries.count <= maxEntries,
                dictionaryPays(
                    entries: entries.count, entryBytes: byteWidth * entries.count,
                    values: numbers.count, plainBytes: byteWidth * numbers.count)
            else { return plain }
            codes = numbers.map { table[Int($0 &- minimum)] }
            isSorted = true
        } else {
            var index: [Int64: UInt32] = [:]
            codes.reserveCapacity(numbers.count)
            for number in numbers {
                if let code = index[number] {
                    codes.append(code)
                    continue
                }
                guard entries.count < maxEntries else { return plain }
                index[number] = UInt32(entries.count)
                codes.append(UInt32(entries.count))
                entries.append(number)
            }
            guard
                dictionaryPays(
                    entries: entries.count, entryBytes: byteWidth * entries.count,
                    values: numbers.count, plainBytes: byteWidth * numbers.count)
            else { return plain }
            isSorted = false
        }
        var page: [UInt8] = []
        page.reserveCapacity(byteWidth * entries.count)
        for entry in entries { PlainEncoder.append(entry, byteWidth: byteWidth, into: &page) }
        return dictionary(page: page, entries: entries.count, isSorted: isSorted, codes: codes)
    }

    /// Dictionary or PLAIN for doubles, keyed by bit pattern (so `-0.0`, `+0.0` and each NaN
    /// payload stay what they were).
    static func choose(_ numbers: [Double], maxEntries: Int) -> Values {
        var index: [UInt64: UInt32] = [:]
        var entries: [UInt64] = []
        var codes: [UInt32] = []
        codes.reserveCapacity(numbers.count)
        for number in numbers {
            let bits = number.bitPattern
            if let code = index[bits] {
                codes.append(code)
                continue
            }
            guard entries.count < maxEntries else { return .plainDouble(numbers) }
            index[bits] = UInt32(entries.count)
            codes.append(UInt32(entries.count))
            entries.append(bits)
        }
        guard !numbers.isEmpty,
            dictionaryPays(
                entries: entries.count, entryBytes: 8 * entries.count,
                values: numbers.count, plainBytes: 8 * numbers.count)
        else { return .plainDouble(numbers) }
        var page: [UInt8] = []
        for entry in entries { PlainEncoder.append(entry, into: &page) }
        return dictionary(page: page, entries: entries.count, isSorted: false, codes: codes)
    }

    /// Dictionary or PLAIN for strings, from the chunk's dictionary and how often each entry occurs.
    static func choose(_ strings: StringDictionary, codes: [UInt32], maxEntries: Int) -> Values {
        let entries = strings.entries
        guard !codes.isEmpty, entries.count <= maxEntries else { return .plainString(strings, codes: codes) }
        var occurrences = [Int](repeating: 0, count: entries.count)
        for code in codes { occurrences[Int(code)] += 1 }
        var entryBytes = 0
        var plainBytes = 0
        for (entry, count) in zip(entries, occurrences) {
            let size = 4 + entry.utf8.count
            entryBytes += size
            plainBytes += size * count
        }
        guard
            dictionaryPays(entries: entries.count, entryBytes: entryBytes, values: codes.count, plainBytes: plainBytes)
        else { return .plainString(strings, codes: codes) }
        var page: [UInt8] = []
        page.reserveCapacity(entryBytes)
        for entry in entries { PlainEncoder.append(entry, into: &page) }
        return dictionary(page: page, entries: entries.count, isSorted: false, codes: codes)
    }

    /// Whether a dictionary page of `entryBytes` plus bit-packed indices is smaller than PLAIN.
    static func dictionaryPays(entries: Int, entryBytes: Int, values: Int, plainBytes: Int) -> Bool {
        let width = indexBitWidth(entries: entries)
        return entryBytes + (values * width + 7) / 8 < plainBytes
    }

    /// The bit width of dictionary indices: enough for `entries - 1`, and at least 1 (a width of
    /// 0 is valid but some readers mishandle it).
    static func indexBitWidth(entries: Int) -> Int {
        Swift.max(1, RLEHybridEncoder.bitWidth(forMaximum: UInt32(Swift.max(entries - 1, 0))))
    }

    private static func dictionary(page: [UInt8], entries: Int, isSorted: Bool, codes: [UInt32]) -> Values {
        .dictionary(
            page: page, entries: entries, isSorted: isSorted, codes: codes, bitWidth: indexBitWidth(entries: entries))
    }

    // MARK: Statistics

    /// Integer statistics: min and max (in both the current and the deprecated fields, since
    /// signed order is the type's order) and the null count.
    /// `byteWidth` 4 writes them as INT32 (DATE), 1 as BOOLEAN (false < true).
    static func statistics(_ numbers: [Int64], nulls: Int, byteWidth: Int = 8) -> Statistics {
        guard let first = numbers.first else { return Statistics(nullCount: Int64(nulls)) }
        var minimum = first, maximum = first
        for number in numbers {
            minimum = Swift.min(minimum, number)
            maximum = Swift.max(maximum, number)
        }
        if byteWidth == 1 { (minimum, maximum) = (minimum != 0 ? 1 : 0, maximum != 0 ? 1 : 0) }
        var low: [UInt8] = [], high: [UInt8] = []
        PlainEncoder.append(minimum, byteWidth: byteWidth, into: &low)
        PlainEncoder.append(maximum, byteWidth: byteWidth, into: &high)
        return Statistics(
            max: high, min: low, nullCount: Int64(nulls), maxValue: high, minValue: low,
            isMaxValueExact: true, isMinValueExact: true)
    }

    /// Double statistics as `TYPE_ORDER` asks: NaN counted (`nan_count`) and left out of the
    /// bounds, no bounds when every value is NaN, a zero minimum written as `-0.0` and a zero
    /// maximum as `+0.0`.
    static func statistics(_ numbers: [Double], nulls: Int) -> Statistics {
        var nans = 0
        var minimum = Double.infinity, maximum = -Double.infinity
        for number in numbers {
            if number.isNaN {
                nans += 1
                continue
            }
            minimum = Swift.min(minimum, number)
            maximum = Swift.max(maximum, number)
        }
        guard nans < numbers.count else { return Statistics(nullCount: Int64(nulls), nanCount: Int64(nans)) }
        if minimum == 0 { minimum = -0.0 }
        if maximum == 0 { maximum = 0.0 }
        let low = PlainEncoder.bytes(minimum.bitPattern), high = PlainEncoder.bytes(maximum.bitPattern)
        return Statistics(
            max: high, min: low, nullCount: Int64(nulls), maxValue: high, minValue: low, nanCount: Int64(nans))
    }

    /// String statistics: the smallest and largest entry by unsigned byte-wise comparison of
    /// their UTF-8 (the `STRING` order), in `min_value`/`max_value` only.
    static func statistics(_ strings: StringDictionary, nulls: Int) -> Statistics {
        guard var minimum = strings.entries.first else { return Statistics(nullCount: Int64(nulls)) }
        var maximum = minimum
        for entry in strings.entries.dropFirst() {
            if entry.utf8.lexicographicallyPrecedes(minimum.utf8) { minimum = entry }
            if maximum.utf8.lexicographicallyPrecedes(entry.utf8) { maximum = entry }
        }
        return Statistics(
            nullCount: Int64(nulls), maxValue: Array(maximum.utf8), minValue: Array(minimum.utf8),
            isMaxValueExact: true, isMinValueExact: true)
    }
}

/// PLAIN encoding of single values: 8 bytes little-endian for INT64 and DOUBLE, a 4-byte
/// little-endian length and the bytes for BYTE_ARRAY.
enum PlainEncoder {
    /// Appends `value` as 8 little-endian bytes.
    @inline(__always)
    static func append(_ value: UInt64, into out: inout [UInt8]) {
        var rest = value
        for _ in 0..<8 {
            out.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Appends `string` as a 4-byte little-endian length and its UTF-8 bytes.
    static func append(_ string: String, into out: inout [UInt8]) {
        let length = UInt32(string.utf8.count)
        for byte in 0..<4 { out.append(UInt8(truncatingIfNeeded: length >> UInt32(byte * 8))) }
        out.append(contentsOf: string.utf8)
    }

    /// Appends the low `byteWidth` bytes of `value`, little-endian (8: INT64, 4: INT32, 1: a BOOLEAN statistic).
    static func append(_ value: Int64, byteWidth: Int, into out: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for byte in 0..<byteWidth { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(byte * 8))) }
    }

    /// `value` as 8 little-endian bytes.
    static func bytes(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        append(value, into: &out)
        return out
    }
}
