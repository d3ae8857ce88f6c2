import Foundation
import SluiceCSV
import Testing

/// `quote_policy: lenient`, and skipping a malformed record to its line end.
///
/// Expected fields for the lenient cases are Python's `csv.reader` (non-strict) output for the
/// same text (python3 -c "import csv,io; print(list(csv.reader(io.StringIO(s))))"), except
/// where noted: a quote closed nowhere stays a literal character here.
struct CSVQuotePolicyTests {
    private var lenient: CSVDialect {
        var dialect = CSVDialect(delimiter: UInt8(ascii: ","))
        dialect.quotePolicy = .lenient
        return dialect
    }

    private func lenientRows(_ text: String, limits: CSVReaderLimits = .init()) throws(CSVError) -> (
        rows: [[String?]], lenient: Int
    ) {
        var reader = CSVReader(bytes: Array(text.utf8), dialect: lenient, limits: limits)
        let rows = try reader.readAll().map(\.strings)
        return (rows, reader.lenientFieldCount)
    }

    /// The error the next read throws, or `nil` when it reads a record (or the end).
    private func nextError(_ reader: inout CSVReader) -> CSVError? {
        do {
            _ = try reader.next()
            return nil
        } catch {
            return error
        }
    }

    @Test func strictIsTheDefaultAndRefusesStrayQuotes() {
        #expect(CSVDialect().quotePolicy == .strict)
        var reader = CSVReader(
            bytes: Array("a,37°36'37.8\"N,b\n".utf8), dialect: CSVDialect(delimiter: UInt8(ascii: ",")))
        #expect(nextError(&reader)?.code == .unexpectedQuote)
    }

    @Test(arguments: [
        ("a,37°36'37.8\"N,b\n", [["a", "37°36'37.8\"N", "b"]], 1),
        ("\"ab\"c,d\n", [["abc", "d"]], 1),
        ("\"a\"\"b\"x,y\n", [["a\"bx", "y"]], 1),
        ("\"abc\"garbage\"more,z\n", [["abcgarbage\"more", "z"]], 1),
        ("a,b\"c\r\nd,e\r\n", [["a", "b\"c"], ["d", "e"]], 1),
        ("\"plain\",\"quoted\"\"ok\"\n", [["plain", "quoted\"ok"]], 0),
        // Not Python's: an opening quote closed nowhere is a literal character.
        ("x,\"abc", [["x", "\"abc"]], 1),
        ("a,\"\nb,c\n", [["a", "\""], ["b", "c"]], 1),
        ("\"", [["\""]], 1),
    ])
    func lenientReadsWhatStrictRefuses(text: String, expected: [[String]], lenientFields: Int) throws {
        let (rows, count) = try lenientRows(text)
        #expect(rows == expected.map { $0.map(Optional.some) })
        #expect(count == lenientFields)
    }

    @Test func lenientFieldsStayWithinTheFieldLimit() {
        let text = "a,x\"" + String(repeating: "y", count: 100) + ",b\n"
        let error = #expect(throws: CSVError.self) { try lenientRows(text, limits: CSVReaderLimits(maxFieldBytes: 16)) }
        #expect(error?.code == .fieldTooLarge)
        let afterQuote = "\"ab\"" + String(repeating: "y", count: 100) + "\n"
        let second = #expect(throws: CSVError.self) {
            try lenientRows(afterQuote, limits: CSVReaderLimits(maxFieldBytes: 16))
        }
        #expect(second?.code == .fieldTooLarge)
    }

    @Test func hostileLenientInputEndsWithEveryRecord() throws {
        // 50,000 lines mixing stray quotes, text after quotes and CRLF, then an unclosed quote:
        // read in one linear pass, one record per line (counted: 4 kinds × 12,500 + 1).
        let lines = ["a\"b,c", "\"q\"tail,d", "e,\"\"\"x\"y", "f,g\"\r"]
        var text = ""
        for index in 0..<50_000 { text += lines[index % 4] + "\n" }
        text += "z,\"never closed " + String(repeating: "w", count: 1_000)
        let (rows, count) = try lenientRows(text)
        #expect(rows.count == 50_001)
        #expect(rows[1] == ["qtail", "d"])
        #expect(rows[2] == ["e", "\"xy"])
        #expect(rows.last == ["z", "\"never closed " + String(repeating: "w", count: 1_000)])
        #expect(count == 50_001)
    }

    @Test func aStrictReaderSkipsABrokenRecordToItsLineEnd() throws {
        let text = "a,b\n1,x\"y\n2,\"q\"r\n3,4\n"
        var reader = CSVReader(bytes: Array(text.utf8), dialect: CSVDialect(delimiter: UInt8(ascii: ",")))
        let header = try reader.next()
        #expect(header?.strings == ["a", "b"])
        let first = nextError(&reader)
        #expect(first?.code == .unexpectedQuote && first?.line == 2)
        let skip = reader.skipMalformedRecord()
        let skipped = try #require(skip)
        #expect(skipped.line == 2)
        #expect(String(decoding: Array(text.utf8)[skipped.byteOffset..<skipped.endOffset], as: UTF8.self) == "1,x\"y")
        let second = nextError(&reader)
        #expect(second?.code == .textAfterClosingQuote && second?.line == 3)
        let skippedAgain = reader.skipMalformedRecord()
        #expect(skippedAgain?.line == 3)
        let last = try reader.next()
        #expect(last?.strings == ["3", "4"])
        let end = try reader.next()
        #expect(end == nil)
        #expect(reader.recordCount == 4)
        let nothing = reader.skipMalformedRecord()
        #expect(nothing == nil)
    }

    @Test func anUnterminatedQuoteCannotBeSkipped() {
        var reader = CSVReader(
            bytes: Array("a,b\n1,\"open\n2,3\n".utf8), dialect: CSVDialect(delimiter: UInt8(ascii: ",")))
        _ = try? reader.next()
        #expect(nextError(&reader)?.code == .unterminatedQuote)
        let skipped = reader.skipMalformedRecord()
        #expect(skipped == nil)
        #expect(nextError(&reader)?.code == .unterminatedQuote)
    }

    @Test func theSnifferReadsTheSampleUnderThePinnedPolicy() throws {
        let text = "name,lat\nA,37°36'37.8\"N\nB,\"x\"y\n"
        let result = try CSVSniffer.sniff(
            Array(text.utf8),
            pins: {
                var pins = CSVDialectPins()
                pins.quotePolicy = .lenient
                return pins
            }())
        #expect(result.dialect.quotePolicy == .lenient)
        #expect(result.dialect.delimiter == UInt8(ascii: ","))
        #expect(result.columnCount == 2)
    }
}
