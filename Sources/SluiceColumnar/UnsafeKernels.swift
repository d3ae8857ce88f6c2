// The only file in SluiceColumnar (besides Zstd.swift and FileDescriptor.swift, which wrap C)
// that touches raw pointers. Everything here is a hot loop where bounds-checked `Array`
// indexing costs 2–5x: bit-packing and unpacking (one call per chunk, millions of values),
// XXH64 over chunk bytes, and reading a string's UTF-8 bytes for dictionary building.
// Each function checks its bounds once up front (with `precondition`, because callers have
// already validated every size against the buffer — a failure here is a bug, not bad input)
// and then never reads or writes outside the buffer it was lent.

/// LSB-first bit-packing of unsigned values, the one layout every encoding uses.
///
/// Value `i` occupies bits `[i·w, (i+1)·w)` of the byte string, bit 0 being the least
/// significant bit of byte 0. Width 0 packs nothing (every value is 0).
enum BitPacking {
    /// The number of bytes `count` values of `width` bits take, or `nil` on overflow.
    static func byteCount(count: Int, width: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: width)
        if overflow { return nil }
        return bits / 8 + (bits % 8 == 0 ? 0 : 1)
    }

    /// The number of bits needed to represent `value` (0 for 0).
    @inline(__always)
    static func width(of value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    /// Appends `count` values, each `transform(element)` truncated to `width` bits.
    ///
    /// - Precondition: `width <= 64`; every transformed value fits in `width` bits.
    @inline(__always)
    static func pack<C: RandomAccessCollection>(
        _ values: C, width: Int, into out: inout [UInt8], transform: (C.Element) -> UInt64
    ) where C.Index == Int {
        precondition(width >= 0 && width <= 64, "bad width")
        guard width > 0, !values.isEmpty, let size = byteCount(count: values.count, width: width) else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: size + 8))
        out.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress! + start
            var accumulator: UInt64 = 0
            var filled = 0
            var offset = 0
            for value in values {
                let v = transform(value)
                accumulator |= v << UInt64(filled)
                filled += width
                if filled >= 64 {
                    (base + offset).storeBytes(of: accumulator.littleEndian, as: UInt64.self)
                    offset += 8
                    filled -= 64
                    accumulator = filled == 0 ? 0 : v >> UInt64(width - filled)
                }
            }
            if filled > 0 { (base + offset).storeBytes(of: accumulator.littleEndian, as: UInt64.self) }
        }
        out.removeLast(8)
    }

    /// Unpacks `count` values of `width` bits starting at `bytes[offset]`, appending
    /// `transform(value)` for each to `out`.
    ///
    /// Runs a fast path of unaligned 8-byte loads until 8 bytes before the end of the packed
    /// run, then a bounded tail loop, so nothing is read past `offset + byteCount`.
    /// - Precondition: `width <= 64` and the packed bytes lie inside `bytes`.
    /// - Complexity: O(count); about 1 ns per value.
    @inline(__always)
    static func unpack<T>(
        _ bytes: [UInt8], at offset: Int, count: Int, width: Int, into out: inout [T],
        transform: (UInt64) -> T
    ) {
        precondition(width >= 0 && width <= 64 && count >= 0, "bad width")
        guard count > 0 else { return }
        if width == 0 {
            out.append(contentsOf: repeatElement(transform(0), count: count))
            return
        }
        let size = byteCount(count: count, width: width)!
        precondition(offset >= 0 && offset <= bytes.count && size <= bytes.count - offset, "packed run out of range")
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        Growth.reserve(&out, adding: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + offset
            var index = 0
            if width <= 56 || width == 64 {
                // Fast path: the value's bits lie inside one 8-byte load at its first byte
                // (width 64 values are byte-aligned, so the shift is always 0).
                let fastLimit = size >= 8 ? size - 8 : -1
                var bit = 0
                while index < count {
                    let byte = bit >> 3
                    if byte > fastLimit { break }
                    let word = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self))
                    out.append(transform((word >> UInt64(bit & 7)) & mask))
                    bit += width
                    index += 1
                }
            }
            while index < count {
                // Tail and wide values: assemble bytes one at a time, never past `size`.
                let bit = index * width
                var value: UInt64 = 0
                var got = 0
                var byte = bit >> 3
                let shift = bit & 7
                while got < width + shift && byte < size {
                    let b = UInt64(base.load(fromByteOffset: byte, as: UInt8.self))
                    if got == 0 { value = b >> UInt64(shift) } else { value |= b << UInt64(got - shift) }
                    got += 8
                    byte += 1
                }
                out.append(transform(value & mask))
                index += 1
            }
        }
    }
}

