import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

/// Damaged and hostile files: every one must be a thrown ``ColumnarError`` (or, for a flip
/// the checksums cannot see, the original data), never a trap.
struct ColumnarHostileFileTests {
    /// Reads everything; returns nil when the reader threw.
    private func readEverything(_ bytes: [UInt8], limits: ColumnarLimits = .default) -> [ColumnarColumn]? {
        do {
            let reader = try ColumnarReader(bytes: bytes, name: "hostile.scol", limits: limits)
            _ = reader.inspect(verifyingChecksums: true)
            _ = try reader.rowGroups(matching: .equals("age", .int64(17)))
            return try SampleData.readAll(reader)
        } catch {
            #expect(error.description.hasPrefix("hostile.scol: "))
            return nil
        }
    }

    /// Rebuilds a file around a replacement footer, with a correct footer checksum.
    private func withFooter(_ bytes: [UInt8], _ footer: [UInt8], data: [UInt8]? = nil) -> [UInt8] {
        let footerLength = Int(
            UInt32(bytes[bytes.count - 16]) | UInt32(bytes[bytes.count - 15]) << 8 | UInt32(bytes[bytes.count - 14])
                << 16)
        let body = data ?? Array(bytes[..<(bytes.count - 16 - footerLength)])
        var trailer = ByteWriter()
        trailer.writeInteger(UInt32(footer.count))
        trailer.writeInteger(XXH64.hash(footer))
        return body + footer + trailer.bytes + FileLayout.magic
    }

    private func footer(of bytes: [UInt8]) throws -> Footer {
        let reader = try ColumnarReader(bytes: bytes)
        return Footer(schema: reader.schema, rowGroups: reader.rowGroups, metadata: reader.metadata)
    }

    @Test func hashesLikeReferenceXXH64() {
        #expect(XXH64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
    }

    @Test func rejectsOrPreservesEveryFlippedByte() throws {
        let bytes = try SampleData.smallFileBytes()
        let original = readEverything(bytes) ?? []
        #expect(original.count == 5)
        for offset in bytes.indices {
            for pattern: UInt8 in [0xFF, 0x01, 0x80] {
                var damaged = bytes
                damaged[offset] ^= pattern
                if let read = readEverything(damaged) {
                    #expect(zip(read, original).allSatisfy(SampleData.same), "flip at \(offset) changed the data")
                }
            }
        }
    }

    @Test func survivesFlippedBytesBehindDisabledChecksums() throws {
        // With checksums off the decoders themselves face the damage: any result but a trap.
        var limits = ColumnarLimits()
        limits.verifyChecksums = false
        for zstdLevel in [0, 3] {
            let bytes = try SampleData.smallFileBytes(rows: 300, options: .init(zstdLevel: zstdLevel, durable: false))
            for offset in bytes.indices {
                for pattern: UInt8 in [0xFF, 0x01, 0x10] {
                    var damaged = bytes
                    damaged[offset] ^= pattern
                    _ = readEverything(damaged, limits: limits)
                }
            }
        }
    }

    @Test func rejectsEveryTruncation() throws {
        let bytes = try SampleData.smallFileBytes()
        for length in 0..<bytes.count {
            #expect(readEverything(Array(bytes[..<length])) == nil, "truncation to \(length) bytes was accepted")
        }
    }

    @Test func rejectsAFooterLengthOutsideTheFile() throws {
        var bytes = try SampleData.smallFileBytes()
        bytes.replaceSubrange((bytes.count - 16)..<(bytes.count - 12), with: [0xF0, 0xFF, 0xFF, 0xFF])
        let error = #expect(throws: ColumnarError.self) { try ColumnarReader(bytes: bytes, name: "x.scol") }
        #expect(error?.code == .corrupt)
        #expect(error?.byteOffset == bytes.count - 16)
        #expect(error?.description.hasPrefix("x.scol: byte \(bytes.count - 16): error: footer length") == true)
    }

