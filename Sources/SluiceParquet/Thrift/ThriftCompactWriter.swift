/// The wire types of the Thrift compact protocol, as they appear in a field header's low nibble
/// and a list header's element type.
enum ThriftType: UInt8 {
    /// A `bool` field whose value is true (the value travels in the type nibble).
    case booleanTrue = 1
    /// A `bool` field whose value is false, or the element type of a `list<bool>`.
    case booleanFalse = 2
    /// `i8`.
    case byte = 3
    /// `i16`.
    case i16 = 4
    /// `i32`, and every Thrift `enum`.
    case i32 = 5
    /// `i64`.
    case i64 = 6
    /// `double`.
    case double = 7
    /// `binary` and `string`.
    case binary = 8
    /// `list<…>`.
    case list = 9
    /// `set<…>`.
    case set = 10
    /// `map<…>`.
    case map = 11
    /// A nested `struct` or `union`.
    case structure = 12
}

/// A value that writes itself as a Thrift struct (its fields, without the stop byte).
protocol ThriftStruct {
    /// Writes the struct's set fields, in field-id order, through `writer`.
    func writeFields(to writer: inout ThriftCompactWriter)
}

/// Encodes values in the Thrift compact protocol, the encoding of Parquet's footer and page
/// headers.
///
/// The protocol, in short: integers are zigzag ULEB128 varints; a field header is one byte,
/// `(id delta << 4) | type`, when the id is 1…15 above the previous field's, else the type byte
/// followed by the id as a zigzag varint; a `bool` field carries its value in the type nibble;
/// `binary` is a varint length and the bytes; a list header is `(size << 4) | element type`
/// below 15 elements, else `0xF0 | element type` and the size as a varint; a struct ends with a
/// stop byte (`0x00`), and each nested struct counts field ids from zero again.
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.writeStruct(header)   // a PageHeader
/// file.append(contentsOf: writer.bytes)
/// ```
struct ThriftCompactWriter {
    /// The encoded bytes so far.
    private(set) var bytes: [UInt8] = []
    /// The id of the last field written in the struct being written.
    private var lastFieldID: Int16 = 0
    /// The last field ids of the enclosing structs.
    private var enclosingFieldIDs: [Int16] = []

    /// Creates an empty writer.
    init() {}

    // MARK: Structs and fields

    /// Writes `value` as a complete struct: its fields, then the stop byte.
    mutating func writeStruct(_ value: some ThriftStruct) {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
        value.writeFields(to: &self)
        bytes.append(0)
        lastFieldID = enclosingFieldIDs.removeLast()
    }

    /// Writes a field header for field `id` of wire type `type`.
    ///
    /// - Precondition: `id` is positive and above the previous field's id in this struct
    ///   (fields are written in id order, so the short form applies whenever it can).
    mutating func writeFieldHeader(_ id: Int16, _ type: ThriftType) {
        precondition(id > lastFieldID, "Thrift fields are written in increasing id order")
        let delta = id - lastFieldID
        if delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(UInt64(zigzag(Int64(id))))
        }
        lastFieldID = id
    }

    /// Writes field `id` holding a `bool`.
    mutating func field(_ id: Int16, bool value: Bool) {
        writeFieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// Writes field `id` holding an `i8`.
    mutating func field(_ id: Int16, i8 value: Int8) {
        writeFieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    /// Writes field `id` holding an `i32` (or an enum's value).
    mutating func field(_ id: Int16, i32 value: Int32) {
        writeFieldHeader(id, .i32)
        writeVarint(zigzag(Int64(value)))
    }

    /// Writes field `id` holding an `i64`.
    mutating func field(_ id: Int16, i64 value: Int64) {
        writeFieldHeader(id, .i64)
        writeVarint(zigzag(value))
    }

    /// Writes field `id` holding a `binary`.
    mutating func field(_ id: Int16, binary value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    /// Writes field `id` holding a `string` (UTF-8 bytes, as `binary`).
    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    /// Writes field `id` holding a nested struct.
    mutating func field(_ id: Int16, struct value: some ThriftStruct) {
        writeFieldHeader(id, .structure)
        writeStruct(value)
    }

    /// Writes field `id` holding a `list<struct>`.
    mutating func field(_ id: Int16, structs values: [some ThriftStruct]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, element: .structure)
        for value in values { writeStruct(value) }
    }

    /// Writes field `id` holding a `list<i32>` (or a list of enum values).
    mutating func field(_ id: Int16, i32s values: [Int32]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, element: .i32)
        for value in values { writeVarint(zigzag(Int64(value))) }
    }

    /// Writes field `id` holding a `list<string>`.
    mutating func field(_ id: Int16, strings values: [String]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, element: .binary)
        for value in values { writeBinary(Array(value.utf8)) }
    }

    // MARK: Primitives

    /// Writes a list header: the size and element type in one byte below 15 elements, else
    /// `0xF0 | type` and the size as a varint.
    mutating func writeListHeader(count: Int, element: ThriftType) {
        precondition(count >= 0 && count <= Int(Int32.max), "a Thrift list holds at most 2^31 - 1 elements")
        if count < 15 {
            bytes.append(UInt8(count) << 4 | element.rawValue)
        } else {
            bytes.append(0xF0 | element.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// Writes `value` as an unsigned LEB128 varint: seven bits per byte, least significant
    /// group first, the high bit set on every byte but the last.
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Writes a varint length and then `value`'s bytes.
    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Zigzag encoding: small magnitudes of either sign become small unsigned numbers
    /// (0 → 0, -1 → 1, 1 → 2, -2 → 3, …).
    func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
