import Foundation
import Testing
import SluiceSchema

@Suite struct SchemaErrorTests {
    /// Asserts that loading `yaml` fails at `line`:`column` with a message containing `message`.
    private func expectError(
        _ yaml: String, line: Int, column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = TestSupport.loadError(yaml)
        #expect(error?.line == line, sourceLocation: sourceLocation)
        #expect(error?.column == column, sourceLocation: sourceLocation)
        #expect(
            error?.message.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test func anUnknownTypeIsReportedAtTheTypeWithTheExpectedSpellings() throws {
        let error = try #require(TestSupport.loadError("school: VARCHAR(10)\nage: VARCHR(10)\n"))
        #expect(error.line == 2)
        #expect(error.column == 6)
        #expect(
            error.message
                == "expected a type (integer, real, text, date, timestamp, boolean, VARCHAR(n), INTEGER), found 'VARCHR(10)'"
        )
        #expect(
            error.description
                == "schema.yaml:2:6: error: expected a type (integer, real, text, date, timestamp, boolean, VARCHAR(n), INTEGER), found 'VARCHR(10)'"
        )
    }

    @Test func invalidYAMLReportsLibyamlsProblemAndMark() {
        expectError(
            "table: t\ncolumns: a: b\n", line: 2, column: 11,
            "invalid YAML: mapping values are not allowed in this context")
        expectError("table: [t\n", line: 2, column: 1, "invalid YAML: did not find expected ',' or ']'")
    }

    @Test func anEmptyDocumentIsAnError() {
        expectError("", line: 1, column: 1, "empty document")
        expectError("# only a comment\n", line: 1, column: 1, "empty document")
        expectError("---\n", line: 1, column: 1, "empty document")
    }

    @Test func aTopLevelListIsNotASchema() {
        expectError(
            "- a\n- b\n", line: 1, column: 1,
            "expected a mapping with 'table' and 'columns' at the top level, found a list")
    }

    @Test func anUnrecognisedLayoutPointsAtTheFirstNonScalarValue() {
        expectError("a: integer\nb: [x]\nc: text\n", line: 2, column: 4, "unrecognised schema layout")
    }

    @Test func anUnknownKeyInAColumnSpecIsReportedAtTheKey() {
        expectError(
            "table: t\ncolumns:\n  age: {type: integer, minimum: 1}\n", line: 3, column: 24,
            "unknown key 'minimum' in column 'age' (expected type, min, max, allowed, max_length, description, required, format, true_values, false_values, decimal_separator, thousands_separator, labels)"
        )
    }

    @Test func anUnknownTopLevelKeyIsReported() {
        expectError(
            "table: t\ncolumns: {a: int}\nversion: 2\n", line: 3, column: 1, "unknown key 'version' at the top level")
    }

    @Test func aMissingTableOrTypeIsReported() {
        expectError("columns:\n  a: int\n", line: 1, column: 1, "missing key 'table'")
        expectError("table: t\ncolumns:\n  a: {min: 1}\n", line: 3, column: 6, "missing key 'type' for column 'a'")
    }

    @Test func minimumAboveMaximumIsReportedAtTheMaximum() {
        expectError(
            "table: t\ncolumns:\n  age: {type: integer, min: 22, max: 15}\n", line: 3, column: 38,
            "min 22 is greater than max 15 for column 'age'")
    }

    @Test func aNonNumericBoundIsReportedAtTheValue() {
        expectError(
            "table: t\ncolumns:\n  age: {type: integer, min: old}\n", line: 3, column: 29,
            "expected a number for 'min' of column 'age', found 'old'")
        expectError("table: t\ncolumns:\n  age: {type: real, max: .nan}\n", line: 3, column: 26, "expected a number")
    }

    @Test func rulesOnTheWrongColumnTypeAreReportedAtTheKey() {
        expectError(
            "table: t\ncolumns:\n  sex: {type: text, min: 1}\n", line: 3, column: 21,
            "'min' applies to integer, real, date and timestamp columns only; column 'sex' is text")
        expectError(
            "table: t\ncolumns:\n  n: {type: int, max_length: 3}\n", line: 3, column: 18,
            "'max_length' applies to text columns only")
        expectError(
            "table: t\ncolumns:\n  n: {type: text, max_length: 0}\n", line: 3, column: 31,
            "expected a positive whole number")
    }

    @Test func allowedMustBeANonEmptyListOfValuesOfTheColumnsType() {
        expectError(
            "table: t\ncolumns:\n  sex: {type: text, allowed: f}\n", line: 3, column: 30,
            "expected a list of values for 'allowed' of column 'sex', found 'f'")
        expectError(
            "table: t\ncolumns:\n  sex: {type: text, allowed: []}\n", line: 3, column: 30, "expected at least one value"
        )
        expectError(
            "table: t\ncolumns:\n  n: {type: integer, allowed: [1, x]}\n", line: 3, column: 35,
            "expected an integer in 'allowed' of column 'n', found 'x'")
        expectError("table: t\ncolumns:\n  n: {type: text, allowed: [[a]]}\n", line: 3, column: 29, "found a list")
    }

    @Test func duplicateColumnNamesAreReportedAfterNormalisation() {
        expectError(
            "table: t\ncolumns:\n  age: integer\n  ' AGE': integer\n", line: 4, column: 3,
            "duplicate column name 'age' (first defined at line 3)")
        expectError("a: int\nA: text\n", line: 2, column: 1, "duplicate column name 'a'")
    }

    @Test func aRepeatedKeyInAColumnSpecIsReported() {
        // Caught by the YAML layer, for every mapping (schema, column spec, sluice.yaml).
        expectError(
            "table: t\ncolumns:\n  a: {type: int, type: text}\n", line: 3, column: 18,
            "duplicate key 'type' (first given at line 3)")
    }

    @Test func emptyColumnsAreReported() {
        expectError("table: t\ncolumns: {}\n", line: 2, column: 10, "expected at least one column")
        expectError("table: t\ncolumns:\n", line: 2, column: 1, "expected at least one column")
        expectError("t: []\n", line: 1, column: 1, "expected at least one column under 't'")
    }

    @Test func legacySQLEntriesNeedANameAndATypeAndNothingElse() {
        expectError("t:\n  - name: a\n", line: 2, column: 5, "missing key 'type' for column 'a'")
        expectError("t:\n  - type: int\n", line: 2, column: 5, "missing key 'name'")
        expectError(
            "t:\n  - name: a\n    type: int\n    nullable: yes\n", line: 4, column: 5,
            "unknown key 'nullable' in a column entry")
        expectError("t:\n  - a\n", line: 2, column: 5, "expected a column mapping with 'name' and 'type', found 'a'")
    }

    @Test func aliasesAreRejectedAtTheAlias() {
        expectError("table: &t x\ncolumns:\n  a: *t\n", line: 3, column: 6, "aliases")
    }

    @Test func aSecondDocumentIsRejected() {
        expectError("a: int\n---\nb: int\n", line: 2, column: 1, "expected a single YAML document")
    }

    @Test func nestingDeeperThanTheLimitIsRejected() {
        let yaml = "a: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        expectError(yaml, line: 1, column: 67, "nesting is deeper than 64 levels")
    }

    @Test func aDocumentLargerThanSixteenMebibytesIsRejectedBeforeParsing() {
        let yaml = "a: '" + String(repeating: "x", count: 16 * 1024 * 1024) + "'"
        expectError(yaml, line: 0, column: 0, "larger than the limit of 16777216 bytes")
    }

    @Test func invalidUTF8InAFileIsReportedWithItsPosition() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bad-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes: [UInt8] = Array("a: int\nb: t".utf8) + [0xFF, 0xFE] + Array("xt\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(throws: SchemaError.self) { try SchemaLoader.load(contentsOf: path) }
        do {
            _ = try SchemaLoader.load(contentsOf: path)
        } catch {
            #expect(error.file == path)
            #expect(error.line == 2)
            #expect(error.column == 5)
            #expect(error.message.hasPrefix("invalid YAML: invalid leading UTF-8 octet"))
        }
    }

    @Test func aMissingFileHasNoPositionInItsDescription() throws {
        do {
            _ = try SchemaLoader.load(contentsOf: "/nonexistent/schema.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 0)
            #expect(
                error.description
                    == "/nonexistent/schema.yaml: error: cannot open the schema file for reading: No such file or directory"
            )
            #expect(error.code == .unreadable)
            #expect(error.cause != nil, "the file-system error underneath is kept")
        }
    }
}
