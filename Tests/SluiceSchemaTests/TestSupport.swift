import Foundation
import SluiceSchema

/// Paths and builders shared by the test suites.
enum TestSupport {
    /// This test folder (found from this file's path, so tests run from any directory).
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The package root (two levels above the test folder).
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// A file in `Tests/SluiceSchemaTests/Fixtures`.
    static func fixture(_ name: String) -> String {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The bundled student schema, `data/student.yaml`.
    static var studentSchemaPath: String {
        packageRoot.appendingPathComponent("data/student.yaml").path
    }

    /// The bundled demo data, `data/student-mat.csv`, when present.
    static var studentDataPath: String {
        packageRoot.appendingPathComponent("data/student-mat.csv").path
    }

    /// A small schema exercising every rule.
    static let rulesSchemaYAML = """
        table: people
        columns:
          name:  {type: text, max_length: 5}
          kind:  {type: text, allowed: [a, B]}
          age:   {type: integer, min: 15, max: 22}
          score: {type: real, min: 0, max: 1}
          level: {type: integer, allowed: [1, 2, 3]}
        """

    /// Splits a `;`-separated line into raw field bytes (no quoting: test rows do not need it).
    static func fields(_ line: String) -> [ArraySlice<UInt8>] {
        Array(line.utf8).split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
    }

    /// Validates `rows` (the first is the header) against `schemaYAML`; data lines are numbered from 2.
    static func validate(
        _ rows: [String], schemaYAML: String = rulesSchemaYAML, options: CleaningOptions = .init()
    ) throws -> ValidationOutcome {
        let schema = try SchemaLoader.load(yaml: schemaYAML)
        let header = try schema.mapHeader(
            rows[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init))
        var validator = RowValidator(schema: schema, header: header, options: options)
        for (offset, row) in rows.dropFirst().enumerated() {
            validator.addRow(line: offset + 2, fields: fields(row))
        }
        return validator.finish()
    }

    /// The error thrown by loading `yaml`, if any.
    static func loadError(_ yaml: String, file: String = "schema.yaml") -> SchemaError? {
        do {
            _ = try SchemaLoader.load(yaml: yaml, file: file)
            return nil
        } catch {
            return error
        }
    }
}

extension TypedColumn {
    /// The integer values, or `nil` for other column types.
    var integers: [Int64]? { if case .integer(let values) = self { values } else { nil } }
    /// The real values, or `nil` for other column types.
    var reals: [Double]? { if case .real(let values) = self { values } else { nil } }
    /// The text values, or `nil` for other column types.
    var texts: [String]? { if case .text(let values) = self { Array(values) } else { nil } }
}
