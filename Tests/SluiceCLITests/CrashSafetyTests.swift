import Foundation
import SluiceTestSupport
import Testing

/// A small seeded generator, so every run kills at the same moments (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Kills a real `sluice watch` with SIGKILL at many moments while it ingests, restarts it, and
/// checks that nothing was lost or loaded twice.
struct CrashSafetyTests {
    /// `count` distinct deliveries of 5 rows each; every 10th one has a bad value (rejected).
    func makeDeliveries(_ count: Int, in folder: URL) throws -> (loaded: Int, rejected: Int) {
        let lines = try String(
            contentsOf: repositoryRoot.appendingPathComponent("data/student-mat.csv"), encoding: .utf8
        )
        .split(separator: "\n").map(String.init)
        var rejected = 0
        for index in 0..<count {
            var rows = Array(lines[1...4])
            // A fifth row made unique by its absences and final grade.
            rows.append(
                lines[5].replacingOccurrences(
                    of: #";4;"6";"10";10"#, with: #";\#(index % 90);"6";"10";\#(index / 90 % 20)"#))
            if index % 10 == 9 {
                rows[0] = rows[0].replacingOccurrences(of: #""GP""#, with: #""ZZ""#)
                rejected += 1
            }
            try Data(([lines[0]] + rows).joined(separator: "\n").utf8).write(
                to: folder.appendingPathComponent(String(format: "d%04d.csv", index)))
        }
        return (count - rejected, rejected)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func killNineAtRandomMomentsLosesNothingAndDoublesNothing(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            let staging = dir.appendingPathComponent("staging")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            let fileCount = 240
            let expected = try makeDeliveries(fileCount, in: staging)
            let inbox = dir.appendingPathComponent("ws/inbox")
            var random = SeededRandom(state: seed)
            var pending = try FileManager.default.contentsOfDirectory(atPath: staging.path).sorted()
            var kills = 0
            var killsMidFlight = 0
            while !pending.isEmpty || kills < 6 {
                let watch = Process()
                watch.executableURL = sluiceBinary
                watch.arguments = ["watch", "-w", "ws"]
                watch.currentDirectoryURL = dir
                let output = Pipe()
                watch.standardOutput = output
                watch.standardError = FileHandle.nullDevice
                try watch.run()
                // Kill only once it watches (it has the lock and the warehouse open), so the random
                // moment falls in the work, not in the start-up, however loaded the machine is.
                _ = output.fileHandleForReading.availableData
                // Deliver a batch the way a well-behaved sender does: a rename into the inbox.
                for name in pending.prefix(Int.random(in: 20...60, using: &random)) {
                    try FileManager.default.moveItem(
                        at: staging.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
                }
                pending = try FileManager.default.contentsOfDirectory(atPath: staging.path).sorted()
                usleep(UInt32.random(in: 20_000...400_000, using: &random))
                kill(watch.processIdentifier, SIGKILL)
                watch.waitUntilExit()
                kills += 1
                let inFlight = try FileManager.default.contentsOfDirectory(
                    atPath: dir.appendingPathComponent("ws/.work").path)
                if !inFlight.isEmpty { killsMidFlight += 1 }
            }
            #expect(killsMidFlight > 0, "no kill landed while files were being processed; the test proves nothing")
            // A last, uninterrupted run finishes everything.
            let finish = try sluice(["ingest", "-w", "ws"], in: dir)
            #expect(finish.status == 0 || finish.status == 3, "\(finish.stderr)")

            let workspace = dir.appendingPathComponent("ws")
            func names(_ folder: String) throws -> [String] {
                try FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent(folder).path)
            }
            #expect(try names("inbox").isEmpty)
            #expect(try names(".work").isEmpty)
            #expect(try names("archive").count == expected.loaded, "every loaded input archived once")
            #expect(try names("failed").filter { $0.hasSuffix(".csv") }.count == expected.rejected)
            let ledger = try sluice(
                [
                    "query", "-w", "ws", "--format", "csv",
                    "SELECT (SELECT count(*) FROM student_data), (SELECT sum(rows_loaded) FROM sluice_ingests), "
                        + "(SELECT count(*) FROM sluice_ingests WHERE status = 'loaded'), "
                        + "(SELECT count(*) FROM sluice_ingests WHERE status = 'rejected'), "
                        + "(SELECT count(*) FROM sluice_ingests WHERE status = 'duplicate')",
                ], in: dir)
            let values = ledger.stdout.split(separator: "\n").last.map { $0.split(separator: ",").map(String.init) }
            #expect(
                values == [
                    "\(expected.loaded * 5)", "\(expected.loaded * 5)", "\(expected.loaded)", "\(expected.rejected)",
                    "0",
                ],
                "rows in the warehouse, rows in the ledger, loaded, rejected, duplicate entries (after \(kills) kills)")
        }
    }
}
