@testable import SluiceParquet
import Testing

/// The compact protocol's primitives, byte for byte, against values worked out by hand from
/// the protocol's description.
struct ThriftCompactWriterTests {
    private struct Fields: ThriftStruct {
        var write: (inout ThriftCompactWriter) -> Void
        func writeFields(to writer: inout ThriftCompactWriter) { write(&writer) }
    }

    private func encode(_ write: @escaping (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.writeStruct(Fields(write: write))
        return writer.bytes
    }

    static let varints: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (16_384, [0x80, 0x80, 0x01]), (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varints)
    func varintsAreLEB128(value: UInt64, expected: [UInt8]) {
        var writer = ThriftCompactWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == expected)
    }

    @Test func zigzagInterleavesSigns() {
        let writer = ThriftCompactWriter()
        #expect(
            [0, -1, 1, -2, 2, Int64.max, Int64.min].map(writer.zigzag) == [0, 1, 2, 3, 4, UInt64.max - 1, UInt64.max])
    }

    @Test func shortFieldHeadersCarryTheIdDeltaAndType() {
        // Field 1 i32 5: header (1 << 4 | 5), zigzag(5) = 10; then the stop byte.
        #expect(encode { $0.field(1, i32: 5) } == [0x15, 0x0A, 0x00])
        // Field 3 i64 -1 after nothing: delta 3; zigzag(-1) = 1.
        #expect(encode { $0.field(3, i64: -1) } == [0x36, 0x01, 0x00])
        // Two fields: 1 then 4 (delta 3).
        #expect(
            encode {
                $0.field(1, i32: 0); $0.field(4, i32: 2)
            } == [0x15, 0x00, 0x35, 0x04, 0x00])
    }

    @Test func aJumpPastFifteenUsesTheLongForm() {
        // Field 1, then field 20: delta 19 > 15, so the type byte alone, then zigzag(20) = 40.
        #expect(
            encode {
                $0.field(1, i32: 1); $0.field(20, i32: 1)
            } == [0x15, 0x02, 0x05, 0x28, 0x02, 0x00])
    }

    @Test func booleansLiveInTheTypeNibble() {
        #expect(
            encode {
                $0.field(1, bool: true); $0.field(2, bool: false)
            } == [0x11, 0x12, 0x00])
    }

    @Test func binaryIsLengthThenBytes() {
        #expect(encode { $0.field(4, string: "ab") } == [0x48, 0x02, 0x61, 0x62, 0x00])
        #expect(encode { $0.field(1, binary: []) } == [0x18, 0x00, 0x00])
        #expect(encode { $0.field(1, string: "é") } == [0x18, 0x02, 0xC3, 0xA9, 0x00])
    }

    @Test func shortListsPutTheSizeInTheHeader() {
        #expect(encode { $0.field(2, i32s: [1, 2, 3]) } == [0x29, 0x35, 0x02, 0x04, 0x06, 0x00])
        #expect(encode { $0.field(1, strings: ["x"]) } == [0x19, 0x18, 0x01, 0x78, 0x00])
        #expect(encode { $0.field(1, i32s: []) } == [0x19, 0x05, 0x00])
    }

    @Test func listsOfFifteenOrMoreUseAVarintSize() {
        let bytes = encode { $0.field(1, i32s: Array(repeating: 0, count: 15)) }
        #expect(Array(bytes.prefix(3)) == [0x19, 0xF5, 0x0F])
        #expect(bytes.count == 3 + 15 + 1)
        let long = encode { $0.field(1, i32s: Array(repeating: 1, count: 300)) }
        #expect(Array(long.prefix(4)) == [0x19, 0xF5, 0xAC, 0x02])
    }

    @Test func nestedStructsCountFieldIdsAfresh() {
        // Outer field 1 is a struct holding field 1; then outer field 2: the delta is taken
        // from the outer struct's last id (1), not the inner one's.
        let bytes = encode {
            $0.field(1, struct: Fields { $0.field(1, i32: 1) })
            $0.field(2, i32: 1)
        }
        #expect(bytes == [0x1C, 0x15, 0x02, 0x00, 0x15, 0x02, 0x00])
    }

    @Test func aPageHeaderEncodesAsSpecified() {
        let header = PageHeader(
            type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 40,
            dataPageHeader: DataPageHeader(numValues: 10, encoding: .rleDictionary))
        var writer = ThriftCompactWriter()
        writer.writeStruct(header)
        // type 0; 100 → zigzag 200 = [0xC8, 0x01]; 40 → 80; field 5 struct (delta 2):
        // num_values 10 → 20, encoding 8 → 16, levels RLE 3 → 6, 6; stop; stop.
        #expect(
            writer.bytes == [
                0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x50, 0x2C,
                0x15, 0x14, 0x15, 0x10, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00,
            ])
    }

    @Test func theDecoderReadsBackEveryFieldKind() throws {
        let bytes = encode {
            $0.field(1, bool: true)
            $0.field(2, i8: -3)
            $0.field(3, i32: -70_000)
            $0.field(4, i64: Int64.min)
            $0.field(5, string: "snow ☃")
            $0.field(6, i32s: Array(0..<20))
            $0.field(7, struct: Fields { $0.field(40, i64: 7) })
            $0.field(300, bool: false)
        }
        var decoder = ThriftCompactDecoder(bytes)
        let value = try decoder.readStruct()
        #expect(decoder.offset == bytes.count)
        #expect(value[1]?.bool == true)
        #expect(value[2]?.integer == -3)
        #expect(value[3]?.integer == -70_000)
        #expect(value[4]?.integer == Int64.min)
        #expect(value[5]?.string == "snow ☃")
        #expect(value[6]?.list?.compactMap(\.integer) == Array(0..<20))
        #expect(value[7]?[40]?.integer == 7)
        #expect(value[300]?.bool == false)
    }
}
