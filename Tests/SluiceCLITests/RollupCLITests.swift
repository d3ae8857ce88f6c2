import Foundation
import SluiceTestSupport
import Testing

/// `sluice rollup`, and the rollup reports' answers after `sluice ingest` is killed mid-run.
struct RollupCLITests {
    /// The bundled reports' full-scan SQL, kept beside the rollup reports.
    static let fullScanReports = repositoryRoot.appendingPathComponent("queries/full")

    /// Each report through `sluice report` (it reads its rollup) against its full-scan SQL
    /// through `sluice query` (a `GROUP BY` over every row), as CSV.
    static func expectEqualAnswers(in dir: URL, _ context: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: fullScanReports.path).filter {
            $0.hasSuffix(".sql")
        }.sorted()
        #expect(names.count == 5)
        for name in names {
            let report = String(name.dropLast(4))
            let fromRollup = try sluice(["report", "-w", "ws", report, "--format", "csv"], in: dir)
            let fullSQL = try String(contentsOf: fullScanReports.appendingPathComponent(name), encoding: .utf8)
            let fromScan = try sluice(["query", "-w", "ws", "--format", "csv", "--", fullSQL], in: dir)
            #expect(
                fromRollup.status == 0 && fromScan.status == 0,
                "\(report) \(context): \(fromRollup.stderr) \(fromScan.stderr)")
            #expect(fromRollup.stdout == fromScan.stdout, "\(report) \(context)")
            #expect(fromScan.stdout.split(separator: "\n").count > 1, "\(report) \(context): no rows")
        }
    }

    @Test func rollupListsRebuildsAndVerifyChecks() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            let listed = try sluice(["rollup", "-w", "ws", "--json"], in: dir)
            #expect(listed.status == 0, "\(listed.stderr)")
            let rollups = try #require(try listed.json()["rollups"] as? [[String: Any]])
            #expect(
                rollups.map { $0["table"] as? String } == [
                    "sluice_rollup_q1_mother_jobs_of_young_male_students",
                    "sluice_rollup_q2_most_common_rural_travel_time",
                    "sluice_rollup_q3_top_father_jobs_by_cohabitation",
                    "sluice_rollup_q4_most_common_failures_by_family_size",
                    "sluice_rollup_q5_median_absences_by_sex_and_family_relationship",
                ])
            // Rows expected: the groups of each rollup, counted by SQLite over the table.
            let groups = try sluice(
                [
                    "query", "-w", "ws", "--format", "csv",
                    """
                    SELECT (SELECT count(DISTINCT mjob) FROM student_data WHERE sex = 'm' AND age < 20),
                           (SELECT count(DISTINCT traveltime) FROM student_data WHERE address = 'r'),
                           (SELECT count(*) FROM (SELECT 1 FROM student_data GROUP BY pstatus, fjob)),
                           (SELECT count(*) FROM (SELECT 1 FROM student_data GROUP BY famsize, failures)),
                           (SELECT count(*) FROM (SELECT 1 FROM student_data WHERE famrel IN (1, 2, 3) GROUP BY famrel, sex, absences))
                    """,
                ], in: dir
            ).stdout.split(separator: "\n").last.map { $0.split(separator: ",").compactMap { Int($0) } }
            #expect(rollups.map { $0["rows"] as? Int ?? -1 } == groups)
            let text = try sluice(["rollup", "-w", "ws"], in: dir)
            #expect(text.stdout.contains("sluice_rollup_q3_top_father_jobs_by_cohabitation: count by pstatus, fjob — "))

            // Tamper with a rollup behind Sluice's back: verify says which and how to mend it.
            let shell = try #require(which("sqlite3"))
            let tamper = try run(
                shell,
                [
                    "ws/warehouse.sqlite",
                    "UPDATE sluice_rollup_q4_most_common_failures_by_family_size SET count = count * 2",
                ], in: dir)
            #expect(tamper.status == 0, "\(tamper.stderr)")
            let verify = try sluice(["verify", "-w", "ws"], in: dir)
            #expect(verify.status != 0)
            #expect(verify.stdout.contains("sluice_rollup_q4_most_common_failures_by_family_size"), "\(verify.stdout)")
            #expect(verify.stdout.contains("sluice rollup --rebuild"), "\(verify.stdout)")

            let rebuilt = try sluice(["rollup", "-w", "ws", "--rebuild", "--json"], in: dir)
            #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
            let after = try #require(try rebuilt.json()["rollups"] as? [[String: Any]])
            #expect(after.map { $0["rows"] as? Int ?? -1 } == groups)
            #expect(after.allSatisfy { ($0["seconds"] as? Double ?? -1) >= 0 })
            #expect(try sluice(["verify", "-w", "ws"], in: dir).status == 0)
            try Self.expectEqualAnswers(in: dir, "after a rebuild")

            // A header that cannot be kept: listed with why, exit code 2.
            try Data("-- rollup: count by shoe_size\nSELECT 1;\n".utf8).write(
                to: dir.appendingPathComponent("ws/queries/q9_shoes.sql"))
            let bad = try sluice(["rollup", "-w", "ws"], in: dir)
            #expect(bad.status == 2)
            #expect(bad.stdout.contains("q9_shoes: cannot be kept: no column 'shoe_size'"), "\(bad.stdout)")
        }
    }

    /// `sluice ingest` of 300 generated files is killed with SIGKILL at three moments, then
    /// run to the end: every report answers as its full scan, and verify is clean.
    @Test(arguments: [UInt64(1), 2])
    func equalAnswersAfterIngestIsKilledMidRun(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            #expect(
                try sluice(
                    ["generate", "staging", "--files", "300", "--rows", "120", "--seed", "\(seed * 1_000)"], in: dir
                ).status == 0)
            let staging = dir.appendingPathComponent("staging")
            for name in try FileManager.default.contentsOfDirectory(atPath: staging.path) {
                try FileManager.default.moveItem(
                    at: staging.appendingPathComponent(name), to: dir.appendingPathComponent("ws/inbox/\(name)"))
            }
            var random = SeededRandom(state: seed)
            var killedMidRun = 0
            for _ in 0..<3 {
                let ingest = Process()
                ingest.executableURL = sluiceBinary
                ingest.arguments = ["ingest", "-w", "ws"]
                ingest.currentDirectoryURL = dir
                ingest.standardOutput = FileHandle.nullDevice
                ingest.standardError = FileHandle.nullDevice
                try ingest.run()
                usleep(UInt32.random(in: 150_000...700_000, using: &random))
                kill(ingest.processIdentifier, SIGKILL)
                ingest.waitUntilExit()
                let waiting =
                    try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ws/inbox").path)
                    .count
                    + FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ws/.work").path).count
                if ingest.terminationReason == .uncaughtSignal, waiting > 0 { killedMidRun += 1 }
            }
            #expect(killedMidRun > 0, "no kill landed mid-run; the test proves nothing")
            let finish = try sluice(["ingest", "-w", "ws"], in: dir)
            #expect(finish.status == 0, "\(finish.stderr)")
            let loaded = try sluice(
                ["query", "-w", "ws", "--format", "csv", "SELECT count(*) FROM student_data"], in: dir)
            #expect(loaded.stdout.hasSuffix("\n36000\n"), "every generated row loaded once: \(loaded.stdout)")
            try Self.expectEqualAnswers(in: dir, "after \(killedMidRun) kills mid-run (seed \(seed))")
            let verify = try sluice(["verify", "-w", "ws"], in: dir)
            #expect(verify.status == 0, "\(verify.stdout)")
        }
    }
}
