import Foundation
import SluiceSchema
import Testing

/// A column's `labels:` map: read in every type that has coded values, keyed as the warehouse
/// stores the values, and every hostile shape refused at its line and column.
@Suite struct ValueLabelTests {
    /// Asserts that a schema whose only column is `column` (one YAML line, line 3 of the file)
    /// fails at the first occurrence of `marker` in that line (its 1-based column, found by
    /// searching the text) with a message containing `message`.
    private func expectError(
        _ column: String, at marker: String?, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = TestSupport.loadError("table: t\ncolumns:\n" + column + "\n")
        #expect(error?.line == 3, "\(String(describing: error))", sourceLocation: sourceLocation)
        if let marker {
            let offset = column.range(of: marker).map { column.distance(from: column.startIndex, to: $0.lowerBound) }
            #expect(offset != nil, "marker \(marker) not in the line", sourceLocation: sourceLocation)
            #expect(error?.column == (offset ?? -2) + 1, "\(String(describing: error))", sourceLocation: sourceLocation)
        }
        #expect(
            error?.message.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test func labelsAreReadForTextIntegerRealAndBooleanColumns() throws {
        let schema = try SchemaLoader.load(
            yaml: """
                table: t
                columns:
                  pstatus: {type: text, allowed: [t, a], labels: {T: living together, a: "  apart  "}}
                  famrel:  {type: integer, min: 1, max: 5, labels: {01: very bad, 5: excellent}}
                  share:   {type: real, labels: {0.50: half, 1: all}}
                  paid:    {type: boolean, true_values: [paid], false_values: [open], labels: {paid: settled, false: unpaid}}
                  plain:   text
                """)
        // Keys as written for text (trimmed), canonical for numbers (as `allowed:` holds them:
        // 01 → 1, 0.50 → 0.5, 1.0 → 1), 1/0 for booleans (as SQLite stores them); labels trimmed.
        #expect(schema.columns[0].valueLabels == ["T": "living together", "a": "apart"])
        #expect(schema.columns[1].valueLabels == ["1": "very bad", "5": "excellent"])
        #expect(schema.columns[2].valueLabels == ["0.5": "half", "1": "all"])
        #expect(schema.columns[3].valueLabels == ["1": "settled", "0": "unpaid"])
        #expect(schema.columns[4].valueLabels.isEmpty)
        // Stored text is lower-cased by default, so lookups fold the keys the same way.
        #expect(schema.columns[0].labelsByStoredValue(lowercasingText: true) == ["t": "living together", "a": "apart"])
        #expect(
            schema.columns[0].labelsByStoredValue(lowercasingText: false) == ["T": "living together", "a": "apart"])
        #expect(Set(schema.valueLabels(lowercasingText: true).keys) == ["pstatus", "famrel", "share", "paid"])
    }

    @Test func labelsChangeNothingElseInTheColumn() throws {
        let plain = try SchemaLoader.load(yaml: "table: t\ncolumns:\n  s: {type: text, allowed: [t, a]}\n")
        var labelled = try SchemaLoader.load(
            yaml: "table: t\ncolumns:\n  s: {type: text, allowed: [t, a], labels: {t: together}}\n")
        #expect(labelled != plain)
        labelled.columns[0].valueLabels = [:]
        #expect(labelled == plain)
    }

