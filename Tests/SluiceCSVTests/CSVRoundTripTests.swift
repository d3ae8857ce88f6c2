import Testing

@testable import SluiceCSV

/// Seeded random tables written as CSV (quoting where needed, LF or CRLF line ends, some
/// fields quoted for no reason) must read back field for field. The reader's fast path takes
/// the plain records and the careful path the rest (escaped quotes, line ends in values, CR),
/// often alternating within one file, so this checks they agree on positions and line numbers.
struct CSVRoundTripTests {
    private struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: 1...40)
    func randomTablesReadBackExactly(seed: Int) throws {
        var random = Random(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
        let alphabet: [String] = ["a", "b", "Z", "7", " ", ";", "\"", "\n", "\r\n", "é", "日"]
        let columns = 1 + random.next(40)
        let rows = 1 + random.next(60)
        var table: [[String]] = []
        var text = ""
        var lines: [Int] = []
        var line = 1
        for _ in 0..<rows {
            var record: [String] = []
            for _ in 0..<columns {
                let length = random.next(4) == 0 ? 0 : random.next(12)
                let plain = random.next(3) != 0
                record.append(
                    (0..<length).map { _ in plain ? alphabet[random.next(5)] : alphabet[random.next(alphabet.count)] }
                        .joined())
            }
            if columns == 1, record[0].isEmpty { record[0] = "x" }  // an empty line is no record
            table.append(record)
            lines.append(line)
            text += record.map { field in
                let needsQuotes =
                    field.contains(";") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                guard needsQuotes || random.next(4) == 0 else { return field }
                line += field.filter { $0 == "\n" || $0 == "\r\n" }.count
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ";")
            text += random.next(3) == 0 ? "\r\n" : "\n"
            line += 1
        }
        var reader = CSVReader(bytes: Array(text.utf8), dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        var record = CSVRecord()
        var index = 0
        while try reader.next(into: &record) {
            try #require(index < table.count)
            #expect(record.strings.map { $0 ?? "<invalid>" } == table[index], "record \(index + 1)")
            #expect(record.line == lines[index], "record \(index + 1)")
            index += 1
        }
        #expect(index == table.count)
    }
}
