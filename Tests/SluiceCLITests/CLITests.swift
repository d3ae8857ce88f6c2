import Foundation
import SluiceTestSupport
import Testing

/// Runs the built `sluice` binary the way a user or a script would.
struct CLITests {
    @Test func helpListsEverySubcommand() throws {
        let output = try sluice(["--help"], in: repositoryRoot)
        #expect(output.status == 0)
        for command in ["init", "ingest", "report", "query", "demo"] {
            #expect(output.stdout.contains("  \(command) "), "missing \(command)")
        }
        #expect(output.stdout.contains("SLUICE_WORKSPACE"))
    }

    @Test func ingestJSONHasTheDocumentedShapeAndExitCodes() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            let good = dir.appendingPathComponent("good.csv")
            try Data(try studentSample(lines: 10).utf8).write(to: good)
            let bad = dir.appendingPathComponent("bad.csv")
            try Data(
                try studentSample(lines: 3).replacingOccurrences(of: #""GP";"F";18;"#, with: #""XX";"F";18;"#).utf8
            ).write(to: bad)

            let loaded = try sluice(["ingest", "--workspace", "ws", "--json", "good.csv"], in: dir)
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let json = try loaded.json()
            let files = try #require(json["files"] as? [[String: Any]])
            #expect(files.count == 1)
            let file = files[0]
            #expect(file["source"] as? String == "good.csv")
            #expect(file["status"] as? String == "loaded")
            #expect(file["rows_read"] as? Int == 10)
            #expect(file["rows_loaded"] as? Int == 10)
            #expect(file["rows_dropped"] as? Int == 0)
            #expect(file.keys.contains("errors_report"))
            let totals = try #require(json["totals"] as? [String: Int])
            #expect(totals["loaded"] == 1)
            #expect(totals["rows_loaded"] == 10)

            let rejected = try sluice(["ingest", "-w", "ws", "--json", "bad.csv", "good.csv"], in: dir)
            #expect(rejected.status == 3)
            let statuses = (try rejected.json()["files"] as? [[String: Any]])?.map { $0["status"] as? String }
            #expect(statuses == ["rejected", "duplicate"])
            let reportPath = try #require(
                (try rejected.json()["files"] as? [[String: Any]])?.first?["errors_report"] as? String)
            #expect(reportPath.hasSuffix("ws/failed/bad.csv.errors.json"))
            #expect(FileManager.default.fileExists(atPath: reportPath))
            #expect(FileManager.default.fileExists(atPath: bad.path), "a file given by path is never moved")
        }
    }

    @Test func usageAndConfigurationErrorsExitWithTwo() throws {
        try withTemporaryDirectory { dir in
            let notWorkspace = try sluice(["ingest"], in: dir)
            #expect(notWorkspace.status == 2)
            #expect(notWorkspace.stderr.contains("is not a Sluice workspace"))
            #expect(notWorkspace.stderr.contains("sluice init"), "the CLI adds its own words")
            let badFlag = try sluice(["ingest", "--bogus"], in: dir)
            #expect(badFlag.status == 2)
            #expect(badFlag.stderr.contains("Unknown option '--bogus'"))
            _ = try sluice(["init", "ws"], in: dir)
            let missing = try sluice(["ingest", "no-such.csv"], in: dir, environment: ["SLUICE_WORKSPACE": "ws"])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("no-such.csv: no such file"))
            let noWarehouse = try sluice(["report", "-w", "ws"], in: dir)
            #expect(noWarehouse.status == 2)
            #expect(noWarehouse.stderr.contains("sluice ingest"))
        }
    }

    /// A schema mistake is one line, as a compiler prints it (editors jump to it), said once.
    @Test func aSchemaMistakeIsOneCompilerStyleLine() throws {
        try withTemporaryDirectory { dir in
            let schema = dir.appendingPathComponent("bad.yaml")
            try "table: t\ncolumns:\n  a: {type: integer, min: 5, max: 1}\n".write(
                to: schema, atomically: true, encoding: .utf8)
            let result = try sluice(["init", "ws", "--schema", schema.path], in: dir)
            #expect(result.status == 2)
            #expect(
                result.stderr == "\(schema.path):3:35: error: min 5 is greater than max 1 for column 'a'\n",
                "\(result.stderr)")
        }
    }

    @Test func inboxIngestMovesFilesAndReportPrintsJSON() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["init", "ws"], in: dir)
            let inbox = dir.appendingPathComponent("ws/inbox")
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent("data/student-mat.csv"),
                to: inbox.appendingPathComponent("delivery.csv"))
            let ingest = try sluice(["ingest"], in: dir.appendingPathComponent("ws"))
            #expect(ingest.status == 0)
            #expect(ingest.stdout.contains("loaded 395 of 395 rows"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).isEmpty)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("ws/archive/delivery.csv").path))

            let report = try sluice(["report", "q2", "-w", "ws", "--format", "json"], in: dir)
            #expect(report.status == 0)
            let reports = try #require(try report.json()["reports"] as? [[String: Any]])
            #expect(reports.count == 1)
            #expect(reports[0]["name"] as? String == "q2_most_common_rural_travel_time")
            #expect(reports[0]["columns"] as? [String] == ["traveltime", "count"])
            #expect((reports[0]["rows"] as? [[Int]]) == [[1, 35]])
        }
    }

    /// `sluice index` builds the five indexes the bundled reports declare (and ANALYZE), the
    /// reports answer the same with them, later loads keep them, and `--drop` removes them.
    @Test func indexBuildsAndDropsTheReportIndexes() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let before = try sluice(["report", "-w", "ws", "--format", "csv"], in: dir).stdout
            let built = try sluice(["index", "-w", "ws", "--json"], in: dir)
            #expect(built.status == 0, "\(built.stderr)")
            let indexes = try #require(try built.json()["built"] as? [[String: Any]])
            #expect(indexes.count == 5)
            #expect(indexes.allSatisfy { ($0["name"] as? String)?.hasPrefix("sluice_report_student_data_") == true })
            #expect(try sluice(["report", "-w", "ws", "--format", "csv"], in: dir).stdout == before)
            let plan = try sluice(
                [
                    "query", "-w", "ws", "--format", "csv",
                    "EXPLAIN QUERY PLAN SELECT MIN(mjob) FROM student_data WHERE sex = 'm' AND age < 20 AND mjob > 'a'",
                ], in: dir)
            #expect(
                plan.stdout.contains("COVERING INDEX sluice_report_student_data_sex_mjob_age (sex=? AND mjob>?)"),
                "\(plan.stdout)")
            let dropped = try sluice(["index", "-w", "ws", "--drop", "--json"], in: dir)
            #expect((try dropped.json()["dropped"] as? [String])?.count == 5)
            #expect(try sluice(["report", "-w", "ws", "--format", "csv"], in: dir).stdout == before)
        }
    }

    @Test func queryIsReadOnly() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let count = try sluice(
                ["query", "-w", "ws", "--format", "csv", "SELECT count(*) AS n FROM student_data"], in: dir)
            #expect(count.stdout == "n\n395\n")
            for write in [
                "DELETE FROM student_data", "DROP TABLE student_data", "INSERT INTO sluice_ingests DEFAULT VALUES",
            ] {
                let refused = try sluice(["query", "-w", "ws", write], in: dir)
                #expect(refused.status == 1, "\(write)")
                #expect(refused.stderr.contains("read-only"), "\(write): \(refused.stderr)")
            }
            #expect(
                try sluice(["query", "-w", "ws", "--format", "csv", "SELECT count(*) FROM student_data"], in: dir)
                    .stdout == "count(*)\n395\n")
        }
    }

    @Test func demoPrintsTheFiveReportsAndWhereThingsAre() throws {
        try withTemporaryDirectory { dir in
            let demo = try sluice(["demo"], in: dir)
            #expect(demo.status == 0, "\(demo.stderr)")
            #expect(demo.stdout.contains("loaded 395 of 395 rows"))
            for title in ["Mothers' jobs", "travel time", "fathers' jobs", "failures", "Median absences"] {
                #expect(demo.stdout.contains(title), "missing \(title)")
            }
            #expect(demo.stdout.contains("sluice-demo/warehouse.sqlite"))
            #expect(demo.stdout.contains("sluice.log"))
            let again = try sluice(["demo"], in: dir)
            #expect(again.status == 0)
            #expect(again.stdout.hasPrefix("duplicate:"))
        }
    }

    @Test func rejectedFilesAreSummarisedAndCanBeRetriedAfterAFix() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["init", "ws"], in: dir)
            let inbox = dir.appendingPathComponent("ws/inbox")
            let broken = try studentSample(lines: 3).replacingOccurrences(of: #""F";17;"#, with: #""F";71;"#)
            try Data(broken.utf8).write(to: inbox.appendingPathComponent("late.csv"))
            let first = try sluice(["ingest", "-w", "ws"], in: dir)
            #expect(first.status == 3)
            #expect(first.stdout.contains("constraint-error ×1"))
            #expect(first.stdout.contains("line 3, column age: value 71 is above the maximum 22"))
            #expect(first.stdout.contains("→ the schema allows 15–22"))
            #expect(first.stdout.contains("3 rows read = 0 loaded + 0 dropped + 3 rejected"))

            let listed = try sluice(["retry", "-w", "ws", "--list"], in: dir)
            #expect(listed.stdout == "late.csv\n")
            let failed = dir.appendingPathComponent("ws/failed/late.csv")
            try Data(broken.replacingOccurrences(of: #";71;"#, with: #";17;"#).utf8).write(to: failed)
            let retried = try sluice(["retry", "late.csv", "-w", "ws", "--ingest", "--json"], in: dir)
            #expect(retried.status == 0, "\(retried.stderr)")
            let lines = retried.stdout.split(separator: "\n")
            #expect(lines.count == 2)  // the retry object, then the ingest object
            let ingest = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
            let files = ingest?["files"] as? [[String: Any]]
            #expect(files?.first?["status"] as? String == "loaded")
            #expect(files?.first?["rows_loaded"] as? Int == 3)
            let kept = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ws/failed").path)
            #expect(kept.count == 1)
            #expect(kept[0].hasPrefix("late.csv.errors.") && kept[0].hasSuffix("Z.json"))
            #expect(try sluice(["retry", "nothing.csv", "-w", "ws"], in: dir).status == 2)
        }
    }

    /// Every saved report runs unchanged in the `sqlite3` shell and gives the rows Sluice gives.
    @Test(.enabled(if: which("sqlite3") != nil, "needs the sqlite3 shell"))
    func savedReportsGiveTheSameRowsInTheSQLiteShell() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let workspace = dir.appendingPathComponent("ws")
            let queries = try FileManager.default.contentsOfDirectory(
                atPath: workspace.appendingPathComponent("queries").path
            ).sorted()
            #expect(queries.count == 5)
            for file in queries {
                let shell = try run(
                    try #require(which("sqlite3")), ["-readonly", "-csv", "-header", "warehouse.sqlite"],
                    in: workspace, stdin: workspace.appendingPathComponent("queries/\(file)"))
                #expect(shell.status == 0, "\(file): \(shell.stderr)")
                let ours = try sluice(["report", String(file.dropLast(4)), "--format", "csv"], in: workspace)
                #expect(shell.stdout.replacingOccurrences(of: "\r\n", with: "\n") == ours.stdout, "\(file)")
            }
        }
    }
}
