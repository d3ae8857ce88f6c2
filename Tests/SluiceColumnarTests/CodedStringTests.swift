import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

/// Strings handed to the writer dictionary-encoded (`codedString`, the pipeline's form) must
/// give exactly the file that the same strings as `[String]` give: same encodings, same
/// statistics, same bytes, and read back as the same values.
struct CodedStringTests {
    /// Writes `columns` (one string column, maybe with nulls) in several appends and returns the file's bytes.
    private func fileBytes(_ batches: [ColumnarColumn], rowGroupRows: Int) throws -> [UInt8] {
        try withTemporaryDirectory { directory in
            let schema = ColumnarSchema(fields: [ColumnarField(name: "s", type: .string, isNullable: true)])
            let path = directory.appendingPathComponent("t.scol").path
            var options = ColumnarWriterOptions(durable: false)
            options.rowGroupRows = rowGroupRows
            let writer = try ColumnarWriter(path: path, schema: schema, options: options)
            for batch in batches { try writer.append(columns: [batch]) }
            try writer.finish()
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// A dictionary (distinct by bytes, including canonically equivalent "é" spellings and the
    /// empty string) and codes drawn to produce every encoding in some chunk.
    private static func sample(rows: Int, distinct: Int, seed: UInt64) -> (dictionary: [String], codes: [UInt32]) {
        var random = SampleData.Generator(seed: seed)
        var dictionary = ["", "caf\u{E9}", "cafe\u{301}", "日本語", "b", "a"]
        while dictionary.count < distinct { dictionary.append("value-\(dictionary.count)") }
        let codes: [UInt32] = (0..<rows).map { row in
            switch row / 100 % 4 {
            case 0: 3  // a constant stretch
            case 1: UInt32(row / 25 % dictionary.count)  // runs
            default: UInt32.random(in: 0..<UInt32(dictionary.count), using: &random)
            }
        }
        return (dictionary, codes)
    }

    @Test(arguments: [
        (rows: 1_000, distinct: 6, groupRows: 100), (1_000, 50, 333), (9_000, 5_000, 4_500), (300, 2, 1_000),
    ])
    func codedStringsWriteTheSameFileAsPlainStrings(_ shape: (rows: Int, distinct: Int, groupRows: Int)) throws {
        let (dictionary, codes) = Self.sample(
            rows: shape.rows, distinct: shape.distinct, seed: UInt64(shape.rows + shape.distinct))
        let strings = codes.map { dictionary[Int($0)] }
        let validity = ValidityBitmap((0..<shape.rows).map { $0 % 7 != 3 })
        // Two appends, so the writer's buffering joins batches too.
        let half = shape.rows / 2
        let plain = try fileBytes(
            [
                ColumnarColumn(
                    values: .string(Array(strings[..<half])), validity: ValidityBitmap((0..<half).map { validity[$0] })),
                ColumnarColumn(
                    values: .string(Array(strings[half...])),
                    validity: ValidityBitmap((half..<shape.rows).map { validity[$0] })),
            ], rowGroupRows: shape.groupRows)
        let coded = try fileBytes(
            [
                ColumnarColumn(
                    values: .codedString(dictionary: dictionary, codes: Array(codes[..<half])),
                    validity: ValidityBitmap((0..<half).map { validity[$0] })),
                ColumnarColumn(
                    values: .codedString(dictionary: dictionary, codes: Array(codes[half...])),
                    validity: ValidityBitmap((half..<shape.rows).map { validity[$0] })),
            ], rowGroupRows: shape.groupRows)
        #expect(coded == plain)
    }

    @Test func batchesWithDifferentDictionariesStillReadBackExactly() throws {
        try withTemporaryDirectory { directory in
            let schema = ColumnarSchema(fields: [ColumnarField(name: "s", type: .string)])
            let path = directory.appendingPathComponent("t.scol").path
            let writer = try ColumnarWriter(path: path, schema: schema, options: ColumnarWriterOptions(durable: false))
            try writer.append([.codedString(dictionary: ["x", "caf\u{E9}"], codes: [0, 1, 1])])
            try writer.append([.codedString(dictionary: ["cafe\u{301}", "x"], codes: [0, 1])])
            try writer.append([.string(["y"])])
            try writer.finish()
            let values = try ColumnarReader(path: path).readColumnWithValidity(0).values
            #expect(values.isIdentical(to: .string(["x", "caf\u{E9}", "caf\u{E9}", "cafe\u{301}", "x", "y"])))
        }
    }
}
