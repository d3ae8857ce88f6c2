import Testing
@testable import SluiceCSV

struct CSVSnifferTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func sniffsTheRealFileWithFullConfidence() throws {
        let text = "school;sex;age\n\"GP\";\"F\";18\n\"GP\";\"M\";17\n\"MS\";\"F\";16\n"
        let result = try CSVSniffer.sniff(bytes(text))
        #expect(result.dialect.delimiter == UInt8(ascii: ";"))
        #expect(result.dialect.quote == UInt8(ascii: "\""))
        #expect(result.hasHeader)
        #expect(result.columnCount == 3)
        #expect(result.confidence == 1)
        #expect(result.runnerUp == nil)
    }

    @Test func aConsistentRivalLowersConfidenceAndIsReportedAsRunnerUp() throws {
        // Both split every line consistently; the one giving more columns wins, less surely.
        let text = "a,b;c,d\n1,2;3,4\n5,6;7,8\n"
        let result = try CSVSniffer.sniff(bytes(text))
        #expect(result.dialect.delimiter == UInt8(ascii: ","))
        #expect(result.columnCount == 3)
        #expect(result.confidence == 0.6)  // 3 columns against the rival's 2
        #expect(result.runnerUp?.delimiter == UInt8(ascii: ";"))
        #expect(result.runnerUp?.columnCount == 2)
    }

    @Test func twoEquallyGoodDelimitersAreRefused() {
        let error = #expect(throws: CSVError.self) { try CSVSniffer.sniff(bytes("a,b;c\n1,2;3\n4,5;6\n")) }
        #expect(error?.code == .dialectError)
        #expect(error?.message.contains("ambiguous delimiter") == true)
        #expect(error?.hint?.contains("dialect.delimiter") == true)
    }

    @Test func aPinnedDelimiterSettlesAnAmbiguity() throws {
        let result = try CSVSniffer.sniff(
            bytes("a,b;c\n1,2;3\n4,5;6\n"), pins: CSVDialectPins(delimiter: UInt8(ascii: ";")))
        #expect(result.dialect.delimiter == UInt8(ascii: ";"))
        #expect(result.pinned.delimiter != nil)
    }

    @Test func anInconsistentColumnCountIsRefused() {
        let error = #expect(throws: CSVError.self) {
            try CSVSniffer.sniff(bytes("a;b;c;d\n1;2\n3;4;5;6;7;8\n9\n1;2;3\n"))
        }
        #expect(error?.code == .dialectError)
        #expect(error?.message.contains("inconsistent") == true)
    }

    @Test func aFirstLineThatLooksLikeDataIsRefusedUnlessPinned() throws {
        let text = "1;2.5;x\n3;4.5;y\n5;6.5;z\n"
        let error = #expect(throws: CSVError.self) { try CSVSniffer.sniff(bytes(text)) }
        #expect(error?.message.contains("looks like data") == true)
        let pinned = try CSVSniffer.sniff(bytes(text), pins: CSVDialectPins(hasHeader: false))
        #expect(pinned.hasHeader == false)
    }

    @Test func singleQuotesAreChosenOnlyWithEvidence() throws {
        let quoted = try CSVSniffer.sniff(bytes("a;b\n'x;y';1\n'z;w';2\n"))
        #expect(quoted.dialect.quote == UInt8(ascii: "'"))
        let plain = try CSVSniffer.sniff(bytes("a;b\nit's;1\nno;2\n"))
        #expect(plain.dialect.quote == UInt8(ascii: "\""))
    }

    @Test func aSyntaxErrorIsLeftForTheReaderToLocate() throws {
        // The broken quote must not push the sniffer onto another quote character.
        let result = try CSVSniffer.sniff(bytes("a;b\n\"x\"y;1\n"))
        #expect(result.dialect.quote == UInt8(ascii: "\""))
    }

    @Test(arguments: [
        ("1", true), ("-2.5", true), ("1e5", true), ("+.5", true), ("abc", false), ("", false), ("1.2.3", false),
        ("e", false),
    ])
    func numericLooks(text: String, numeric: Bool) {
        #expect(CSVSniffer.looksNumeric(ArraySlice(text.utf8)) == numeric)
    }
}

