import Foundation
import SluiceSchema
import Testing

/// Every schema mistake carries a code a program can act on, beside the message a person reads.
@Suite struct SchemaErrorCodeTests {
    /// One mistake per code (several for the codes with several causes), and the code it must carry.
    static let cases: [(yaml: String, code: SchemaError.Code)] = [
        ("table: t\ncolumns: a: b\n", .invalidYAML),
        ("table: t\ncolumns: {a: &x integer, b: *x}\n", .invalidYAML),
        ("table: t\ncolumns: {a: integer}\n---\ntable: u\n", .invalidYAML),
        ("", .notASchema),
        ("- a\n- b\n", .notASchema),
        ("a: integer\nb: [x]\nc: text\n", .notASchema),
        ("columns: {a: integer}\n", .missingKey),
        ("table: t\ncolumns:\n  a: {min: 1}\n", .missingKey),
        ("table: t\ncolumns:\n", .missingKey),
        ("table: t\ncolumns:\n  age: {type: integer, minimum: 1}\n", .unknownKey),
        ("table: t\ncolour: red\ncolumns: {a: integer}\n", .unknownKey),
        ("table: t\ncolumns:\n  a: integer\n  a: text\n", .duplicateKey),
        ("table: t\ncolumns:\n  A: integer\n  a : text\n", .duplicateKey),
        ("table: t\ncolumns: {a: integer}\naliases: {a: a}\n", .duplicateKey),
        ("table: t\ncolumns: {a: VARCHR(10)}\n", .invalidValue),
        ("table: t\ncolumns:\n  a: {type: integer, min: lots}\n", .invalidValue),
        ("table: t\non_error: shrug\ncolumns: {a: integer}\n", .invalidValue),
        ("table: t\ncolumns:\n  a: {type: integer, min: 5, max: 1}\n", .conflict),
        ("table: t\ncolumns:\n  a: {type: boolean, true_values: [y], false_values: [y]}\n", .conflict),
        ("table: t\ncolumns:\n  s: {type: text, labels: {t: a, T: b}}\n", .duplicateKey),
        (
            "table: t\ncolumns:\n  s: {type: text, labels: {t: " + String(repeating: "x", count: 201) + "}}\n",
            .limitExceeded
        ),
        ("table: t\ncolumns:\n  d: {type: date, labels: {2012-01-01: new year}}\n", .invalidValue),
        ("table: t\non_conflict: replace\ncolumns: {a: integer}\n", .conflict),
        ("table: sluice_ingests\ncolumns: {a: integer}\n", .reservedName),
        ("table: t\ncolumns: {_ingest_id: integer}\n", .reservedName),
        ("table: t\ncolumns: {" + (0..<2000).map { "c\($0): integer" }.joined(separator: ", ") + "}\n", .limitExceeded),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), .limitExceeded),
    ]

    @Test(arguments: cases.indices)
    func eachMistakeCarriesItsCode(index: Int) throws {
        let (yaml, code) = Self.cases[index]
        let error = try #require(TestSupport.loadError(yaml), "case \(index) loaded")
        #expect(error.code == code, "case \(index): \(error.description)")
        #expect(error.line > 0, "case \(index) has a position")
    }

    /// The identifiers are a contract (README, "Schema errors"): scripts match on them.
    @Test func everyCodeHasTheDocumentedIdentifier() {
        let codes = Set(Self.cases.map(\.code.description) + [SchemaError.Code.unreadable.description])
        #expect(
            codes == [
                "invalid-yaml", "not-a-schema", "missing-key", "unknown-key", "duplicate-key", "invalid-value",
                "conflict", "reserved-name", "limit-exceeded", "unreadable",
            ])
    }

    @Test func anUnreadableFileKeepsTheSystemErrorAsItsCause() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try SchemaLoader.load(contentsOf: folder.path)  // a folder, not a file
            Issue.record("a folder loaded as a schema")
        } catch {
            #expect(error.code == .unreadable, "\(error)")
            #expect(error.message.contains("Is a directory"), "\(error)")
            #expect(error.cause != nil, "the system error underneath is kept")
            #expect(error.file == folder.path)
        }
    }

    @Test func equalErrorsSayTheSameThingAtTheSamePlace() throws {
        let first = try #require(TestSupport.loadError("table: t\ncolumns: {a: VARCHR(10)}\n"))
        let second = try #require(TestSupport.loadError("table: t\ncolumns: {a: VARCHR(10)}\n"))
        let elsewhere = try #require(TestSupport.loadError("table: t\ncolumns: {a: VARCHR(10)}\n", file: "other.yaml"))
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != elsewhere)
    }
}
