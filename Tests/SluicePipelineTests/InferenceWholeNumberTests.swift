import Foundation
import SluiceSchema
import SluiceTestSupport
import Testing

@testable import SluicePipeline

/// `schema infer` keeps a whole number that a double cannot hold exactly as text: before, a
/// column of 20-digit ids (too large for a 64-bit integer) became `real`, and every id loaded
/// rounded (12345678901234567890 → 1.2345678901234567e19), two different ids as one value.
struct InferenceWholeNumberTests {
    private func inferredTypes(_ csv: String) throws -> [String: ColumnType] {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("ids.csv")
            try Data(csv.utf8).write(to: file)
            let schema = try SchemaInference.infer(files: [file]).schema
            return Dictionary(uniqueKeysWithValues: schema.columns.map { ($0.name, $0.type) })
        }
    }

    @Test func idsTooLargeForAnIntegerStayText() throws {
        // 2^64 = 18446744073709551616 (python3 -c 'print(2**64)'): over Int64.max, and above 2^53.
        let types = try inferredTypes("id,amount\n12345678901234567890,1.5\n18446744073709551616,2\n")
        #expect(types["id"] == .text)
        #expect(types["amount"] == .real)
    }

    @Test func aWholeNumberBeyondTwoToThe53InARealColumnMakesItText() throws {
        // 2^53 + 1 = 9007199254740993 (python3 -c 'print(2**53+1)') has no double of its own:
        // float(9007199254740993) == 9007199254740992.
        #expect(try inferredTypes("v\n1.5\n9007199254740993\n")["v"] == .text)
        // 2^53 - 1 = 9007199254740991 is held exactly.
        #expect(try inferredTypes("v\n1.5\n9007199254740991\n")["v"] == .real)
    }

    @Test func wholeNumbersThatFitStayIntegers() throws {
        // Int64.max = 9223372036854775807 (python3 -c 'print(2**63-1)').
        #expect(try inferredTypes("v\n1\n9223372036854775807\n")["v"] == .integer)
    }
}