struct CSVTextDecoderTests {
    let sample = "name;city\nZoë;Évora\n"

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = try CSVTextDecoder.decode(Array(sample.utf8))
        #expect(plain.utf8 == Array(sample.utf8))
        #expect(plain.hadByteOrderMark == false)
        let bom = try CSVTextDecoder.decode([0xEF, 0xBB, 0xBF] + Array(sample.utf8))
        #expect(bom.utf8 == Array(sample.utf8))
        #expect(bom.hadByteOrderMark)
    }

    @Test func utf16WithBOMIsTranscoded() throws {
        let littleEndian: [UInt8] = [0xFF, 0xFE] + sample.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian: [UInt8] = [0xFE, 0xFF] + sample.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try CSVTextDecoder.decode(littleEndian).utf8 == Array(sample.utf8))
        #expect(try CSVTextDecoder.decode(littleEndian).encoding == .utf16LE)
        #expect(try CSVTextDecoder.decode(bigEndian).utf8 == Array(sample.utf8))
    }

    @Test func singleByteEncodingsOnlyWhenConfigured() throws {
        let latin: [UInt8] = Array("name;city\nZo".utf8) + [0xEB] + Array(";".utf8) + [0xC9] + Array("vora\n".utf8)
        let error = #expect(throws: CSVError.self) { try CSVTextDecoder.decode(latin, file: "x.csv") }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.byteOffset == 12)
        #expect((error?.line, error?.column) == (2, 3))
        #expect(error?.hint?.contains("windows-1252") == true)
        #expect(try CSVTextDecoder.decode(latin, encoding: .latin1).utf8 == Array(sample.utf8))
        #expect(try CSVTextDecoder.decode(latin, encoding: .windows1252).utf8 == Array(sample.utf8))
        // Windows-1252's euro sign; 0x81 is undefined there and refused, not guessed.
        #expect(try CSVTextDecoder.decode([0x80], encoding: .windows1252).utf8 == Array("€".utf8))
        #expect(throws: CSVError.self) { try CSVTextDecoder.decode([0x41, 0x81], encoding: .windows1252) }
    }

    @Test(arguments: [
        [0xC0, 0x80] as [UInt8],  // overlong NUL
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xE2, 0x82],  // truncated
        [0x80],  // lone continuation
    ])
    func invalidUTF8IsRefusedAtItsOffset(bad: [UInt8]) {
        let error = #expect(throws: CSVError.self) { try CSVTextDecoder.decode(Array("a;b\n".utf8) + bad) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.byteOffset == 4)
    }

    @Test func binarySignaturesAndNULBytesAreRefused() {
        for magic: [UInt8] in [
            [0x1F, 0x8B, 0x08], Array("PK\u{3}\u{4}".utf8), Array("%PDF-1.7".utf8), [0x61, 0x00, 0x62],
        ] {
            let error = #expect(throws: CSVError.self) { try CSVTextDecoder.decode(magic) }
            #expect(error?.code == .binaryFile)
            #expect(error?.hint != nil)
        }
    }
}

struct CSVRecordReuseTests {
    @Test func readingIntoOneRecordGivesTheSameRecordsAsNext() throws {
        let text = "a;b;c\n\"x\"\"y\";2;\"multi\nline\"\r\n\n;;\nlast;1;2"
        var fresh = CSVReader(bytes: Array(text.utf8))
        let expected = try fresh.readAll()
        var reused = CSVReader(bytes: Array(text.utf8))
        var record = CSVRecord()
        var seen: [(Int, Int, [String?])] = []
        while try reused.next(into: &record) {
            seen.append((record.line, record.number, record.strings))
        }
        #expect(seen.count == expected.count)
        for (got, want) in zip(seen, expected) {
            #expect(got.0 == want.line)
            #expect(got.1 == want.number)
            #expect(got.2 == want.strings)
        }
        #expect(seen.map(\.2).last == ["last", "1", "2"])
    }
}
