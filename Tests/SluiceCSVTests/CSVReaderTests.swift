import Foundation
import SluiceCSV
import Testing

/// Reads all records of `text` (UTF-8), with the dialect detected unless given.
private func records(_ text: String, dialect: CSVDialect? = nil) throws(CSVError) -> [CSVRecord] {
    var reader = CSVReader(bytes: Array(text.utf8), dialect: dialect)
    return try reader.readAll()
}

/// The fields of every record of `text` as strings.
private func rows(_ text: String, dialect: CSVDialect? = nil) throws(CSVError) -> [[String?]] {
    try records(text, dialect: dialect).map(\.strings)
}

/// The error thrown while reading `bytes` to the end, if any.
private func readError(_ bytes: [UInt8], file: String? = nil) -> CSVError? {
    var reader = CSVReader(bytes: bytes, file: file)
    do {
        _ = try reader.readAll()
        return nil
    } catch {
        return error
    }
}

struct CSVReaderTests {
    // MARK: Dialect detection

    @Test(
        "Each candidate delimiter is detected from the header line and named",
        arguments: [(";", "semicolon"), (",", "comma"), ("\t", "tab"), ("|", "pipe")]
    )
    func detectsDelimiter(delimiter: String, name: String) throws {
        let text =
            ["id", "name", "score"].joined(separator: delimiter) + "\n"
            + ["1", "Ann", "9"].joined(separator: delimiter) + "\n"
        let dialect = CSVDialect.detect(in: Array(text.utf8))
        #expect(dialect.delimiter == UInt8(ascii: Unicode.Scalar(delimiter)!))
        #expect(dialect.delimiterName == name)
        #expect(dialect.quote == UInt8(ascii: "\""))
        var reader = CSVReader(bytes: Array(text.utf8))
        #expect(reader.dialect == dialect)
        #expect(try reader.readAll().map(\.strings) == [["id", "name", "score"], ["1", "Ann", "9"]])
    }

    @Test("Detection counts only delimiters outside quotes and breaks ties in the order ; , tab |")
    func detectionTieBreaksAndQuotes() {
        #expect(CSVDialect.detect(in: Array("a,b;c".utf8)).delimiter == UInt8(ascii: ";"))
        #expect(CSVDialect.detect(in: Array("a|b\tc".utf8)).delimiter == UInt8(ascii: "\t"))
        #expect(CSVDialect.detect(in: Array("\"x,y,z\";b\n1,2,3,4".utf8)).delimiter == UInt8(ascii: ";"))
        #expect(CSVDialect.detect(in: Array("name\nA;B;C;D".utf8)).delimiter == UInt8(ascii: ","))
        #expect(CSVDialect.detect(in: []).delimiter == UInt8(ascii: ","))
        let afterBlankLines = CSVDialect.detect(in: Array("\n\r\na|b\r\n".utf8))
        #expect(afterBlankLines == CSVDialect(delimiter: UInt8(ascii: "|"), lineEnding: .crlf))
        #expect(CSVDialect(delimiter: UInt8(ascii: ":")).delimiterName == ":")
    }

    @Test(
        "The line ending is detected from the first line end outside quotes",
        arguments: [
            ("a;b\nc;d", CSVLineEnding.lf), ("a;b\r\nc;d", .crlf), ("a;b\rc;d", .cr),
            ("a;b", .lf), ("\"x\r\ny\";b\rc;d", .cr),
        ]
    )
    func detectsLineEnding(text: String, expected: CSVLineEnding) {
        #expect(CSVDialect.detect(in: Array(text.utf8)).lineEnding == expected)
    }

