import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// `dialect: {quote_policy: lenient}` and broken records under `on_error: reject_rows`, end to end.
///
/// Expected counts are counted by hand from the few lines each test writes (noted beside them).
struct QuotePolicyTests {
    func workspace(in dir: URL, policy: String = "", dialect: String = "") throws -> Workspace {
        let schema =
            "table: places\nlowercase_text: false\n" + policy + "columns:\n  name: text\n  lat: text\n  n: integer\n"
        let file = try write(schema, to: dir.appendingPathComponent("places.yaml"))
        let created = try Workspace.create(at: dir.appendingPathComponent("ws"), schemaFile: file, queries: nil)
        if !dialect.isEmpty {
            let config = try String(contentsOf: created.layout.configFile, encoding: .utf8)
            try write(
                config + "dialect:\n  delimiter: \",\"\n  quote_policy: \(dialect)\n", to: created.layout.configFile)
        }
        return try Workspace.open(at: created.layout.root)
    }

    func ingest(_ text: String, into workspace: Workspace, dir: URL) throws -> IngestRecord {
        let source = try write(text, to: dir.appendingPathComponent("places.csv"))
        return try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: source, origin: .external)
    }

    /// Line 2 has a bare quote in an unquoted field, line 3 text after a closing quote.
    let stray = "name,lat,n\nA,37°36'37.8\"N,1\nB,\"x\"y,2\nC,ok,3\n"

    @Test func lenientLoadsStrayQuotesAndCountsTheFields() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, dialect: "lenient")
            #expect(workspace.config.pins.quotePolicy == .lenient)
            let record = try ingest(stray, into: workspace, dir: dir)
            #expect((record.status, record.rowsLoaded, record.lenientFields) == (.loaded, 3, 2))
            #expect(record.dialect?.quotePolicy == "lenient")
            let rows = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true).query(
                "SELECT lat FROM places ORDER BY n"
            ).rows
            #expect(rows == [[.text("37°36'37.8\"N")], [.text("xy")], [.text("ok")]])
            let json = try JSONSerialization.jsonObject(with: Data(ResultFormatter.json(record).utf8)) as? [String: Any]
            #expect(json?["lenient_fields"] as? Int == 2)
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func strictRejectRowsSkipsTheBrokenRecordsAndLoadsTheRest() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, policy: "on_error: reject_rows\nmax_error_rate: 0.7\n")
            let record = try ingest(stray, into: workspace, dir: dir)
            // 3 rows read: lines 2 and 3 refused, line 4 loaded.
            #expect((record.status, record.rowsRead, record.rowsLoaded, record.rowsRejected) == (.loaded, 3, 1, 2))
            #expect(record.balances)
            #expect(record.lenientFields == 0)
            let rejected = try String(contentsOfFile: try #require(record.rejectedRowsFile), encoding: .utf8)
            #expect(rejected == "_source_line,name,lat,n\n2,A,37°36'37.8\"N,1\n3,B,\"x\"y,2\n")
            let report = try JSONDecoder().decode(
                ErrorReport.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(record.errorsReport))))
            #expect(report.errors.map(\.code) == [.unexpectedQuote, .textAfterQuote])
            #expect(report.errors.map(\.line) == [2, 3])
            #expect(report.rows.rejected == 2)
        }
    }

    @Test func whatCannotBeSkippedStillRejectsTheFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, policy: "on_error: reject_rows\nmax_error_rate: 0.7\n")
            let record = try ingest("name,lat,n\nA,ok,1\nB,\"open,2\nC,ok,3\n", into: workspace, dir: dir)
            #expect((record.status, record.reason) == (.rejected, .malformedCSV))
        }
        try withTemporaryDirectory { dir in
            // reject_file keeps refusing a file with a broken record.
            let workspace = try workspace(in: dir)
            let record = try ingest(stray, into: workspace, dir: dir)
            #expect((record.status, record.reason) == (.rejected, .malformedCSV))
        }
    }
}
