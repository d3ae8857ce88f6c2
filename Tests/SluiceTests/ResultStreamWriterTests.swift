import Foundation
import Sluice
import Testing

/// Streaming output: every row in CSV, JSON and Markdown, a capped table that says what it left out.
@Suite struct ResultStreamWriterTests {
    private func write(_ format: ResultFormat, rows: Int, truncated: Bool = false, tableRowLimit: Int = 1_000) -> String
    {
        var text = ""
        let writer = ResultStreamWriter(format: format, tableRowLimit: tableRowLimit) { text += $0 }
        writer.begin(columns: ["n", "label"])
        for index in 0..<rows { writer.add([.integer(Int64(index)), .text(index == 1 ? "a,\"b\"\nc" : "x\(index)")]) }
        writer.finish(truncated: truncated)
        return text
    }

    @Test func csvWritesEveryRowQuotedAsRFC4180Says() {
        let text = write(.csv, rows: 25_000)
        #expect(text.hasPrefix("n,label\n0,x0\n1,\"a,\"\"b\"\"\nc\"\n2,x2\n"))
        #expect(text.split(separator: "\n").count == 25_002)  // header, rows, and the one embedded line break
    }

    @Test func jsonIsValidAndSaysWhetherItWasCut() throws {
        for (rows, truncated) in [(0, false), (3, true)] {
            let text = write(.json, rows: rows, truncated: truncated)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect((object["rows"] as? [[Any]])?.count == rows)
            #expect(object["truncated"] as? Bool == truncated)
            #expect(object["columns"] as? [String] == ["n", "label"])
        }
        #expect(write(.json, rows: 0).hasPrefix("{\"columns\":[\"n\",\"label\"],\"rows\":["))
    }

    @Test func theTableShowsItsCapAndHowManyRowsItLeftOut() {
        let text = write(.table, rows: 12, tableRowLimit: 5)
        #expect(text.contains("(showing 5 of 12 rows; --format csv or json writes every row)"))
        #expect(!text.contains("x7"))
        #expect(!write(.table, rows: 3).contains("showing"))
    }

    @Test func markdownAlignsNumbersRight() {
        let text = write(.markdown, rows: 2)
        #expect(text.hasPrefix("| n | label |\n| ---: | --- |\n| 0 | x0 |\n"))
    }

    @Test func namesMatchExactlyThenByAUniquePrefixThatNeverSplitsANumber() {
        let names = ["q1_mothers", "q10_travel", "q2_rural"]
        #expect(NameMatcher.match("q1", in: names) == .found(0))
        #expect(NameMatcher.match("q10", in: names) == .found(1))
        #expect(NameMatcher.match("q1_m", in: names) == .found(0))
        #expect(NameMatcher.match("q", in: names) == .ambiguous(names))
        #expect(NameMatcher.match("q3", in: names) == .none)
        #expect(NameMatcher.match("q2_rural", in: names) == .found(2))
    }
}
