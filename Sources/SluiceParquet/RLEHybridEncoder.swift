/// Parquet's run-length / bit-packing hybrid encoding (`RLE`, Encodings.md), used for
/// definition levels and dictionary indices.
///
/// The data is a sequence of runs. An RLE run is a header `varint(count << 1)` and the value in
/// `ceil(bitWidth / 8)` little-endian bytes; a bit-packed run is a header
/// `varint(groups << 1 | 1)` and `groups × 8` values of `bitWidth` bits, packed from the least
/// significant bit of each byte. Runs of at least eight equal values become RLE runs; everything
/// else is bit-packed, the last group padded with zeros (readers know the value count from the
/// page header).
///
/// ```swift
/// var out: [UInt8] = []
/// RLEHybridEncoder.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3, into: &out)
/// // [0x03, 0x88, 0xC6, 0xFA]: one bit-packed group, as in the specification's example
/// ```
enum RLEHybridEncoder {
    /// The bits needed to store `maximum`: 0 for 0, else its highest set bit's position plus one.
    static func bitWidth(forMaximum maximum: UInt32) -> Int {
        maximum == 0 ? 0 : 32 - maximum.leadingZeroBitCount
    }

    /// Encodes `values[range]`, each below `2^bitWidth`, appending the runs to `out`.
    ///
    /// - Precondition: `0 <= bitWidth <= 32`.
    /// - Complexity: O(n), one pass to find runs and one to pack.
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: [Value], range: Range<Int>? = nil, bitWidth: Int, into out: inout [UInt8]
    ) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "bit width must be 0…32")
        let range = range ?? values.indices
        var literalStart = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let value = values[index]
            var end = index + 1
            while end < range.upperBound && values[end] == value { end += 1 }
            let run = end - index
            if run >= 8 {
                // Literals must come in whole groups of eight: lend them the run's first values.
                let pending = index - literalStart
                let padding = (8 - pending % 8) % 8
                if run - padding >= 8 {
                    if pending + padding > 0 {
                        writeBitPacked(values, literalStart..<index + padding, bitWidth: bitWidth, into: &out)
                    }
                    writeRepeated(UInt32(value), count: run - padding, bitWidth: bitWidth, into: &out)
                    literalStart = end
                }
            }
            index = end
        }
        if literalStart < range.upperBound {
            writeBitPacked(values, literalStart..<range.upperBound, bitWidth: bitWidth, into: &out)
        }
    }

    /// Encodes `values` with the 4-byte little-endian length prefix that data page v1 puts
    /// before its definition and repetition levels.
    static func encodeWithLength<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: [Value], range: Range<Int>? = nil, bitWidth: Int, into out: inout [UInt8]
    ) {
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        encode(values, range: range, bitWidth: bitWidth, into: &out)
        let length = UInt32(out.count - start - 4)
        for byte in 0..<4 { out[start + byte] = UInt8(truncatingIfNeeded: length >> UInt32(byte * 8)) }
    }

    /// An RLE run: `count` copies of `value`.
    static func writeRepeated(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        writeVarint(UInt64(count) << 1, into: &out)
        for byte in 0..<(bitWidth + 7) / 8 { out.append(UInt8(truncatingIfNeeded: value >> UInt32(byte * 8))) }
    }

    /// A bit-packed run of `range.count` values, rounded up to whole groups of eight with zeros.
    static func writeBitPacked<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: [Value], _ range: Range<Int>, bitWidth: Int, into out: inout [UInt8]
    ) {
        let groups = (range.count + 7) / 8
        writeVarint(UInt64(groups) << 1 | 1, into: &out)
        guard bitWidth > 0 else { return }
        var buffer: UInt64 = 0
        var bits = 0
        for index in range.lowerBound..<range.lowerBound + groups * 8 {
            let value = index < range.upperBound ? UInt64(values[index]) : 0
            buffer |= value << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bits -= 8
            }
        }
        // Eight values of `bitWidth` bits fill exactly `bitWidth` bytes: nothing is left over.
        assert(bits == 0)
    }

    /// An unsigned LEB128 varint.
    static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}
