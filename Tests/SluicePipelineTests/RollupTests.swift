import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// The `-- rollup:` header, and the rollup tables' life: built on open, kept at load, taken
/// back by forget, checked by verify, rebuilt on demand.
struct RollupTests {
    static let studentColumns = try! Workspace.create(
        at: FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-rollup-columns-\(UUID().uuidString)/ws"),
        schemaFile: studentSchema, queries: nil
    ).warehouseTable.columns

    func parse(_ text: String, report: String = "q9_x") throws(RollupDefinitionError) -> RollupDefinition {
        try RollupDefinition.parse(text, report: report, columns: Self.studentColumns)
    }

    @Test func theBundledReportsDeclareTheirRollups() throws {
        let reports = try ReportCatalog(directory: bundledQueries).reports
        let declared = RollupDefinition.declared(
            by: reports, table: WarehouseTable(name: "student_data", columns: Self.studentColumns))
        #expect(declared.problems.isEmpty)
        #expect(
            declared.rollups.map(\.canonicalText) == [
                "count by mjob where \"sex\" = 'm' and \"age\" < 20",
                "count by traveltime where \"address\" = 'r'",
                "count by pstatus, fjob",
                "count by famsize, failures",
                "count by famrel, sex, absences where \"famrel\" IN (1, 2, 3)",
            ])
        #expect(declared.rollups[0].tableName == "sluice_rollup_q1_mother_jobs_of_young_male_students")
        // Each report's SQL reads its own rollup table.
        for (report, rollup) in zip(reports, declared.rollups) {
            #expect(report.sql.contains("FROM " + rollup.tableName))
        }
    }

    @Test func theSyntaxAcceptsSumsFiltersAndAnyCase() throws {
        let rollup = try parse(
            "COUNT, Sum(Absences), sum(g3) BY School, \"sex\" WHERE age >= 17 AND reason != 'home' and g1 in (10, 11) and age <> 2.5"
        )
        #expect(rollup.keys == ["school", "sex"])
        #expect(rollup.sums == ["absences", "g3"])
        #expect(rollup.filters.map(\.op) == [.greaterOrEqual, .notEqual, .isIn, .notEqual])
        #expect(rollup.filters[3].values == [.real(2.5)])
        #expect(rollup.aggregateColumns == ["count", "sum_absences", "count_absences", "sum_g3", "count_g3"])
        #expect(try parse("count by reason where reason = 'it''s'").filters[0].values == [.text("it's")])
    }

    @Test(arguments: [
        ("", "it must start with count"),
        ("sum(age) by sex", "it must start with count"),
        ("count", "missing 'by'"),
        ("count by", "a column name must follow"),
        ("count by shoe_size", "no column 'shoe_size'"),
        ("count by _ingest_id", "no column '_ingest_id'"),
        ("count by sex, sex", "named twice"),
        ("count, sum(sex) by age", "only integer columns are summed"),
        ("count by sex where age = 'old'", "compare it with a number"),
        ("count by sex where sex = 1", "compare it with a 'quoted' text"),
        ("count by sex where sex = 'm", "not closed"),
        ("count by sex where sex like 'm'", "a comparison"),
        ("count by sex where sex in 'm'", "'in' needs a list"),
        ("count by sex where age < 1.2.3", "not a number"),
        ("count by sex or age", "unexpected 'or'"),
        ("count by sex; drop table x", "unexpected character ';'"),
    ])
    func badHeadersSayWhatIsWrong(text: String, message: String) {
        let error = #expect(throws: RollupDefinitionError.self) { try parse(text) }
        #expect(error?.message.contains(message) == true, "\(text): \(error?.message ?? "no error")")
    }

    @Test func aReportNameThatCannotNameATableIsRefused() {
        let error = #expect(throws: RollupDefinitionError.self) { try parse("count by sex", report: "q9 my report") }
        #expect(error?.message.contains("letters, digits and _") == true)
    }

    /// `NULL` keys group together, `NULL` values meet no condition, sums are `NULL` for a
    /// group without values: as SQL. Expected rows: the same `GROUP BY` run by SQLite.
    @Test func nullsAndSumsBehaveAsInSQL() throws {
        try withTemporaryDirectory { dir in
            let schema = try write(
                """
                table: t
                columns:
                  grp: {type: text, required: false}
                  n: {type: integer, required: false}
                  v: {type: integer, required: false}
                  x: {type: real, required: false}
                """, to: dir.appendingPathComponent("t.yaml"))
            let queries = dir.appendingPathComponent("queries")
            try FileManager.default.createDirectory(at: queries, withIntermediateDirectories: true)
            try write(
                "-- rollup: count, sum(v) by grp, n where x >= 1.5\nSELECT * FROM sluice_rollup_r1;\n",
                to: queries.appendingPathComponent("r1.sql"))
            try write(
                "-- rollup: count, sum(v) by n where grp != 'b'\nSELECT * FROM sluice_rollup_r2;\n",
                to: queries.appendingPathComponent("r2.sql"))
            let workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: schema, queries: queries)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let first = try write(
                "grp,n,v,x\na,1,5,2\na,1,,2\n,1,3,1.5\n,,,\nb,2,7,1\nb,2,-4,3\nA,70000,1,9\n",
                to: dir.appendingPathComponent("one.csv"))
            let second = try write(
                "grp,n,v,x\na,1,1,2\nb,-3,,2.5\nb,2,,1.5\n", to: dir.appendingPathComponent("two.csv"))
            #expect(try ingestor.ingest(fileAt: first, origin: .external).rowsLoaded == 7)
            #expect(try ingestor.ingest(fileAt: second, origin: .external).rowsLoaded == 3)
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            func expectSame(_ context: String) throws {
                for (table, grouping) in [
                    (
                        "sluice_rollup_r1",
                        "SELECT grp, n, COUNT(*), SUM(v), COUNT(v) FROM t WHERE x >= 1.5 GROUP BY grp, n"
                    ),
                    ("sluice_rollup_r2", "SELECT n, COUNT(*), SUM(v), COUNT(v) FROM t WHERE grp != 'b' GROUP BY n"),
                ] {
                    let kept = try warehouse.query("SELECT * FROM \(table) ORDER BY 1, 2, 3").rows
                    let scanned = try warehouse.query("SELECT * FROM (\(grouping)) ORDER BY 1, 2, 3").rows
                    #expect(kept == scanned, "\(table) \(context)")
                    #expect(!kept.isEmpty)
                }
            }
            try expectSame("after two loads")
            // A NULL-key group that lost its values but not its rows keeps a NULL sum.
            #expect(
                try warehouse.query("SELECT sum_v, count_v FROM sluice_rollup_r1 WHERE grp = 'b' AND n = 2").rows == [
                    [.integer(-4), .integer(1)]
                ])
            _ = try ingestor.forget("one.csv")
            try expectSame("after forgetting the first")
            #expect(
                try warehouse.query("SELECT count(*) FROM sluice_rollup_r1 WHERE grp IS NULL").rows == [[.integer(0)]])
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func verifyFindsATamperedRollupAndRebuildMendsIt() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: studentCSV, origin: .external)
            #expect(try workspace.verify().allSatisfy(\.ok))
            let writer = try Warehouse(path: workspace.layout.warehouse.path)
            try writer.connection.execute(
                "UPDATE sluice_rollup_q3_top_father_jobs_by_cohabitation SET count = count + 1 WHERE fjob = 'health' AND pstatus = 't'"
            )
            try writer.connection.execute(
                "DELETE FROM sluice_rollup_q2_most_common_rural_travel_time WHERE traveltime = 4")
            let findings = try workspace.verify().filter { !$0.ok }
            #expect(
                findings.map { $0.file.split(separator: " ")[1] } == [
                    "sluice_rollup_q2_most_common_rural_travel_time",
                    "sluice_rollup_q3_top_father_jobs_by_cohabitation",
                ])
            #expect(findings[0].problem?.contains("the table's rows give (4,") == true, "\(findings[0].problem ?? "")")
            #expect(findings[1].problem?.contains("(t, health, ") == true, "\(findings[1].problem ?? "")")
            let rebuilt = try Ingestor(workspace: workspace, logger: quietLogger).rebuildRollups()
            #expect(rebuilt.count == 5)
            #expect(rebuilt.allSatisfy { $0.problem == nil && ($0.rows ?? 0) > 0 })
            #expect(try workspace.verify().allSatisfy(\.ok))
            try RollupEqualAnswersTests.expectEqualAnswers(workspace, "after a rebuild")
        }
    }

    /// A workspace loaded before its reports declared rollups (or before a report appeared)
    /// gets the rollup tables when a writer next opens it, filled from the table; a changed
    /// header rebuilds its table, a removed report drops it. A `watch` notices `queries/`
    /// changing between groups.
    @Test func rollupsAppearForAnExistingWorkspaceAndFollowTheirHeaders() throws {
        try withTemporaryDirectory { dir in
            let workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: studentSchema, queries: nil)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            _ = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            #expect(try workspace.rollups().isEmpty)
            for name in try FileManager.default.contentsOfDirectory(atPath: bundledQueries.path)
            where name.hasSuffix(".sql") {
                try FileManager.default.copyItem(
                    at: bundledQueries.appendingPathComponent(name),
                    to: workspace.layout.queries.appendingPathComponent(name))
            }
            #expect(try workspace.rollups().allSatisfy { $0.rows == nil && $0.problem != nil })
            // The open ingestor notices at its next commit, before the file's rows go in.
            let more = try RollupEqualAnswersTests.generate(1, rows: 200, seed: 5, into: dir)
            #expect(try ingestor.ingest(fileAt: more[0], origin: .external).status == .loaded)
            try RollupEqualAnswersTests.expectEqualAnswers(workspace, "after the reports appeared")

            let q2 = workspace.layout.queries.appendingPathComponent("q2_most_common_rural_travel_time.sql")
            let text = try String(contentsOf: q2, encoding: .utf8)
            try write(text.replacingOccurrences(of: "where address = 'r'", with: "where address = 'u'"), to: q2)
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            let urban = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
                .query("SELECT sum(count) FROM sluice_rollup_q2_most_common_rural_travel_time").rows
            let expected = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
                .query("SELECT count(*) FROM student_data WHERE address = 'u'").rows
            #expect(urban == expected)

            try FileManager.default.removeItem(at: q2)
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            let tables = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
                .query(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'sluice_rollup_q%' AND type = 'table' ORDER BY name"
                ).rows
            #expect(tables.count == 4)
            #expect(!tables.contains([.text("sluice_rollup_q2_most_common_rural_travel_time")]))
        }
    }

    @Test func aHeaderThatCannotBeKeptIsReportedAndLoadingGoesOn() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try write(
                "-- rollup: count by shoe_size\nSELECT 1;\n",
                to: workspace.layout.queries.appendingPathComponent("q9_shoes.sql"))
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            #expect(try ingestor.ingest(fileAt: studentCSV, origin: .external).status == .loaded)
            let listed = try workspace.rollups()
            #expect(listed.count == 6)
            let bad = try #require(listed.first { $0.report == "q9_shoes" })
            #expect(bad.problem?.contains("no column 'shoe_size'") == true)
            #expect(listed.filter { $0.report != "q9_shoes" }.allSatisfy { $0.problem == nil && ($0.rows ?? 0) > 0 })
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }
}
