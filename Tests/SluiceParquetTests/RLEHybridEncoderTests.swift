@testable import SluiceParquet
import Testing

/// The RLE / bit-packing hybrid: the specification's example, run boundaries, and round trips
/// through an independent decoder.
struct RLEHybridEncoderTests {
    private func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        RLEHybridEncoder.encode(values, bitWidth: bitWidth, into: &out)
        return out
    }

    @Test func theSpecificationsBitPackingExample() {
        // Encodings.md: 0…7 at width 3 pack to 10001000 11000110 11111010; header 1 group → 0x03.
        #expect(encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func eightEqualValuesAreOneRLERun() {
        // Header 8 << 1 = 16, then the value in one byte.
        #expect(encode(Array(repeating: 5, count: 8), bitWidth: 3) == [0x10, 0x05])
        // 1,000 copies: header 2000 as a varint [0xD0, 0x0F]; a 9-bit width takes two value bytes.
        #expect(encode(Array(repeating: 300, count: 1000), bitWidth: 9) == [0xD0, 0x0F, 0x2C, 0x01])
    }

    @Test func shortRunsStayBitPackedAndTheLastGroupIsPadded() {
        // Three values, width 1: one group, 1,1,0 then zeros → 0b011.
        #expect(encode([1, 1, 0], bitWidth: 1) == [0x03, 0x03])
        // Seven equal values are not worth a run.
        #expect(encode(Array(repeating: 1, count: 7), bitWidth: 1) == [0x03, 0x7F])
    }

    @Test func literalsBorrowFromARunToFillTheirGroup() throws {
        // 3 literals, then 13 twos: the literals take 5 twos to fill a group, and the 8 left
        // form an RLE run.
        let values: [UInt32] = [0, 1, 3] + Array(repeating: 2, count: 13)
        let bytes = encode(values, bitWidth: 2)
        #expect(bytes == [0x03, 0b1011_0100, 0b1010_1010, 0x10, 0x02])
        #expect(try decodeRLEHybrid(bytes, bitWidth: 2, count: values.count) == values)
    }

    @Test func aRunTooShortAfterBorrowingStaysLiteral() throws {
        let values: [UInt32] = [1, 2, 3] + Array(repeating: 0, count: 10)
        let bytes = encode(values, bitWidth: 2)
        #expect(bytes.first == 0x05)  // two bit-packed groups, no RLE run
        #expect(try decodeRLEHybrid(bytes, bitWidth: 2, count: values.count) == values)
    }

    @Test func theLengthPrefixCountsTheEncodedBytes() {
        var out: [UInt8] = []
        RLEHybridEncoder.encodeWithLength([UInt8](repeating: 1, count: 100), bitWidth: 1, into: &out)
        #expect(out == [3, 0, 0, 0, 0xC8, 0x01, 0x01])
    }

    @Test func aSubrangeEncodesOnlyItsValues() throws {
        let values: [UInt32] = Array(0..<100).map { UInt32($0 % 7) }
        var out: [UInt8] = []
        RLEHybridEncoder.encode(values, range: 10..<37, bitWidth: 3, into: &out)
        #expect(try decodeRLEHybrid(out, bitWidth: 3, count: 27) == Array(values[10..<37]))
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 17, 24, 32])
    func randomValuesRoundTrip(bitWidth: Int) throws {
        var state: UInt64 = 0x5EED &+ UInt64(bitWidth)
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let mask = bitWidth == 32 ? UInt64(UInt32.max) : (1 << UInt64(bitWidth)) - 1
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            var values: [UInt32] = []
            while values.count < length {
                // Mix runs of random lengths with scattered values.
                let value = UInt32(next() & mask)
                let run = next() % 3 == 0 ? Int(next() % 40) + 1 : 1
                values.append(contentsOf: repeatElement(value, count: min(run, length - values.count)))
            }
            let bytes = encode(values, bitWidth: bitWidth)
            #expect(
                try decodeRLEHybrid(bytes, bitWidth: bitWidth, count: length) == values,
                "width \(bitWidth), \(length) values")
        }
    }

    @Test func bitWidthsCoverTheMaximum() {
        #expect(
            [0, 1, 2, 3, 4, 7, 8, 255, 256, UInt32.max].map(RLEHybridEncoder.bitWidth(forMaximum:)) == [
                0, 1, 2, 2, 3, 3, 4, 8, 9, 32,
            ])
    }
}
