import Foundation
import SluiceSchema
import SluiceTestSupport
import Testing
@testable import SluicePipeline

/// The checks `init` and every load make on the schema and `sluice.yaml`, and what `init`
/// leaves behind (nothing, when it fails).
struct ConfigChecksTests {
    func configError(_ yaml: String) -> String? {
        do {
            _ = try WorkspaceConfig(yaml: yaml, file: "sluice.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    func loadError(_ yaml: String) -> SchemaError? {
        do {
            _ = try SchemaLoader.load(yaml: yaml, file: "schema.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func sluiceYAMLRefusesASecondKeyAndConflictingDialects() {
        #expect(
            configError("schema: a.yaml\nschema: b.yaml\n")?.contains(
                "sluice.yaml:2:1: error: duplicate key 'schema' (first given at line 1)") == true)
        #expect(
            configError("schema: a.yaml\ndialect: {delimiter: \";\", quote: \";\"}\n")?.contains(
                "delimiter and quote are both ';'") == true)
        #expect(configError("schema: a.yaml\ndialect: {delimiter: \"a\"}\n")?.contains("is a letter or digit") == true)
        #expect(configError("schema: a.yaml\ndialect: {delimiter: \";\", quote: \"'\"}\n") == nil)
    }

    @Test func reservedNamesAndTheColumnLimitAreRefusedAtLoad() {
        let cases: [(String, String)] = [
            ("table: sluice_ingests\ncolumns: {a: integer}\n", "table name 'sluice_ingests' is reserved"),
            ("table: SQLite_master\ncolumns: {a: integer}\n", "is reserved"),
            ("table: t\ncolumns: {_ingest_id: integer}\n", "column name '_ingest_id' is reserved"),
            ("table: t\ncolumns: {sluice_x: integer}\n", "column name 'sluice_x' is reserved"),
            ("a: integer\n_ingest_id: text\n", "column name '_ingest_id' is reserved"),
            ("t: [{name: sqlite_x, type: int}]\n", "is reserved"),
            ("table: t\ncolumns:\n" + (1...2000).map { "  c\($0): integer\n" }.joined(), "at most 1999 are allowed"),
        ]
        for (yaml, expected) in cases {
            let error = loadError(yaml)
            #expect(error?.message.contains(expected) == true, "\(yaml.prefix(60)): \(String(describing: error))")
        }
        #expect(loadError("table: t\ncolumns:\n" + (1...1999).map { "  c\($0): integer\n" }.joined()) == nil)
    }

    @Test func aFileThatIsNotYAMLIsNamedWithoutEchoingIt() throws {
        try withTemporaryDirectory { dir in
            let secret = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            let file = try write(secret, to: dir.appendingPathComponent("passwd"))
            let error = #expect(throws: SchemaError.self) { try SchemaLoader.load(contentsOf: file.path) }
            #expect(error?.message.contains("not a YAML schema") == true)
            #expect(error?.description.contains("root") == false)
        }
    }

    @Test func aFailedCreateRemovesWhatItMadeAndKeepsWhatWasThere() throws {
        try withTemporaryDirectory { dir in
            let bad = try write(
                "table: t\ncolumns: {_ingest_id: integer}\n", to: dir.appendingPathComponent("bad.yaml"))
            let root = dir.appendingPathComponent("ws")
            #expect(throws: PipelineError.self) {
                try Workspace.create(at: root, schemaFile: bad, queries: bundledQueries)
            }
            #expect(!FileManager.default.fileExists(atPath: root.path))

            // A folder that existed stays, with what it held; only what create made goes.
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try write("keep", to: root.appendingPathComponent("notes.txt"))
            // A folder in the way of the schema's copy: the folders and sluice.yaml get made,
            // then opening the new workspace fails, and all of it is taken back.
            let good = try write("table: t\ncolumns: {a: integer}\n", to: dir.appendingPathComponent("good.yaml"))
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("good.yaml"), withIntermediateDirectories: true)
            #expect(throws: (any Error).self) {
                try Workspace.create(at: root, schemaFile: good, queries: bundledQueries)
            }
            #expect(contents(of: root) == ["good.yaml", "notes.txt"])
        }
    }

    @Test func onlyTheReportsThatFitTheSchemaAreCopied() throws {
        try withTemporaryDirectory { dir in
            let student = try makeWorkspace(in: dir)
            #expect(contents(of: student.layout.queries).count == 5)
            // The student table without the columns q1 needs (sex, mjob, age): q1 is left out.
            let text = try String(contentsOf: studentSchema, encoding: .utf8)
            let partial = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("  mjob:") }.joined(separator: "\n")
            let file = try write(partial, to: dir.appendingPathComponent("partial.yaml"))
            let schema = try SchemaLoader.load(contentsOf: file.path)
            let fitting = try Workspace.fittingReports(in: bundledQueries, schema: schema, table: "student_data")
            #expect(!fitting.map(\.lastPathComponent).contains("q1_mother_jobs_of_young_male_students.sql"))
            #expect(fitting.count >= 1)
            // The bundled reports read rollups, which follow the workspace's table whatever its
            // name; a schema without their columns gets none of them.
            let foreign = try write(
                "table: weather\ncolumns:\n  day: date\n  rain: real\n", to: dir.appendingPathComponent("weather.yaml"))
            let weather = try SchemaLoader.load(contentsOf: foreign.path)
            #expect(try Workspace.fittingReports(in: bundledQueries, schema: weather, table: "weather").isEmpty)
        }
    }
}
