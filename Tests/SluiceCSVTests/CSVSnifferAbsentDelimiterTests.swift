import Testing

@testable import SluiceCSV

/// The sniffer reads a candidate delimiter that does not occur in the sample only when no
/// other candidate splits the sample cleanly: these cases pin down that the answer is the one
/// every candidate read in full gives (the rules in ``CSVSniffer``'s documentation).
struct CSVSnifferAbsentDelimiterTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aFileWithNoDelimiterAtAllIsStillOneColumn() throws {
        // No candidate splits anything, so every one is read: one column, every line alike.
        let result = try CSVSniffer.sniff(bytes("name\nalice\nbob\ncarol\n"))
        #expect(result.columnCount == 1)
        #expect(result.hasHeader)
        #expect(result.confidence == 1)
        #expect(result.runnerUp == nil)
        #expect(result.sampledRecords == 4)
        // The first candidate in the documented order wins a tie of one-column readings.
        #expect(result.dialect.delimiter == CSVDialect.candidateDelimiters[0])
    }

    @Test func aDelimiterOnlyInsideQuotesIsReadAndLoses() throws {
        // ',' occurs (inside quotes), so it is read; it fails on the text after the closing quote.
        let result = try CSVSniffer.sniff(bytes("\"a,b\";c\n\"1,2\";3\n\"4,5\";6\n"))
        #expect(result.dialect.delimiter == UInt8(ascii: ";"))
        #expect(result.columnCount == 2)
        #expect(result.confidence == 1)
        #expect(result.runnerUp == nil)
    }

    @Test func absentDelimitersChangeNothingNextToOneThatSplits() throws {
        // Only ';' occurs: the answer is ';' with full confidence and no runner-up, the
        // sampled records all of the file's.
        let lines = ["x;y;z"] + (1...20).map { "\($0);\($0 * 2);v\($0)" }
        let result = try CSVSniffer.sniff(bytes(lines.joined(separator: "\n") + "\n"))
        #expect(result.dialect.delimiter == UInt8(ascii: ";"))
        #expect(result.columnCount == 3)
        #expect(result.confidence == 1)
        #expect(result.runnerUp == nil)
        #expect(result.sampledRecords == 21)
        #expect(result.hasHeader)
    }
}
