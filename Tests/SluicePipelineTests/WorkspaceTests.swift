import Foundation
import SluiceTestSupport
import Testing
import SluiceCSV
import SluiceSchema
@testable import SluicePipeline

struct WorkspaceTests {
    @Test func initCreatesFoldersConfigSchemaCopyAndReports() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let root = workspace.layout.root
            #expect(
                contents(of: root) == [
                    ".work", "archive", "columnar", "failed", "inbox", "queries", "sluice.yaml", "student.yaml",
                ])
            #expect(contents(of: workspace.layout.queries).count == 5)
            #expect(workspace.tableName == "student_data")
            #expect(workspace.schema.columns.count == 33)
            #expect(workspace.config.afterLoad == .archive)
            #expect(workspace.policy.cleaning.dropRowsWithMissingValues)
            #expect(workspace.policy.onError == .rejectFile)
        }
    }

    @Test func initTwiceKeepsTheUsersConfig() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let edited = try String(contentsOf: workspace.layout.configFile, encoding: .utf8)
                .replacingOccurrences(of: "after_load: archive", with: "after_load: delete")
            try write(edited, to: workspace.layout.configFile)
            let again = try makeWorkspace(in: dir)
            #expect(again.config.afterLoad == .delete)
        }
    }

    /// The library says what is wrong and where, with a hint in its own terms; the CLI adds
    /// `sluice init` (tested in CLITests).
    @Test func openingAFolderWithoutConfigSaysHowToCreateOne() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: PipelineError.self) { try Workspace.open(at: dir) }
            #expect(error?.code == .notAWorkspace)
            #expect(error?.path == dir.path)
            #expect(error?.operation == "open")
            #expect(error?.hint?.contains("create one") == true)
            #expect(error?.message.contains("sluice init") == false, "library messages name no CLI command")
        }
    }

    @Test func legacyFlatSchemaNeedsATableNameAndGetsOneFromInit() throws {
        try withTemporaryDirectory { dir in
            let flat = repositoryRoot.appendingPathComponent("Tests/SluiceSchemaTests/Fixtures/schema.yaml")
            let workspace = try makeWorkspace(in: dir, schema: flat)
            #expect(workspace.schema.format == .legacyFlat)
            #expect(workspace.tableName == "data")
        }
    }

    @Test func legacySQLSchemaLoadsTheRealDataIntoItsTable() throws {
        try withTemporaryDirectory { dir in
            let legacy = repositoryRoot.appendingPathComponent("Tests/SluiceSchemaTests/Fixtures/schema_sql.yaml")
            let workspace = try makeWorkspace(in: dir, schema: legacy)
            #expect(workspace.tableName == "student_data")
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: studentCSV, origin: .external)
            #expect(record.status == .loaded)
            #expect(record.rowsLoaded == 395)
        }
    }
}

struct WorkspaceConfigTests {
    @Test func readsEverySetting() throws {
        let config = try WorkspaceConfig(
            yaml: """
                schema: s.yaml
                table: t
                after_load: delete
                max_file_bytes: 1000
                dialect:
                  delimiter: "\\t"
                  quote: "'"
                  header: false
                  encoding: windows-1252
                limits:
                  max_field_bytes: 10
                  max_record_bytes: 20
                  max_columns: 30
                cleaning:
                  on_error: reject_rows
                  max_error_rate: 0.2
                  null_tokens: ["", NA]
                  on_missing: reject_row
                  drop_duplicate_rows: no
                  lowercase_text: false
                  max_reported_errors: 7
                """, file: "sluice.yaml")
        #expect(config.schemaPath == "s.yaml")
        #expect(config.table == "t")
        #expect(config.afterLoad == .delete)
        #expect(config.maxFileBytes == 1000)
        #expect(config.pins == CSVDialectPins(delimiter: 0x09, quote: UInt8(ascii: "'"), hasHeader: false))
        #expect(config.encoding == .windows1252)
        #expect(config.limits == CSVReaderLimits(maxFieldBytes: 10, maxRecordBytes: 20, maxFields: 30))
        let policy = config.overrides.applied(to: SchemaPolicy())
        #expect(
            policy
                == SchemaPolicy(
                    onError: .rejectRows, maxErrorRate: 0.2,
                    cleaning: CleaningOptions(
                        dropRowsWithMissingValues: false, dropDuplicateRows: false, lowercaseText: false,
                        maxReportedIssues: 7,
                        nullTokens: ["", "NA"])))
    }

    @Test func templateParsesToTheDefaults() throws {
        let config = try WorkspaceConfig(
            yaml: WorkspaceConfig.template(schemaFile: "student.yaml", table: nil), file: "sluice.yaml")
        var expected = WorkspaceConfig(schemaPath: "student.yaml")
        expected.overrides.maxReportedErrors = 100
        #expect(config == expected)
    }

    @Test(arguments: [
        ("schema: s.yaml\nafter_load: shred\n", 2, 13, "expected archive or delete, found 'shred'"),
        ("schema: s.yaml\ntabel: t\n", 2, 1, "unknown setting 'tabel'"),
        ("table: t\n", 1, 1, "missing 'schema:'"),
        ("schema: s.yaml\ncleaning:\n  lowercase_text: maybe\n", 3, 19, "expected true or false, found 'maybe'"),
    ])
    func mistakesAreReportedWithLineAndColumn(yaml: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: SchemaError.self) { try WorkspaceConfig(yaml: yaml, file: "sluice.yaml") }
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}
