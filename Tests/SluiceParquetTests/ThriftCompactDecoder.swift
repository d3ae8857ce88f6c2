/// A generic Thrift compact protocol decoder, written for the tests from the protocol's
/// description (not from the encoder), so the encoder's output is checked independently.
enum ThriftValue: Equatable {
    case bool(Bool)
    case integer(Int64)
    case double(UInt64)
    case binary([UInt8])
    case list([ThriftValue])
    case structure([Int16: ThriftValue])

    /// Field `id` of a struct.
    subscript(_ id: Int16) -> ThriftValue? {
        if case .structure(let fields) = self { return fields[id] }
        return nil
    }

    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var binary: [UInt8]? { if case .binary(let value) = self { value } else { nil } }
    var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
    var list: [ThriftValue]? { if case .list(let value) = self { value } else { nil } }
    var fieldIDs: [Int16] { if case .structure(let fields) = self { fields.keys.sorted() } else { [] } }
}

struct ThriftDecodeError: Error, CustomStringConvertible {
    var description: String
}

struct ThriftCompactDecoder {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw ThriftDecodeError(description: "out of bytes at \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ThriftDecodeError(description: "varint too long") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func readStruct() throws -> ThriftValue {
        var fields: [Int16: ThriftValue] = [:]
        var last: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return .structure(fields) }
            let type = header & 0x0F
            let delta = Int16(header >> 4)
            let id = delta == 0 ? Int16(truncatingIfNeeded: try zigzag()) : last + delta
            guard id > last else {
                throw ThriftDecodeError(description: "field ids not increasing: \(id) after \(last)")
            }
            last = id
            switch type {
            case 1: fields[id] = .bool(true)
            case 2: fields[id] = .bool(false)
            default: fields[id] = try value(ofType: type)
            }
        }
    }

    mutating func value(ofType type: UInt8) throws -> ThriftValue {
        switch type {
        case 1, 2: return .bool(try byte() == 1)
        case 3: return .integer(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .integer(try zigzag())
        case 7:
            var bits: UInt64 = 0
            for index in 0..<8 { bits |= UInt64(try byte()) << UInt64(index * 8) }
            return .double(bits)
        case 8:
            let length = Int(try varint())
            guard length <= bytes.count - offset else { throw ThriftDecodeError(description: "binary past the end") }
            defer { offset += length }
            return .binary(Array(bytes[offset..<offset + length]))
        case 9, 10:
            let header = try byte()
            let count = header >> 4 == 15 ? Int(try varint()) : Int(header >> 4)
            var elements: [ThriftValue] = []
            for _ in 0..<count { elements.append(try value(ofType: header & 0x0F)) }
            return .list(elements)
        case 12: return try readStruct()
        default: throw ThriftDecodeError(description: "unsupported type \(type) at \(offset)")
        }
    }
}

/// Decodes the RLE / bit-packing hybrid (tests only): exactly `count` values of `bitWidth` bits.
func decodeRLEHybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
    var decoder = ThriftCompactDecoder(bytes)
    var values: [UInt32] = []
    while values.count < count {
        let header = try decoder.varint()
        if header & 1 == 0 {
            var value: UInt32 = 0
            for index in 0..<(bitWidth + 7) / 8 { value |= UInt32(try decoder.byte()) << UInt32(index * 8) }
            values.append(contentsOf: repeatElement(value, count: Int(header >> 1)))
        } else {
            let total = Int(header >> 1) * 8
            var buffer: UInt64 = 0
            var bits = 0
            for _ in 0..<total {
                while bits < bitWidth {
                    buffer |= UInt64(try decoder.byte()) << UInt64(bits)
                    bits += 8
                }
                values.append(UInt32(truncatingIfNeeded: buffer & ((1 << UInt64(bitWidth)) - 1)))
                buffer >>= UInt64(bitWidth)
                bits -= bitWidth
            }
        }
    }
    guard decoder.offset == bytes.count else {
        throw ThriftDecodeError(description: "\(bytes.count - decoder.offset) bytes left over")
    }
    return Array(values.prefix(count))
}
