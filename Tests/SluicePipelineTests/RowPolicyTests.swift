import Foundation
import SluiceTestSupport
import SluiceSchema
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// Row-level policy, header handling and dialect pins, end to end through the ingestor.
struct RowPolicyTests {
    /// A workspace whose schema is the bundled student schema with `extraSchemaLines` added at
    /// the top level, and whose `sluice.yaml` gets `extraConfig` appended.
    func workspace(in dir: URL, extraSchemaLines: String = "", extraConfig: String = "") throws -> Workspace {
        let schemaText = try String(contentsOf: studentSchema, encoding: .utf8)
            .replacingOccurrences(of: "table: student_data\n", with: "table: student_data\n" + extraSchemaLines)
        let schemaFile = try write(schemaText, to: dir.appendingPathComponent("student.yaml"))
        let created = try Workspace.create(
            at: dir.appendingPathComponent("ws"), schemaFile: schemaFile, queries: bundledQueries)
        if !extraConfig.isEmpty {
            let config = try String(contentsOf: created.layout.configFile, encoding: .utf8)
            try write(config + extraConfig, to: created.layout.configFile)
        }
        return try Workspace.open(at: created.layout.root)
    }

    func ingest(_ text: String, named name: String, into workspace: Workspace, dir: URL) throws -> IngestRecord {
        let source = try write(text, to: dir.appendingPathComponent(name))
        return try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: source, origin: .external)
    }

    func rows(_ sql: String, in workspace: Workspace) throws -> [[SQLiteValue]] {
        try Warehouse(path: workspace.layout.warehouse.path, readOnly: true).query(sql).rows
    }

    /// Ten real rows with one bad age on line 4.
    func tenRowsOneBad() throws -> String {
        let lines = try String(contentsOf: studentCSV, encoding: .utf8).split(separator: "\n").prefix(11).map(
            String.init)
        var result = lines
        result[3] = result[3].replacingOccurrences(of: #""F";15;"#, with: #""F";99;"#)
        #expect(result[3] != lines[3])
        return result.joined(separator: "\n") + "\n"
    }

    @Test func rejectRowsLoadsTheGoodRowsAndQuarantinesTheBadOnes() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, extraSchemaLines: "on_error: reject_rows\nmax_error_rate: 0.2\n")
            let record = try ingest(try tenRowsOneBad(), named: "mixed.csv", into: workspace, dir: dir)
            #expect(record.status == .loaded)
            #expect((record.rowsRead, record.rowsLoaded, record.rowsRejected) == (10, 9, 1))
            #expect(record.balances)
            #expect(try rows("SELECT count(*) FROM student_data", in: workspace) == [[.integer(9)]])

            let rejectedPath = try #require(record.rejectedRowsFile)
            #expect(rejectedPath.hasSuffix("failed/mixed.csv.rejected.csv"))
            let rejected = try String(contentsOfFile: rejectedPath, encoding: .utf8).split(separator: "\n")
            #expect(rejected.count == 2)
            #expect(rejected[0].hasPrefix("_source_line;school;sex;age;"))
            #expect(rejected[1].hasPrefix(#"4;"GP";"F";99;"#))

            let report = try JSONDecoder().decode(
                ErrorReport.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(record.errorsReport))))
            #expect(report.status == "partially-loaded")
            #expect(report.rows == RowCounts(read: 10, loaded: 9, droppedMissing: 0, droppedDuplicate: 0, rejected: 1))
            #expect(report.errors.first?.line == 4)
            #expect(report.rejectedRows == rejectedPath)

            // Fixed and retried, the rejected-rows file loads as it is: `_source_line` is ignored.
            let fixed = try String(contentsOfFile: rejectedPath, encoding: .utf8).replacingOccurrences(
                of: #";99;"#, with: #";15;"#)
            try write(fixed, to: URL(fileURLWithPath: rejectedPath))
            let retried = try workspace.retryQuarantined(["mixed.csv.rejected.csv"])
            #expect(retried.count == 1)
            #expect(retried[0].previousReport == nil)
            let second = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(second.map(\.status) == [.loaded])
            #expect(second.first?.rowsLoaded == 1)
            #expect(try rows("SELECT count(*) FROM student_data", in: workspace) == [[.integer(10)]])
        }
    }

    @Test func tooManyBadRowsRefuseTheWholeFileAnyway() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, extraSchemaLines: "on_error: reject_rows\nmax_error_rate: 0.05\n")
            let record = try ingest(try tenRowsOneBad(), named: "mostly.csv", into: workspace, dir: dir)
            #expect(record.status == .rejected)
            #expect(record.reason == .tooManyErrors)
            #expect(record.message.contains("10% of the rows are bad, above max_error_rate 5%"))
            #expect((record.rowsLoaded, record.rowsRejected) == (0, 10))
            #expect(try rows("SELECT count(*) FROM student_data", in: workspace) == [[.integer(0)]])
        }
    }

    @Test func nullTokensAndOptionalColumnsStoreNULL() throws {
        try withTemporaryDirectory { dir in
            var schema = try String(contentsOf: studentSchema, encoding: .utf8)
            schema = schema.replacingOccurrences(
                of: "absences:   {type: integer,", with: "absences:   {type: integer, required: false,")
            #expect(schema.contains("required: false"))
            let schemaFile = try write(
                schema.replacingOccurrences(
                    of: "table: student_data\n", with: "table: student_data\nnull_tokens: [\"\", NA]\n"),
                to: dir.appendingPathComponent("student.yaml"))
            let workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: schemaFile, queries: bundledQueries)
            let text = [
                studentHeader, studentRow1.replacingOccurrences(of: #";6;"5";"6";6"#, with: #";NA;"5";"6";6"#),
                studentRow2.replacingOccurrences(of: #""at_home";"other""#, with: #"NA;"other""#),
            ].joined(separator: "\n")
            let record = try ingest(text, named: "nulls.csv", into: workspace, dir: dir)
            #expect((record.rowsLoaded, record.rowsDroppedMissing) == (1, 1))  // mjob is required: that row is dropped
            #expect(try rows("SELECT absences IS NULL FROM student_data", in: workspace) == [[.integer(1)]])
        }
    }

    @Test func aliasesMapOtherHeaderNamesAndAreRecorded() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(
                in: dir, extraSchemaLines: "aliases: {mother_job: mjob, \"Father's Job\": fjob}\n")
            let header = studentHeader.replacingOccurrences(of: ";Mjob;Fjob;", with: ";Mother Job;Father's Job;")
            let record = try ingest(
                [header, studentRow1].joined(separator: "\n"), named: "renamed.csv", into: workspace, dir: dir)
            #expect(record.status == .loaded, "\(record.message)")
            #expect(record.rowsLoaded == 1)
            #expect(
                record.header?.renamed == [
                    HeaderRename(from: "Mother Job", to: "mjob"), HeaderRename(from: "Father's Job", to: "fjob"),
                ])
            #expect(record.header?.normalized.contains("mother_job") == true)
            let ledger = try rows("SELECT json_extract(header, '$.renamed[0].from') FROM sluice_ingests", in: workspace)
            #expect(ledger == [[.text("Mother Job")]])
        }
    }

    @Test func aHeaderlessFileLoadsByPositionWhenPinned() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, extraConfig: "dialect:\n  header: false\n  delimiter: \";\"\n")
            let record = try ingest(
                [studentRow1, studentRow2].joined(separator: "\n"), named: "bare.csv", into: workspace, dir: dir)
            #expect(record.status == .loaded, "\(record.message)")
            #expect(record.rowsLoaded == 2)
            #expect(record.dialect?.header == false)
            #expect(record.dialect?.pinned == ["delimiter", "header"])
        }
    }

    @Test func aConfiguredLegacyEncodingIsTranscoded() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(
                in: dir, extraSchemaLines: "", extraConfig: "dialect:\n  encoding: windows-1252\n")
            // A header with "é" in an alias-free way is not possible here, so check the dialect record.
            let record = try ingest(
                [studentHeader, studentRow1].joined(separator: "\n"), named: "cp1252.csv", into: workspace, dir: dir)
            #expect(record.status == .loaded)
            #expect(record.dialect?.encoding == "windows-1252")
        }
    }

    @Test func theSniffResultIsRecordedInTheLedger() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: studentCSV, origin: .external)
            let dialect = try rows(
                "SELECT json_extract(dialect, '$.delimiter'), json_extract(dialect, '$.confidence') FROM sluice_ingests",
                in: workspace)
            #expect(dialect == [[.text(";"), .integer(1)]])
        }
    }
}
