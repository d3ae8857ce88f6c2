import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

/// `readChunkKeepingCodes` gives the values `readChunk` gives, for every string encoding,
/// with and without nulls, and keeps the codes where the chunk has them.
struct CodedReadTests {
    /// One string column per shape: constant, few distinct (dictionary), long runs, all distinct (plain).
    private static let shapes: [(name: String, values: @Sendable (Int) -> String)] = [
        ("constant", { _ in "gp" }),
        ("dictionary", { ["at_home", "health", "other", "caf\u{E9}", "cafe\u{301}"][$0 * 7 % 5] }),
        ("runs", { "run-\($0 / 200)" }),
        ("plain", { "value-\($0)" }),
    ]

    @Test(arguments: [false, true])
    func codedReadsGiveTheSameValues(withNulls: Bool) throws {
        try withTemporaryDirectory { directory in
            let rows = 1_000
            let schema = ColumnarSchema(
                fields: Self.shapes.map { ColumnarField(name: $0.name, type: .string, isNullable: true) })
            let path = directory.appendingPathComponent("t.scol").path
            let writer = try ColumnarWriter(path: path, schema: schema, options: ColumnarWriterOptions(durable: false))
            let validity = withNulls ? ValidityBitmap((0..<rows).map { $0 % 9 != 4 }) : nil
            try writer.append(
                columns: Self.shapes.map { shape in
                    ColumnarColumn(values: .string((0..<rows).map(shape.values)), validity: validity)
                })
            try writer.finish()

            let reader = try ColumnarReader(path: path)
            let encodings = reader.rowGroups[0].columns.map(\.encoding)
            #expect(encodings == [.constant, .dictionary, .runLength, .plain])
            for column in schema.fields.indices {
                let plain = try reader.readChunk(rowGroup: 0, column: column)
                let coded = try reader.readChunkKeepingCodes(rowGroup: 0, column: column)
                #expect(coded.values.isIdentical(to: plain.values) || withNulls, "column \(schema.fields[column].name)")
                #expect(coded.validity == plain.validity)
                for row in 0..<rows where !plain.isNull(row) {
                    #expect(coded.values.strings?[row].utf8.elementsEqual(plain.values.strings![row].utf8) == true)
                }
                if case .codedString(let dictionary, _) = coded.values {
                    #expect(encodings[column] != .plain)
                    #expect(dictionary.count < rows / 2)
                } else {
                    #expect(encodings[column] == .plain)
                }
            }
        }
    }

    @Test func aDamagedCodedChunkIsAnError() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("t.scol").path
            let schema = ColumnarSchema(fields: [ColumnarField(name: "s", type: .string)])
            let writer = try ColumnarWriter(path: path, schema: schema, options: ColumnarWriterOptions(durable: false))
            try writer.append([.string((0..<500).map { ["a", "b", "c"][$0 % 3] })])
            try writer.finish()
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[12] ^= 0x40
            let reader = try ColumnarReader(bytes: bytes)
            #expect(throws: ColumnarError.self) { try reader.readChunkKeepingCodes(rowGroup: 0, column: 0) }
        }
    }
}