    @Test("A UTF-8 byte order mark is stripped from the first field and recorded in the dialect")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("school;age\nGP;18".utf8)
        var reader = CSVReader(bytes: bytes)
        #expect(reader.dialect.hasByteOrderMark)
        #expect(reader.dialect.delimiter == UInt8(ascii: ";"))
        let all = try reader.readAll()
        #expect(all.map(\.strings) == [["school", "age"], ["GP", "18"]])
        #expect(all[0].byteOffset == 3)
        #expect(!CSVDialect.detect(in: Array("a;b".utf8)).hasByteOrderMark)
    }

    // MARK: Quoted fields

    @Test("Quoted fields unescape doubled quotes and keep embedded delimiters")
    func quotedFields() throws {
        let all = try records("\"say \"\"hi\"\"\";\"a;b\";plain;\"\"\n")
        #expect(all.count == 1)
        #expect(all[0].strings == ["say \"hi\"", "a;b", "plain", ""])
        #expect((0..<4).map { all[0].isQuoted($0) } == [true, true, false, true])
        #expect(Array(all[0][0]) == Array("say \"hi\"".utf8))
    }

    @Test("Embedded line ends are kept as data and the following records have the right line numbers")
    func embeddedLineEnds() throws {
        let text = "id;note\n1;\"two\nlines\"\n2;\"crlf\r\ninside\";x\r\n3;\"cr\rinside\"\n4;end"
        let all = try records(text)
        #expect(
            all.map(\.strings) == [
                ["id", "note"], ["1", "two\nlines"], ["2", "crlf\r\ninside", "x"], ["3", "cr\rinside"], ["4", "end"],
            ])
        #expect(all.map(\.line) == [1, 2, 4, 6, 8])
        let offsets = all.map(\.byteOffset)
        #expect(offsets == [0, 8, 22, 42, 56])
        #expect(Array(text.utf8)[offsets[4]] == UInt8(ascii: "4"))
    }

    // MARK: Line ends and empty lines

    @Test("LF, CRLF and CR files give the same records", arguments: ["\n", "\r\n", "\r"])
    func lineEndingsGiveSameRecords(lineEnd: String) throws {
        let text = ["a;b;c", "1;\"x;y\";3", ";;", "4;5;6"].joined(separator: lineEnd) + lineEnd
        let all = try records(text)
        #expect(all.map(\.strings) == [["a", "b", "c"], ["1", "x;y", "3"], ["", "", ""], ["4", "5", "6"]])
        #expect(all.map(\.line) == [1, 2, 3, 4])
    }

    @Test("A mix of line ends counts each LF, CRLF or lone CR as one line end")
    func mixedLineEnds() throws {
        let all = try records("a\rb\r\nc\nd\n\re")
        #expect(all.map(\.strings) == [["a"], ["b"], ["c"], ["d"], ["e"]])
        #expect(all.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test("The last record is read without a trailing newline", arguments: ["", "\n", "\r\n", "\r"])
    func lastRecordAndTrailingNewline(trailer: String) throws {
        #expect(try rows("a,b\n1,2" + trailer) == [["a", "b"], ["1", "2"]])
        #expect(try rows("a,b\n1,\"2\"" + trailer) == [["a", "b"], ["1", "2"]])
    }

    @Test("Blank lines are skipped but lines of delimiters are records of empty fields")
    func blankLinesAndEmptyFields() throws {
        let all = try records("\n\na;b;c\n\n\r\n;;\n1;;3\n\n")
        #expect(all.map(\.strings) == [["a", "b", "c"], ["", "", ""], ["1", "", "3"]])
        #expect(all.map(\.line) == [3, 6, 7])
        #expect(try rows("a;\n;b", dialect: CSVDialect(delimiter: UInt8(ascii: ";"))) == [["a", ""], ["", "b"]])
        #expect(try records("").isEmpty)
        #expect(try records("\n\r\n\r").isEmpty)
    }

    @Test("A given dialect overrides detection")
    func givenDialect() throws {
        let dialect = CSVDialect(delimiter: UInt8(ascii: "|"))
        #expect(try rows("a;b|c", dialect: dialect) == [["a;b", "c"]])
    }

    // MARK: Errors

    @Test("An unterminated quote is reported at its opening quote")
    func unterminatedQuote() throws {
        let error = try #require(readError(Array("a;b\nc;\"de\nf;g".utf8), file: "students.csv"))
        #expect(error.code == .unterminatedQuote)
        #expect(error.code.description == "unterminated-quote")
        #expect((error.line, error.column, error.byteOffset) == (2, 3, 6))
        #expect(error.description.hasPrefix("students.csv:2:3: error: "))
        #expect(error.description == "students.csv:2:3: error: \(error.message)")
    }

    @Test("A quote inside an unquoted field is an unexpected quote")
    func unexpectedQuote() throws {
        let error = try #require(readError(Array("a;b\ncd\"e;f".utf8)))
        #expect(error.code == .unexpectedQuote)
        #expect(error.code.description == "unexpected-quote")
        #expect((error.line, error.column, error.byteOffset) == (2, 3, 6))
        #expect(error.file == nil)
        #expect(error.description.hasPrefix("<input>:2:3: error: "))
    }

    @Test("Text after a closing quote is reported at its first byte, counting lines inside quotes")
    func textAfterClosingQuote() throws {
        let error = try #require(readError(Array("a;b\n\"ab\"c;d".utf8)))
        #expect(error.code == .textAfterClosingQuote)
        #expect(error.code.description == "text-after-quote")
        #expect((error.line, error.column, error.byteOffset) == (2, 5, 8))

        let multiline = try #require(readError(Array("a;b\n1;\"x\r\ny\" ;2".utf8)))
        #expect(multiline.code == .textAfterClosingQuote)
        #expect((multiline.line, multiline.column, multiline.byteOffset) == (3, 3, 12))
    }

    @Test("Columns on the first line do not count the byte order mark")
    func errorColumnAfterByteOrderMark() throws {
        let error = try #require(readError([0xEF, 0xBB, 0xBF] + Array("ab\"c;d".utf8)))
        #expect(error.code == .unexpectedQuote)
        #expect((error.line, error.column, error.byteOffset) == (1, 3, 5))
    }

    @Test("Records before an error are returned and the error is rethrown afterwards")
    func errorIsSticky() throws {
        var reader = CSVReader(bytes: Array("a;b\n1;2\nx\"y;z\n3;4".utf8))
        #expect(try reader.next()?.strings == ["a", "b"])
        #expect(try reader.next()?.strings == ["1", "2"])
        #expect(throws: CSVError.self) { try reader.next() }
        let again = #expect(throws: CSVError.self) { try reader.next() }
        #expect(again?.code == .unexpectedQuote)
        #expect(again?.line == 3)
    }

    // MARK: UTF-8

    @Test(
        "Invalid UTF-8 gives nil from string(at:) instead of a lossy string",
        arguments: [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x61, 0x80, 0x62]] as [[UInt8]]
    )
    func invalidUTF8(field: [UInt8]) throws {
        var reader = CSVReader(bytes: Array("ok;".utf8) + field + Array(";\u{E9}t\u{E9}".utf8))
        let record = try #require(try reader.next())
        #expect(record.count == 3)
        #expect(Array(record[1]) == field)
        #expect(record.string(at: 1) == nil)
        #expect(record.strings == ["ok", nil, "\u{E9}t\u{E9}"])
    }

    @Test("Randomly generated quoted and unquoted fields read back exactly", arguments: ["\n", "\r\n", "\r"])
    func roundTrip(lineEnd: String) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet: [UInt8] = Array("ab;,\"\r\n \u{E9}".utf8)
        var expected: [[[UInt8]]] = []
        var text: [UInt8] = []
        for _ in 0..<300 {
            let fields = (0..<(1 + random(5))).map { _ in
                (0..<random(6)).map { _ in alphabet[random(alphabet.count)] }
            }
            if fields == [[]] { continue }  // an empty line is not a record
            expected.append(fields)
            for (index, field) in fields.enumerated() {
                if index > 0 { text.append(UInt8(ascii: ";")) }
                if field.contains(where: { ";\"\r\n".utf8.contains($0) }) || random(3) == 0 {
                    let escaped = field.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] }
                    text += [UInt8(ascii: "\"")] + escaped + [UInt8(ascii: "\"")]
                } else {
                    text += field
                }
            }
            text += Array(lineEnd.utf8)
        }
        var reader = CSVReader(bytes: text, dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        let all = try reader.readAll()
        let actual = all.map { record in (0..<record.count).map { Array(record[$0]) } }
        #expect(actual.count == expected.count)
        let mismatch = expected.indices.first { $0 >= actual.count || actual[$0] != expected[$0] }
        #expect(mismatch == nil, "first differing record: \(mismatch.map { String($0) } ?? "-")")
    }

    // MARK: Real data

    @Test("The student-mat.csv sample reads as 396 records of 33 semicolon-separated fields")
    func realFile() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/student-mat.csv")
        let bytes = try [UInt8](Data(contentsOf: url))
        var reader = CSVReader(bytes: bytes, file: "student-mat.csv")
        #expect(reader.dialect == CSVDialect(delimiter: UInt8(ascii: ";"), lineEnding: .lf))
        #expect(reader.dialect.delimiterName == "semicolon")
        let all = try reader.readAll()
        #expect(all.count == 396)
        #expect(all.allSatisfy { $0.count == 33 })
        #expect(all[0].string(at: 0) == "school")
        #expect(all[0].string(at: 32) == "G3")
        #expect(!all[0].isQuoted(0))
        #expect(all[2].string(at: 30) == "5")
        #expect(all[2].isQuoted(30))
        #expect(all[2].line == 3)
        #expect(all[1].string(at: 30) == "5" && all[1].isQuoted(30))
        #expect(all[1].string(at: 32) == "6" && !all[1].isQuoted(32))
        #expect(all[1].strings.prefix(3) == ["GP", "F", "18"])
        #expect(all[395].line == 396)
    }
}
