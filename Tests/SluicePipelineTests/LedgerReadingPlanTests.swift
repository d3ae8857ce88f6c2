import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing

@testable import SluicePipeline

/// The ledger's reads that run on every dashboard page stay off the entries themselves (each
/// carries kilobytes of dialect and header JSON): at 100,000 deliveries a scan of the entries
/// reads about 90 MB, an index scan a few.
struct LedgerReadingPlanTests {
    func workspace(in dir: URL) throws -> Workspace {
        try Workspace.create(
            at: dir.appendingPathComponent("ws"), schemaFile: studentSchema, queries: bundledQueries)
    }

    func plan(_ sql: String, in workspace: Workspace) throws -> String {
        let rows = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            .query("EXPLAIN QUERY PLAN " + sql).rows
        return rows.map { row in row.map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// A loaded file, a file with one bad row loaded in part, and a rejected one.
    func ingestThree(into workspace: Workspace, dir: URL) throws -> [IngestRecord] {
        let lines = try String(contentsOf: studentCSV, encoding: .utf8).split(separator: "\n").map(String.init)
        var bad = Array(lines.prefix(6))
        bad[2] = bad[2].replacingOccurrences(of: #""F";1"#, with: #""F";9"#)
        let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
        return try [
            ("good.csv", Array(lines.prefix(4))), ("bad.csv", bad),
        ].map { name, text in
            let file = try write(text.joined(separator: "\n") + "\n", to: dir.appendingPathComponent(name))
            return try ingestor.ingest(fileAt: file, origin: .external)
        }
    }

    @Test func theTotalsReadACoveringIndexAndTheQuarantineListAPartialOne() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            let records = try ingestThree(into: workspace, dir: dir)
            #expect(records.map(\.status) == [.loaded, .rejected])
            let totals = try plan(Ledger.summarySQL, in: workspace)
            #expect(totals.contains("USING COVERING INDEX sluice_ingests_totals"), "\(totals)")
            let quarantine = try plan(Ledger.storedInSQL, in: workspace)
            #expect(quarantine.contains("USING INDEX sluice_ingests_quarantine"), "\(quarantine)")
            // And the answers are the ledger's: the rejected file is found in failed/.
            let ledger = try #require(try Ledger.openReadOnly(workspace))
            let stored = try ledger.entries(storedIn: workspace.layout.failed)
            #expect(stored.map(\.source) == ["bad.csv"])
            let summary = try ledger.summary()
            #expect((summary.files, summary.loaded, summary.rejected) == (2, 1, 1))
        }
    }

    @Test func aVersion3LedgerGetsTheReadingIndexes() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            _ = try ingestThree(into: workspace, dir: dir)
            let writer = try Warehouse(path: workspace.layout.warehouse.path)
            try writer.connection.execute(
                """
                DROP INDEX sluice_ingests_totals; DROP INDEX sluice_ingests_quarantine; PRAGMA user_version = 3
                """)
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            let reader = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            #expect(try reader.query("PRAGMA user_version").rows == [[.integer(4)]])
            let indexes = try reader.query(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('sluice_ingests_totals', 'sluice_ingests_quarantine') ORDER BY name"
            ).rows
            #expect(indexes == [[.text("sluice_ingests_quarantine")], [.text("sluice_ingests_totals")]])
        }
    }
}
