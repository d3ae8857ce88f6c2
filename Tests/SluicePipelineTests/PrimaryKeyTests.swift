import Foundation
import SluiceTestSupport
import SluiceSchema
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// `primary_key` with `on_conflict: replace | ignore | reject`, end to end: counts, the
/// warehouse, the ledger, `verify`, `forget` and the lake export.
///
/// Expected values are counted by hand from the few rows each test writes (noted beside them).
struct PrimaryKeyTests {
    /// A weather workspace keyed on (station, date), with `policy` lines at the schema's top level.
    func workspace(in dir: URL, policy: String = "", key: String = "primary_key: [station, date]\n") throws -> Workspace
    {
        let schema =
            "table: weather\nlowercase_text: false\n" + key + policy
            + "columns:\n  station: text\n  date: text\n  temp: real\n"
        let file = try write(schema, to: dir.appendingPathComponent("weather.yaml"))
        return try Workspace.create(at: dir.appendingPathComponent("ws"), schemaFile: file, queries: nil)
    }

    func ingest(_ text: String, named name: String, into workspace: Workspace, dir: URL) throws -> IngestRecord {
        let source = try write(text, to: dir.appendingPathComponent(name))
        return try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: source, origin: .external)
    }

    func rows(_ sql: String, in workspace: Workspace) throws -> [[SQLiteValue]] {
        try Warehouse(path: workspace.layout.warehouse.path, readOnly: true).query(sql).rows
    }

    /// Three keys: (a, 01) (a, 02) (b, 01).
    let first = "station,date,temp\na,2012-01-01,1.5\na,2012-01-02,2.0\nb,2012-01-01,3.0\n"
    /// A corrected (a, 02) and a new (c, 01).
    let corrected = "station,date,temp\na,2012-01-02,2.5\nc,2012-01-01,4.0\n"
    let everything = "SELECT station, date, temp, _ingest_id FROM weather ORDER BY station, date"

    /// A key on a `date` column (stored as ISO text in the warehouse, as days in the `.scol`):
    /// the redelivery still finds the row it replaces, and `verify` still agrees.
    @Test func aKeyOnADateColumnReplacesAndVerifies() throws {
        try withTemporaryDirectory { dir in
            let schema =
                "table: weather\nlowercase_text: false\nprimary_key: [station, date]\n"
                + "columns:\n  station: text\n  date: {type: date, format: \"%Y/%m/%d\"}\n  temp: real\n"
            let file = try write(schema, to: dir.appendingPathComponent("weather.yaml"))
            let workspace = try Workspace.create(at: dir.appendingPathComponent("ws"), schemaFile: file, queries: nil)
            _ = try ingest(
                "station,date,temp\na,2012/01/01,1.5\na,2012/01/02,2.0\n", named: "d1.csv", into: workspace, dir: dir)
            let two = try ingest(
                "station,date,temp\na,2012/01/02,2.5\n", named: "d1-fixed.csv", into: workspace, dir: dir)
            #expect(two.rowsReplaced == 1, "\(two.message)")
            #expect(
                try rows("SELECT station, date, temp FROM weather ORDER BY date", in: workspace) == [
                    [.text("a"), .text("2012-01-01"), .real(1.5)], [.text("a"), .text("2012-01-02"), .real(2.5)],
                ])
            let findings = try workspace.verify()
            #expect(!findings.isEmpty && findings.filter { !$0.ok }.isEmpty, "\(findings)")
        }
    }

    @Test func aCorrectedRedeliveryReplacesTheRowsWithItsKeys() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            let one = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let two = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            // 2 rows read, both loaded, 1 of them took the place of (a, 02).
            #expect(
                (two.status, two.rowsRead, two.rowsLoaded, two.rowsReplaced, two.rowsIgnored) == (.loaded, 2, 2, 1, 0))
            #expect(two.balances)
            #expect(two.message.contains("1 replaced rows"))
            let id1 = try #require(one.ledgerID), id2 = try #require(two.ledgerID)
            #expect(
                try rows(everything, in: workspace) == [
                    [.text("a"), .text("2012-01-01"), .real(1.5), .integer(id1)],
                    [.text("a"), .text("2012-01-02"), .real(2.5), .integer(id2)],
                    [.text("b"), .text("2012-01-01"), .real(3.0), .integer(id1)],
                    [.text("c"), .text("2012-01-01"), .real(4.0), .integer(id2)],
                ])
            #expect(
                try rows("SELECT rows_replaced, rows_ignored FROM sluice_ingests ORDER BY id", in: workspace)
                    == [[.integer(0), .integer(0)], [.integer(1), .integer(0)]])
            #expect(
                try rows("SELECT ingest_id, replaced_by, key FROM sluice_replaced_rows", in: workspace)
                    == [[.integer(id1), .integer(id2), .text(#"["a","2012-01-02"]"#)]])
            let json = try JSONSerialization.jsonObject(with: Data(ResultFormatter.json(two).utf8)) as? [String: Any]
            #expect(json?["rows_replaced"] as? Int == 1 && json?["rows_ignored"] as? Int == 0)
            #expect(json?["rows_balance"] as? Bool == true)

            // verify: day1's .scol still holds 3 rows, the warehouse 2 of them; both agree.
            let findings = try workspace.verify()
            #expect(findings.count == 2 && findings.allSatisfy(\.ok), "\(findings)")
            // A tampered value of a row day1 still holds is caught, and named.
            let writer = try Warehouse(path: workspace.layout.warehouse.path)
            try writer.connection.execute("UPDATE weather SET temp = 9.5 WHERE station = 'b'")
            let tampered = try workspace.verify()
            #expect(tampered.first { $0.ledgerID == id1 }?.ok == false)
            #expect(
                tampered.first { $0.ledgerID == id1 }?.problem?.contains("warehouse 9.5, .scol 3.0") == true,
                "\(tampered)")
            #expect(tampered.first { $0.ledgerID == id2 }?.ok == true)
        }
    }

    @Test func theSameKeyTwiceInOneFileFollowsThePolicy() throws {
        // (a, 01) on lines 2 and 3 with different values; (b, 01) once.
        let repeated = "station,date,temp\na,2012-01-01,1.0\na,2012-01-01,2.0\nb,2012-01-01,3.0\n"
        for (policy, temp) in [("replace", 2.0), ("ignore", 1.0)] {
            try withTemporaryDirectory { dir in
                let workspace = try workspace(in: dir, policy: "on_conflict: \(policy)\n")
                let record = try ingest(repeated, named: "twice.csv", into: workspace, dir: dir)
                #expect((record.rowsRead, record.rowsLoaded, record.rowsDroppedDuplicate) == (3, 2, 1), "\(policy)")
                #expect(record.balances)
                #expect(
                    try rows("SELECT temp FROM weather WHERE station = 'a'", in: workspace) == [[.real(temp)]],
                    "\(policy)")
                #expect(try workspace.verify().allSatisfy(\.ok))
            }
        }
        try withTemporaryDirectory { dir in
            let workspace = try workspace(
                in: dir, policy: "on_conflict: reject\non_error: reject_rows\nmax_error_rate: 0.7\n")
            let record = try ingest(repeated, named: "twice.csv", into: workspace, dir: dir)
            // Both rows of (a, 01) are refused: which one is right is not known.
            #expect((record.status, record.rowsLoaded, record.rowsRejected) == (.loaded, 1, 2))
            let rejected = try String(contentsOfFile: try #require(record.rejectedRowsFile), encoding: .utf8)
            #expect(rejected == "_source_line,station,date,temp\n2,a,2012-01-01,1.0\n3,a,2012-01-01,2.0\n")
            let report = try JSONDecoder().decode(
                ErrorReport.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(record.errorsReport))))
            #expect(report.countsByCode[.duplicateKey] == 2)
            #expect(report.errors.map(\.line) == [2, 3])
            #expect(report.errors.first?.message.contains("a, date=2012-01-01) is repeated later in the file") == true)
        }
    }

    @Test func ignoreKeepsTheRowsLoadedFirst() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, policy: "on_conflict: ignore\n")
            _ = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let two = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            // (a, 02) was loaded before: ignored; (c, 01) loads.
            #expect((two.rowsRead, two.rowsLoaded, two.rowsIgnored, two.rowsReplaced) == (2, 1, 1, 0))
            #expect(two.balances)
            #expect(
                try rows("SELECT temp FROM weather WHERE station = 'a' AND date = '2012-01-02'", in: workspace) == [
                    [.real(2.0)]
                ])
            #expect(try rows("SELECT count(*) FROM weather", in: workspace) == [[.integer(4)]])
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func rejectRefusesTheConflictingRowsOrTheFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, policy: "on_conflict: reject\n")
            _ = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let two = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            #expect((two.status, two.reason, two.rowsLoaded, two.rowsRejected) == (.rejected, .duplicateKey, 0, 2))
            #expect(
                two.message.contains(
                    "primary key loaded before, first at line 2: (station=a, date=2012-01-02) by day1.csv"))
            #expect(two.hint?.contains("on_conflict: replace") == true)
            #expect(try rows("SELECT count(*) FROM weather", in: workspace) == [[.integer(3)]])
        }
        try withTemporaryDirectory { dir in
            let workspace = try workspace(
                in: dir, policy: "on_conflict: reject\non_error: reject_rows\nmax_error_rate: 0.5\n")
            _ = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let two = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            #expect((two.status, two.rowsRead, two.rowsLoaded, two.rowsRejected) == (.loaded, 2, 1, 1))
            #expect(two.balances)
            let rejected = try String(contentsOfFile: try #require(two.rejectedRowsFile), encoding: .utf8)
            #expect(rejected == "_source_line,station,date,temp\n2,a,2012-01-02,2.5\n")
            #expect(try rows("SELECT count(*) FROM weather", in: workspace) == [[.integer(4)]])
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func forgetRemovesOnlyTheRowsADeliveryStillHolds() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            let one = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            _ = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            // Forgetting the earlier delivery: 2 of its 3 rows are still its own.
            let forgotten = try Ingestor(workspace: workspace, logger: quietLogger).forget(
                String(try #require(one.ledgerID)))
            #expect(forgotten.rowsDeleted == 2)
            #expect(
                try rows("SELECT station, date FROM weather ORDER BY station", in: workspace)
                    == [[.text("a"), .text("2012-01-02")], [.text("c"), .text("2012-01-01")]])
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            _ = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let two = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            // Forgetting the later one removes its 2 rows; the value it replaced does not come back.
            let forgotten = try Ingestor(workspace: workspace, logger: quietLogger).forget(
                String(try #require(two.ledgerID)))
            #expect(forgotten.rowsDeleted == 2)
            #expect(
                try rows("SELECT station, date FROM weather ORDER BY station, date", in: workspace)
                    == [[.text("a"), .text("2012-01-01")], [.text("b"), .text("2012-01-01")]])
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func theLakeHoldsOneRowPerKeyAfterAReplace() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            _ = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            let lake = dir.appendingPathComponent("lake")
            let before = try LakeExporter(workspace: workspace, directory: lake, logger: quietLogger).export()
            #expect(before.totals.rowsInLake == 3)
            _ = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            let after = try LakeExporter(workspace: workspace, directory: lake, logger: quietLogger).export()
            // day1's file is rewritten with its 2 remaining rows; the fix adds 2: 4 keys, 4 rows.
            #expect(after.totals.filesRewritten == 1)
            #expect(after.totals.rowsInLake == 4)
            let again = try LakeExporter(workspace: workspace, directory: lake, logger: quietLogger).export()
            #expect(again.totals.filesWritten + again.totals.filesRewritten + again.totals.filesRemoved == 0)
        }
    }

    @Test func theTableGetsAUniqueIndexOrAClearErrorWhenItsRowsRepeatAKey() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir, key: "")
            // Unkeyed: (a, 01) twice, with different values, both load.
            _ = try ingest(
                "station,date,temp\na,2012-01-01,1.0\na,2012-01-01,2.0\n", named: "twice.csv", into: workspace, dir: dir
            )
            let schemaFile = workspace.layout.root.appendingPathComponent("weather.yaml")
            let schema = try String(contentsOf: schemaFile, encoding: .utf8)
            try write(
                schema.replacingOccurrences(
                    of: "lowercase_text: false\n", with: "lowercase_text: false\nprimary_key: [station, date]\n"),
                to: schemaFile)
            let keyed = try Workspace.open(at: workspace.layout.root)
            #expect(keyed.schema.primaryKey != nil)
            let error = #expect(throws: PipelineError.self) { try Ingestor(workspace: keyed, logger: quietLogger) }
            #expect(error?.code == .configuration)
            #expect(
                error?.message.contains("repeat the primary key (station, date): station=a, date=2012-01-01 (2 rows)")
                    == true, "\(String(describing: error))")
        }
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            #expect(
                try rows("SELECT name FROM pragma_index_info('weather__primary_key') ORDER BY seqno", in: workspace)
                    == [[.text("station")], [.text("date")]])
            #expect(
                try rows(
                    "SELECT \"unique\" FROM pragma_index_list('weather') WHERE name = 'weather__primary_key'",
                    in: workspace)
                    == [[.integer(1)]])
        }
    }

    @Test func aVersion2LedgerIsMigratedKeepingItsDigests() throws {
        try withTemporaryDirectory { dir in
            let workspace = try workspace(in: dir)
            let one = try ingest(first, named: "day1.csv", into: workspace, dir: dir)
            // Make it a version 2 ledger, as the previous release wrote it.
            let writer = try Warehouse(path: workspace.layout.warehouse.path)
            try writer.connection.execute(
                """
                ALTER TABLE sluice_ingests DROP COLUMN rows_replaced; ALTER TABLE sluice_ingests DROP COLUMN rows_ignored;
                DROP TABLE sluice_replaced_rows; PRAGMA user_version = 2
                """)
            // Read before any ingest migrates it (status, the dashboard): the key counts read as 0.
            let old = try #require(try Ledger.openReadOnly(workspace))
            #expect(try old.recent(limit: 5).map { [$0.rowsLoaded, $0.rowsReplaced, $0.rowsIgnored] } == [[3, 0, 0]])
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            #expect(try rows("PRAGMA user_version", in: workspace) == [[.integer(4)]])
            #expect(
                try rows("SELECT content_digest, rows_replaced, rows_ignored FROM sluice_ingests", in: workspace)
                    == [[.text(try #require(one.contentDigest)), .integer(0), .integer(0)]])
            _ = try ingest(corrected, named: "day1-fixed.csv", into: workspace, dir: dir)
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }
}
