import Foundation
import SluiceDashboard
import SluicePipeline
import SluiceTestSupport
import SluiceWarehouse
import Testing

struct ReadOnlyWarehouseTests {
    @Test func refusesEveryWriteAttemptAndChangesNothing() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let before = try DashboardFixture.fingerprint(workspace)
            let warehouse = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path)
            for sql in DashboardFixture.writeAttempts {
                do {
                    let result = try warehouse.query(sql)
                    Issue.record("not refused: \(sql) → \(result)")
                } catch let error as WarehouseError {
                    #expect(error.code == .writeRefused, "\(sql): \(error)")
                    #expect(error.message.hasPrefix("refused:"), "\(sql): \(error.message)")
                }
            }
            #expect(try DashboardFixture.fingerprint(workspace) == before)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/sluice-copy.sqlite"))
        }
    }

    @Test func namesWhatWasRefused() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let warehouse = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path)
            #expect(throws: WarehouseError.self) { try warehouse.query("ATTACH DATABASE ':memory:' AS x") }
            do { _ = try warehouse.query("ATTACH DATABASE ':memory:' AS x") } catch let error as WarehouseError {
                #expect(error.message.contains("ATTACH"))
            }
            do { _ = try warehouse.query("SELECT load_extension('x')") } catch let error as WarehouseError {
                #expect(error.message.contains("load_extension"))
            }
            do { _ = try warehouse.query("PRAGMA query_only = OFF") } catch let error as WarehouseError {
                #expect(error.message.contains("PRAGMA query_only"))
            }
            do { _ = try warehouse.query("DROP TABLE student_data") } catch let error as WarehouseError {
                #expect(error.message.contains("changing the database schema"), "\(error.message)")
            }
        }
    }

    @Test func allowsReadingAndReportingPragmas() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let warehouse = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path)
            #expect(try warehouse.query("SELECT COUNT(*) FROM student_data").rows == [[.integer(395)]])
            #expect(
                try warehouse.query("WITH s AS (SELECT sex FROM student_data) SELECT COUNT(DISTINCT sex) FROM s").rows
                    == [[.integer(2)]])
            #expect(try warehouse.query("PRAGMA table_info(student_data)").rows.count == 34)
            let tables = try warehouse.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows
                .map(\.first)
            #expect(tables.contains(.text("student_data")) && tables.contains(.text("sluice_ingests")))
            #expect(try warehouse.query("PRAGMA user_version").rows == [[.integer(4)]], "the ledger's layout version")
            #expect(try warehouse.dataVersion() > 0)
        }
    }

    @Test func stopsAQueryPastTheTimeLimit() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root, load: false)
            _ = try Ingestor(workspace: workspace, logger: DashboardFixture.logger)  // creates the warehouse
            let warehouse = try ReadOnlyWarehouse(
                path: workspace.layout.warehouse.path, limits: .init(timeLimit: .milliseconds(200)))
            let started = ContinuousClock.now
            do {
                _ = try warehouse.query(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c")
                Issue.record("an endless query finished")
            } catch let error as WarehouseError {
                #expect(error.code == .timeLimit)
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }

    @Test func capsRowsAndValueSizes() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root, load: false)
            _ = try Ingestor(workspace: workspace, logger: DashboardFixture.logger)
            let warehouse = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path, limits: .init(maxRows: 100))
            let many = try warehouse.query(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5000) SELECT x FROM c")
            #expect(many.rows.count == 100)
            #expect(many.isTruncated)
            #expect(throws: WarehouseError.self) { try warehouse.query("SELECT length(zeroblob(100000000))") }
        }
    }

    @Test func reportsAMissingWarehouse() throws {
        _ = try withTemporaryDirectory { root in
            #expect(throws: WarehouseError.self) {
                try ReadOnlyWarehouse(path: root.appendingPathComponent("none.sqlite").path)
            }
        }
    }
}
