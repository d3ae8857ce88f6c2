/// Appends little-endian integers, LEB128 varints and byte strings to a growing buffer.
///
/// Named as in NIO's `ByteBuffer`: `write*` appends and moves the end.
struct ByteWriter {
    /// The bytes written so far.
    var bytes: [UInt8] = []

    /// Appends one byte.
    mutating func writeByte(_ value: UInt8) { bytes.append(value) }

    /// Appends an unsigned LEB128 varint (1–10 bytes).
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends a non-negative `Int` as a varint.
    mutating func writeVarint(_ value: Int) {
        precondition(value >= 0, "negative varint")
        writeVarint(UInt64(value))
    }

    /// Appends a signed value as a zigzag varint.
    mutating func writeZigzag(_ value: Int64) { writeVarint(Zigzag.encode(value)) }

    /// Appends a little-endian integer.
    mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    /// Appends a varint length and the UTF-8 bytes of `string`.
    mutating func writeString(_ string: String) {
        writeVarint(string.utf8.count)
        bytes.append(contentsOf: string.utf8)
    }

    /// The size of `value` as a varint, in bytes.
    static func varintSize(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }
}

/// Zigzag mapping of signed to unsigned integers (0, -1, 1, -2 … → 0, 1, 2, 3 …).
enum Zigzag {
    /// The zigzag form of `value`.
    static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    /// The signed value of a zigzag form.
    static func decode(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }
}

/// Reads little-endian integers, varints and byte strings from a buffer, moving a cursor.
///
/// Every `read*` checks the bytes that remain and throws a ``DecodeFailure`` with the offset
/// where the short or malformed value starts; nothing traps and nothing reads past `end`.
struct ByteReader {
    /// The buffer being read.
    let bytes: [UInt8]
    /// The cursor: the offset of the next unread byte.
    var offset: Int
    /// One past the last byte this reader may read.
    let end: Int

    /// A reader over `bytes[start..<end]`.
    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        offset = start
        self.end = end ?? bytes.count
    }

    /// The number of unread bytes.
    var remaining: Int { end - offset }

    /// Reads one byte.
    mutating func readByte(_ what: @autoclosure () -> String) throws(DecodeFailure) -> UInt8 {
        guard offset < end else { throw DecodeFailure(at: offset, "truncated \(what())") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes that fits in 64 bits.
    mutating func readVarint(_ what: @autoclosure () -> String) throws(DecodeFailure) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw DecodeFailure(at: start, "truncated varint (\(what()))") }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw DecodeFailure(at: start, "varint overflows 64 bits (\(what()))") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a varint count or size and checks it is at most `limit`.
    mutating func readCount(
        _ what: @autoclosure () -> String, limit: Int, code: ColumnarError.Code = .limitExceeded
    ) throws(DecodeFailure) -> Int {
        let start = offset
        let value = try readVarint(what())
        guard value <= UInt64(limit) else {
            throw DecodeFailure(code, at: start, "\(what()) \(value) exceeds the limit \(limit)")
        }
        return Int(value)
    }

    /// Reads a zigzag varint.
    mutating func readZigzag(_ what: @autoclosure () -> String) throws(DecodeFailure) -> Int64 {
        Zigzag.decode(try readVarint(what()))
    }

    /// Reads a little-endian integer.
    mutating func readInteger<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String)
        throws(DecodeFailure) -> T
    {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw DecodeFailure(at: offset, "truncated \(what())") }
        var value: T = 0
        for index in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (index * 8) }
        offset += size
        return value
    }

    /// Skips `count` bytes, returning the offset of the first; throws if fewer remain.
    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(DecodeFailure) -> Int {
        guard count >= 0, count <= remaining else {
            throw DecodeFailure(at: offset, "\(what()) needs \(count) bytes but only \(remaining) remain")
        }
        defer { offset += count }
        return offset
    }

    /// Reads a varint length (at most `limit`) and that many bytes as valid UTF-8.
    mutating func readString(_ what: @autoclosure () -> String, limit: Int) throws(DecodeFailure) -> String {
        let length = try readCount("\(what()) length", limit: limit)
        let start = try skip(length, what())
        guard let string = String(validating: bytes[start..<start + length], as: UTF8.self) else {
            throw DecodeFailure(.invalidUTF8, at: start, "\(what()) is not valid UTF-8")
        }
        return string
    }

    /// Reads the value at `offset` without moving the cursor; `nil` on short input.
    func getByte(at offset: Int) -> UInt8? {
        offset >= 0 && offset < end ? bytes[offset] : nil
    }
}
