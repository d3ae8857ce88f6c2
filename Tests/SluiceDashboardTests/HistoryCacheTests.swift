import Foundation
import SluiceDashboard
import SluicePipeline
import Testing

/// The page's ingest history (its totals scan the whole ledger) is kept until another
/// connection commits, and read again then.
struct HistoryCacheTests {
    @Test func theHistoryFollowsACommitByAnotherConnection() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            // The fixture loads student-mat.csv (395 rows) and rejects bad-age.csv.
            let workspace = try DashboardFixture.workspace(in: root)
            let reader = WarehouseReader(workspace: workspace)
            let first = await reader.snapshot().history
            #expect(first.totals.files == 2)
            #expect(first.totals.rowsLoaded == 395)
            #expect(await reader.snapshot().history.totals.files == 2)  // nothing committed: the same

            // Another connection (a new Ingestor) loads 7 more rows.
            let file = root.appendingPathComponent("more.csv")
            try DashboardFixture.sample(rows: 7, offset: 200).write(to: file, atomically: true, encoding: .utf8)
            _ = try Ingestor(workspace: workspace, logger: DashboardFixture.logger).ingest(
                fileAt: file, origin: .external)
            let after = await reader.snapshot().history
            #expect(after.totals.files == 3)
            #expect(after.totals.rowsLoaded == 402)
            #expect(after.ingests.first?.source == "more.csv")
            // Another page of the same history is read for its own offset.
            #expect(await reader.snapshot(historyOffset: 1).history.ingests.first?.source != "more.csv")
        }
    }
}
