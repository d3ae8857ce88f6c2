import Foundation
import SluiceTestSupport
import Testing

/// `sluice report` and `sluice query` as a user meets them: reports that fail alone, exports
/// never cut, SQL from stdin, names matched without surprises.
@Suite struct ReportAndQueryCLITests {
    @Test func aBrokenReportIsNamedWithItsLineAndTheOthersStillPrint() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            try
                "-- title: Medians by sex\nSELECT sex, median(g3) AS median_g3 FROM student_data GROUP BY sex ORDER BY sex;\n"
                .write(to: dir.appendingPathComponent("ws/queries/q6_medians.sql"), atomically: true, encoding: .utf8)
            try "-- title: Broken\nSELECT *\nFROM weather\nWHERE 1;\n"
                .write(to: dir.appendingPathComponent("ws/queries/q7_broken.sql"), atomically: true, encoding: .utf8)
            let table = try sluice(["report", "-w", "ws"], in: dir)
            #expect(table.status == 3)
            #expect(table.stdout.contains("Medians by sex"), "the user's report ran: \(table.stdout)")
            #expect(table.stdout.contains("Median absences by sex"), "the bundled ones ran")
            #expect(table.stderr.contains("queries/q7_broken.sql"), "\(table.stderr)")
            #expect(table.stderr.contains("no such table: weather"), "\(table.stderr)")
            #expect(table.stderr.contains("tables: student_data"), "lists the tables that exist: \(table.stderr)")

            let json = try sluice(["report", "-w", "ws", "--format", "json"], in: dir)
            #expect(json.status == 3)
            let reports = try #require(try json.json()["reports"] as? [[String: Any]])
            #expect(reports.count == 7)
            let broken = try #require(reports.first { $0["name"] as? String == "q7_broken" })
            #expect((broken["error"] as? [String: Any])?["code"] as? String == "no-such-table")
            let medians = try #require(reports.first { $0["name"] as? String == "q6_medians" }?["rows"] as? [[Any]])
            // Medians of G3 by sex in data/student-mat.csv, from Python: statistics.median over the
            // rows split by sex gives F 10.0, M 11.0.
            #expect(medians.map { "\($0[0]) \($0[1])" } == ["f 10", "m 11"])
        }
    }

    @Test func namesAreExactOrAUniquePrefixAndANameThatMatchesNothingIsAUsageError() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            try "SELECT 10 AS ten;\n".write(
                to: dir.appendingPathComponent("ws/queries/q10_ten.sql"), atomically: true, encoding: .utf8)
            let q1 = try sluice(["report", "-w", "ws", "q1", "--format", "json"], in: dir)
            #expect(q1.status == 0, "\(q1.stderr)")
            let names = try #require(try q1.json()["reports"] as? [[String: Any]]).map { $0["name"] as? String }
            #expect(names == ["q1_mother_jobs_of_young_male_students"], "q1 never picks q10_…")
            let nope = try sluice(["report", "-w", "ws", "nope"], in: dir)
            #expect(nope.status == 2)
            #expect(nope.stderr.contains("no report named 'nope'"))
            let ambiguous = try sluice(["report", "-w", "ws", "q"], in: dir)
            #expect(ambiguous.status == 2)
            #expect(ambiguous.stderr.contains("matches 6 reports"))
        }
    }

    @Test func queryWritesEveryRowAndSaysWhenItCuts() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 25000) SELECT x FROM c"
            let csv = try sluice(["query", "-w", "ws", "--format", "csv", sql], in: dir)
            #expect(csv.status == 0)
            #expect(csv.stdout.split(separator: "\n").count == 25_001)
            #expect(csv.stdout.hasSuffix("\n25000\n"))
            #expect(csv.stderr.isEmpty)
            let json = try sluice(["query", "-w", "ws", "--format", "json", sql], in: dir)
            let object = try json.json()
            #expect((object["rows"] as? [[Any]])?.count == 25_000)
            #expect(object["truncated"] as? Bool == false)
            let capped = try sluice(["query", "-w", "ws", "--format", "json", "--max-rows", "7", sql], in: dir)
            #expect((try capped.json()["rows"] as? [[Any]])?.count == 7)
            #expect(try capped.json()["truncated"] as? Bool == true)
            #expect(capped.stderr.contains("stopped after 7 rows"))
            let table = try sluice(["query", "-w", "ws", sql], in: dir)
            // Counts in the table view's note are written as its numbers are (ReadableNumber).
            #expect(table.stdout.contains("(showing 1,000 of 25,000 rows; --format csv or json writes every row)"))
            #expect(table.stdout.contains("\n1,000\n"), "the 1,000th row, grouped")
        }
    }

    /// The terminal table writes numbers as the HTML report and the dashboard do; CSV keeps the
    /// shell-style text. Expected table from Python: each value by f"{x:,.2f}" without trailing
    /// zeros, each column as wide as its longest cell, numbers right-aligned; CSV's 1/3 is
    /// Python's repr(1/3), the shortest round-trip text Swift prints too.
    @Test func theTableViewWritesNumbersForPeopleAndCSVKeepsThemExact() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let sql = "SELECT 'f' AS sex, 10.0 AS ten, 1226 AS n, 1232.84 AS r, -0.5 AS neg, 1.0 / 3 AS third"
            let table = try sluice(["query", "-w", "ws", sql], in: dir)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(
                table.stdout == """
                    sex  ten  n      r         neg   third
                    ---  ---  -----  --------  ----  -----
                    f     10  1,226  1,232.84  -0.5   0.33
                    """ + "\n")
            let csv = try sluice(["query", "-w", "ws", "--format", "csv", sql], in: dir)
            #expect(csv.stdout == "sex,ten,n,r,neg,third\nf,10.0,1226,1232.84,-0.5,0.3333333333333333\n")
        }
    }

    @Test func queryReadsItsSQLFromStdinAndStopsAtItsTimeLimit() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            let input = dir.appendingPathComponent("query.sql")
            try "SELECT COUNT(*) AS n\nFROM student_data\n".write(to: input, atomically: true, encoding: .utf8)
            let counted = try run(sluiceBinary, ["query", "-w", "ws", "--format", "csv", "-"], in: dir, stdin: input)
            #expect(counted.stdout == "n\n395\n", "\(counted.stderr)")
            let runaway = try sluice(
                [
                    "query", "-w", "ws", "--time-limit", "0.3",
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
                ],
                in: dir)
            #expect(runaway.status == 1)
            #expect(runaway.stderr.contains("was stopped"), "\(runaway.stderr)")
        }
    }
}
