import Foundation
import Testing
import SluiceSchema

@Suite struct CleaningRuleTests {
    private let header = "name;kind;age;score;level"

    @Test(arguments: ["1x", "1.0", "--1", "+", "1 2", "0x10", "١٢"])
    func badIntegersAreTypeIssues(value: String) throws {
        let outcome = try TestSupport.validate([header, "ann;a;\(value);0;1"])
        #expect(outcome.rowsInvalid == 1)
        #expect(outcome.issues.map(\.rule) == [.type])
        #expect(outcome.issues.first?.message == "value '\(value)' is not an integer for column 'age'")
    }

    @Test func integersThatOverflowInt64AreTypeIssuesWhileTheExtremesFit() throws {
        let schema = "table: t\ncolumns:\n  n: integer\n"
        let outcome = try TestSupport.validate(
            [
                "n", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999999",
            ],
            schemaYAML: schema)
        #expect(outcome.columns[0].integers == [Int64.max, Int64.min])
        #expect(outcome.issueCountsByRule == [.type: 3])
        #expect(
            outcome.issues[0].message == "value 9223372036854775808 does not fit in a 64-bit integer for column 'n'")
        #expect(outcome.issues.map(\.line) == [4, 5, 6])
    }

    @Test(arguments: ["nan", "inf", "-infinity", "1e400", "0x1p3", "1,5", ".", "e5"])
    func nonFiniteOrMalformedRealsAreTypeIssues(value: String) throws {
        let outcome = try TestSupport.validate([header, "ann;a;15;\(value);1"])
        #expect(outcome.issues.map(\.rule) == [.type])
        #expect(outcome.issues.first?.message == "value '\(value)' is not a finite number for column 'score'")
    }

    @Test func textLongerThanTheMaximumIsReportedCountingCharactersNotBytes() throws {
        let outcome = try TestSupport.validate([header, "Zoë-é;a;15;0;1", "abcdef;a;15;0;1"])
        #expect(outcome.columns[0].texts == ["zoë-é"])
        #expect(outcome.issues.count == 1)
        let issue = try #require(outcome.issues.first)
        #expect((issue.line, issue.column, issue.field, issue.value) == (3, "name", 1, "abcdef"))
        #expect(issue.code == .constraintError && issue.rule == .maxLength)
        #expect(issue.message == "value 'abcdef' is 6 characters long, above the maximum length 5 for column 'name'")
        #expect(issue.hint?.contains("at most 5 characters") == true)
    }

    @Test func aShortRowIsAMissingCellAndALongRowAnExtraCell() throws {
        let outcome = try TestSupport.validate([header, "ann;a;15;0", "ann;a;15;0;1;extra;more", "ann;a;15;0;1"])
        #expect(outcome.rowsRead == 3)
        #expect(outcome.rowsInvalid == 2)
        #expect(outcome.rowsAccepted == 1)
        #expect(outcome.issues.map(\.code) == [.missingCell, .extraCell])
        #expect(outcome.issues.map(\.line) == [2, 3])
        #expect(outcome.issues.map(\.field) == [5, 6])  // the first missing / first extra position
        #expect(outcome.issues.map(\.message) == ["expected 5 fields, found 4", "expected 5 fields, found 7"])
        #expect(outcome.issues.allSatisfy { $0.column == nil && $0.hint != nil })
    }

    @Test func invalidUTF8IsAnEncodingIssueInEveryColumnType() throws {
        let schema = try SchemaLoader.load(yaml: TestSupport.rulesSchemaYAML)
        let mapping = try schema.mapHeader(header.split(separator: ";").map(String.init))
        var validator = RowValidator(schema: schema, header: mapping)
        let bad: ArraySlice<UInt8> = [0x41, 0xC3, 0x28]  // "A" then a broken two-byte sequence
        let good = TestSupport.fields("ann;a;15;0;1")
        for column in 0..<5 {
            var row = good
            row[column] = bad
            validator.addRow(line: column + 2, fields: row)
        }
        validator.addRow(line: 7, fields: good)
        let outcome = validator.finish()
        #expect(outcome.issueCountsByRule == [.encoding: 5])
        #expect(outcome.issues.map(\.column) == ["name", "kind", "age", "score", "level"])
        #expect(outcome.issues[0].message == "value is not valid UTF-8 in column 'name'")
        #expect(outcome.issues[0].value == "A\u{FFFD}(")
        #expect(outcome.rowsAccepted == 1)
    }

    @Test func theIssueListIsCappedButTheTotalsStayExact() throws {
        var rows = [header]
        for index in 0..<30 { rows.append("n\(index);zz;99;2;7") }  // four issues per row
        rows.append("ann;a;15;0;1;6")
        let outcome = try TestSupport.validate(rows, options: CleaningOptions(maxReportedIssues: 10))
        #expect(outcome.issues.count == 10)
        #expect(outcome.totalIssues == 121)
        #expect(outcome.issueCountsByRule == [.allowed: 60, .maximum: 60, .extraCell: 1])
        #expect(outcome.issueCountsByCode == [.constraintError: 120, .extraCell: 1])
        #expect(outcome.rowsInvalid == 31)
        #expect(outcome.issues.map(\.line) == [2, 2, 2, 2, 3, 3, 3, 3, 4, 4])
    }

    @Test func longRawValuesAreTruncatedInIssues() throws {
        let long = String(repeating: "x", count: 500)
        let outcome = try TestSupport.validate([header, "ann;\(long);15;0;1"])
        #expect(outcome.issues.first?.value?.count == 200)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.studentDataPath)))
    func theBundledStudentDataPassesTheBundledSchema() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.studentSchemaPath)
        let text = try String(contentsOfFile: TestSupport.studentDataPath, encoding: .utf8)
        let lines = text.split(separator: "\n")  // tolerate a trailing newline
        let mapping = try schema.mapHeader(lines[0].split(separator: ";").map(String.init))
        var validator = RowValidator(schema: schema, header: mapping)
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map { field in
                ArraySlice(field.utf8.filter { $0 != UInt8(ascii: "\"") })  // the data has no embedded quotes
            }
            validator.addRow(line: offset + 2, fields: fields)
        }
        let outcome = validator.finish()
        #expect(outcome.rowsRead == 395)
        #expect(outcome.totalIssues == 0)
        #expect(outcome.rowsAccepted == 395)
        #expect(outcome.rowsDroppedDuplicate == 0)
        #expect(outcome.columns.allSatisfy { $0.count == outcome.rowsAccepted })
        #expect(outcome.columns[0].texts?.first == "gp")
        #expect(outcome.columns[30].integers?.first == 5)  // g1 of the first student, quoted "5" in the file
    }
}