    @Test func theBundledSchemaLabelsItsCodes() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.studentSchemaPath)
        let labels = schema.valueLabels(lowercasingText: true)
        #expect(labels["pstatus"] == ["t": "living together", "a": "apart"])
        #expect(labels["traveltime"]?["1"] == "under 15 min")
    }

    @Test func labelsThatAreNotAMappingAreRefused() {
        expectError("  s: {type: text, labels: [t, a]}", at: "[t, a]", "expected a mapping of value to label")
        expectError("  s: {type: text, labels: together}", at: "together", "found 'together'")
        expectError("  s: {type: text, labels: }", at: nil, "found nothing")
        expectError("  s: {type: text, labels: {}}", at: "{}", "expected at least one value: label pair")
    }

    @Test func keysAndLabelsMustBeSingleValues() {
        expectError("  s: {type: text, labels: {[t]: together}}", at: "[t]", "found a list")
        expectError("  s: {type: text, labels: {~: nothing}}", at: "~", "found nothing")
        expectError("  s: {type: text, labels: {t: [a, b]}}", at: "[a, b]", "expected a label (text)")
        expectError("  s: {type: text, labels: {t: {a: b}}}", at: "{a: b}", "found a mapping")
        expectError("  s: {type: text, labels: {t: }}", at: nil, "found nothing")
        expectError("  s: {type: text, labels: {t: \"  \"}}", at: "\"  \"", "found an empty one")
        expectError("  s: {type: text, labels: {\" \": x}}", at: "\" \"", "found an empty one")
    }

    @Test func aValueLabelledTwiceIsRefused() {
        // Written the same: the YAML reader refuses any repeated key.
        expectError("  s: {type: text, labels: {t: a, t: b}}", at: "t: b", "duplicate key 't'")
        // The same value after cleaning: case for text, canonical form for numbers and booleans.
        expectError("  s: {type: text, labels: {t: a, T: b}}", at: "T: b", "names the value 'T' twice")
        expectError(
            "  n: {type: integer, labels: {1: a, 01: b}}", at: "01",
            "names the value '1' twice ('01' here, '1' at line 3)")
        expectError("  r: {type: real, labels: {2.5: a, 2.50: b}}", at: "2.50", "names the value '2.5' twice")
        expectError(
            "  b: {type: boolean, labels: {yes: a, true: b}}", at: "true",
            "names the value '1' twice ('true' here, 'yes' at line 3)")
    }

    @Test func aKeyMustBeAValueTheColumnCanHold() {
        expectError("  n: {type: integer, labels: {one: a}}", at: "one", "expected an integer")
        expectError("  n: {type: integer, labels: {1.5: a}}", at: "1.5", "found '1.5'")
        expectError("  r: {type: real, labels: {.nan: a}}", at: ".nan", "expected a number")
        expectError("  b: {type: boolean, labels: {maybe: a}}", at: "maybe", "expected true or false")
        expectError(
            "  d: {type: date, labels: {2012-01-01: new year}}", at: "labels",
            "'labels' applies to text, integer, real and boolean columns only; column 'd' is date")
        expectError("  t: {type: timestamp, labels: {a: b}}", at: "labels", "column 't' is timestamp")
    }

    @Test func aKeyOutsideTheAllowedListIsRefused() {
        expectError(
            "  s: {type: text, allowed: [t, a], labels: {t: together, x: elsewhere}}", at: "x: elsewhere",
            "names 'x', which 'allowed' does not permit (allowed: t, a)")
        expectError(
            "  n: {type: integer, allowed: [1, 2], labels: {3: three}}", at: "3: three",
            "names '3', which 'allowed' does not permit")
        // Text compares without case, as cleaning lower-cases it by default.
        #expect(
            TestSupport.loadError("table: t\ncolumns:\n  s: {type: text, allowed: [t, a], labels: {T: together}}\n")
                == nil)
    }

    @Test func labelsMustBePlainPrintableTextOfReasonableLength() {
        expectError("  s: {type: text, labels: {t: \"a\\u202Eevil\"}}", at: "\"a", "U+202E")
        expectError("  s: {type: text, labels: {t: \"a\\0b\"}}", at: "\"a", "U+0000")
        expectError("  s: {type: text, labels: {t: \"a\\u200Bb\"}}", at: "\"a", "U+200B")
        let long = String(repeating: "x", count: 201)
        expectError("  s: {type: text, labels: {t: \(long)}}", at: long, "is 201 characters long; at most 200")
        #expect(
            TestSupport.loadError(
                "table: t\ncolumns:\n  s: {type: text, labels: {t: \(String(repeating: "é", count: 200))}}\n") == nil)
    }

    @Test func labelsIsAnUnknownKeyAtTheTopLevel() {
        let error = TestSupport.loadError("table: t\nlabels: {a: b}\ncolumns:\n  s: text\n")
        #expect(error?.line == 2 && error?.message.contains("unknown key 'labels' at the top level") == true)
    }
}