/// XXH64 (seed 0), the checksum of chunks (low 32 bits) and the footer (all 64 bits); also the
/// pipeline's content digests (`package`).
package enum XXH64 {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }
    @inline(__always) private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* p1 &+ p4
    }

    /// The hash of `bytes[range]`.
    static func hash(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range out of bounds")
        return bytes.withUnsafeBytes { raw in hash(UnsafeRawBufferPointer(rebasing: raw[range])) }
    }

    /// The hash of all of `bytes`.
    package static func hash(_ bytes: [UInt8]) -> UInt64 { hash(bytes, 0..<bytes.count) }

    /// The hash of the bytes of `words` in memory order (little-endian on every platform Sluice runs on).
    package static func hash(words: ArraySlice<UInt64>) -> UInt64 {
        words.withUnsafeBytes { hash($0) }
    }

    /// The hash of a string's UTF-8 bytes.
    package static func hash(utf8 string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let length = raw.count
        guard let base = raw.baseAddress else { return avalanche(p5) }
        @inline(__always) func load64(_ at: Int) -> UInt64 {
            UInt64(littleEndian: (base + at).loadUnaligned(as: UInt64.self))
        }
        @inline(__always) func load32(_ at: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: (base + at).loadUnaligned(as: UInt32.self)))
        }
        var offset = 0
        var h: UInt64
        if length >= 32 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
            while offset + 32 <= length {
                v1 = round(v1, load64(offset))
                v2 = round(v2, load64(offset + 8))
                v3 = round(v3, load64(offset + 16))
                v4 = round(v4, load64(offset + 24))
                offset += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(merge(merge(merge(h, v1), v2), v3), v4)
        } else {
            h = p5
        }
        h &+= UInt64(length)
        while offset + 8 <= length {
            h = rotl(h ^ round(0, load64(offset)), 27) &* p1 &+ p4
            offset += 8
        }
        if offset + 4 <= length {
            h = rotl(h ^ (load32(offset) &* p1), 23) &* p2 &+ p3
            offset += 4
        }
        while offset < length {
            h = rotl(h ^ (UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* p5), 11) &* p1
            offset += 1
        }
        return avalanche(h)
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }
}

/// A string's UTF-8 bytes as a cheaply hashed, reference-free key: strings of up to 16 bytes
/// are held exactly; longer ones by an XXH64 of their bytes, so equal keys of long strings must
/// be confirmed with ``sameBytes(_:_:)``.
struct UTF8Key: Equatable {
    var low: UInt64
    var high: UInt64
    var length: Int

    /// Whether equal keys still need a byte comparison (strings over 16 bytes).
    var isHashed: Bool { length > 16 }

    /// The key of `string`, by bytes (Swift's `==` on `String` is canonical equivalence, which
    /// would merge distinct byte sequences and break exact round trips).
    @inline(__always)
    init(_ string: String) {
        var copy = string
        var low: UInt64 = 0, high: UInt64 = 0, length = 0
        copy.withUTF8 { utf8 in
            length = utf8.count
            if length > 16 {
                low = XXH64.hash(UnsafeRawBufferPointer(utf8))
                return
            }
            for index in 0..<length {
                let byte = UInt64(utf8[index])
                if index < 8 { low |= byte << UInt64(index &* 8) } else { high |= byte << UInt64((index &- 8) &* 8) }
            }
        }
        self.low = low
        self.high = high
        self.length = length
    }

    /// Whether two strings have the same UTF-8 bytes.
    static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// A fast 64-bit mix of the key for open addressing.
    @inline(__always)
    var mixed: UInt64 {
        let x = (low ^ (high &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(length)) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }
}

/// Geometric growth for arrays that many chunks append to (a whole column), so appending
/// chunk after chunk copies each value O(1) times instead of reallocating to the exact size.
enum Growth {
    @inline(__always)
    static func reserve<T>(_ array: inout [T], adding count: Int) {
        let needed = array.count + count
        if array.capacity < needed { array.reserveCapacity(Swift.max(needed, array.capacity * 2)) }
    }
}