    @Test func rejectsAbsurdCounts() throws {
        let bytes = try SampleData.smallFileBytes()
        let footer = try footer(of: bytes).encoded()
        var huge = ByteWriter()
        huge.writeVarint(UInt64(1) << 40)
        // Absurd column count.
        let columns = withFooter(bytes, huge.bytes + footer.dropFirst())
        #expect(throws: ColumnarError.self) { try ColumnarReader(bytes: columns) }
        // A plausible column count that the footer cannot hold.
        var many = ByteWriter()
        many.writeVarint(9_999)
        let error = #expect(throws: ColumnarError.self) {
            try ColumnarReader(bytes: withFooter(bytes, many.bytes + footer.dropFirst()))
        }
        #expect(error?.code == .corrupt)
        // Absurd row-group count, row count, stored size and metadata count.
        var decoded = try self.footer(of: bytes)
        decoded.rowGroups[0].rowCount = 1 << 30
        #expect(throws: ColumnarError.self) { try ColumnarReader(bytes: withFooter(bytes, decoded.encoded())) }
        decoded = try self.footer(of: bytes)
        decoded.rowGroups[0].columns[0].storedSize = Int(Int32.max)
        decoded.rowGroups[0].columns[0].rawSize = Int(Int32.max)
        #expect(throws: ColumnarError.self) { try ColumnarReader(bytes: withFooter(bytes, decoded.encoded())) }
        decoded = try self.footer(of: bytes)
        var tail = decoded.encoded()
        tail.removeLast(1 + 1 + 6 + 1 + 8)  // metadata: count, "source", "test.csv"
        var count = ByteWriter()
        count.writeVarint(UInt64.max)
        #expect(throws: ColumnarError.self) { try ColumnarReader(bytes: withFooter(bytes, tail + count.bytes)) }
    }

    @Test func rejectsAZstdFrameWhoseDeclaredSizeLies() throws {
        let bytes = try SampleData.smallFileBytes(rows: 300, options: .init(zstdLevel: 3, durable: false))
        var decoded = try footer(of: bytes)
        guard let index = decoded.rowGroups[0].columns.firstIndex(where: { $0.isCompressed }) else {
            Issue.record("no compressed chunk")
            return
        }
        let chunk = decoded.rowGroups[0].columns[index]
        // The footer disagrees with the frame.
        decoded.rowGroups[0].columns[index].rawSize += 1
        let footerLie = try ColumnarReader(bytes: withFooter(bytes, decoded.encoded()))
        let error = #expect(throws: ColumnarError.self) { try footerLie.readColumn(index) }
        #expect(error?.code == .corrupt)
        #expect(error?.byteOffset == chunk.offset)
        // The frame header lies about its content size, and the footer agrees with the lie.
        var data = bytes
        let descriptor = data[chunk.offset + 4]
        #expect(descriptor & 0x20 != 0, "single-segment frame expected")
        let sizeField = chunk.offset + 5 + ((descriptor & 3) == 0 ? 0 : 1)
        let fieldBytes = [1, 2, 4, 8][Int(descriptor >> 6)]
        let bias = fieldBytes == 2 ? 256 : 0
        var declared = 0
        for i in 0..<fieldBytes { declared |= Int(data[sizeField + i]) << (8 * i) }
        #expect(declared + bias == chunk.rawSize)
        data[sizeField] &+= 1
        decoded = try footer(of: bytes)
        decoded.rowGroups[0].columns[index].rawSize = chunk.rawSize + 1
        decoded.rowGroups[0].columns[index].checksum = UInt32(
            truncatingIfNeeded: XXH64.hash(data, chunk.offset..<chunk.offset + chunk.storedSize))
        let dataEnd = bytes.count - 16 - (try ColumnarReader(bytes: bytes).footerSize)
        let frameLie = try ColumnarReader(bytes: withFooter(bytes, decoded.encoded(), data: Array(data[..<dataEnd])))
        let frameError = #expect(throws: ColumnarError.self) { try frameLie.readColumn(index) }
        #expect(frameError?.code == .corrupt)
    }

    @Test func rejectsUnknownVersionsAndMagic() throws {
        var bytes = try SampleData.smallFileBytes()
        bytes[4] = 2
        #expect((#expect(throws: ColumnarError.self) { try ColumnarReader(bytes: bytes) })?.code == .unsupportedVersion)
        bytes[4] = 1
        bytes[bytes.count - 1] = 0x30
        #expect((#expect(throws: ColumnarError.self) { try ColumnarReader(bytes: bytes) })?.code == .notColumnar)
    }

    @Test func rejectsInvalidUTF8BehindAValidChecksum() throws {
        let schema = ColumnarSchema(fields: [ColumnarField(name: "s", type: .string)])
        let bytes = try withTemporaryDirectory { directory in
            let path = try SampleData.write(
                [ColumnarColumn(values: .string(["abc", "xyz"]))], schema: schema, to: directory,
                options: .init(zstdLevel: 0, durable: false))
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        var data = bytes
        guard let at = data.firstIndex(of: UInt8(ascii: "x")) else {
            Issue.record("no 'x' in the file")
            return
        }
        data[at] = 0xC3  // a lead byte with no continuation
        var decoded = try footer(of: bytes)
        let chunk = decoded.rowGroups[0].columns[0]
        decoded.rowGroups[0].columns[0].checksum = UInt32(
            truncatingIfNeeded: XXH64.hash(data, chunk.offset..<chunk.offset + chunk.storedSize))
        let reader = try ColumnarReader(
            bytes: withFooter(bytes, decoded.encoded(), data: Array(data[..<(chunk.offset + chunk.storedSize)])))
        let error = #expect(throws: ColumnarError.self) { try reader.readColumn(0) }
        #expect(error?.code == .invalidUTF8)
    }
}
