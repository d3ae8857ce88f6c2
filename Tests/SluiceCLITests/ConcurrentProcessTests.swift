import Foundation
import SluiceTestSupport
import Testing

/// One workspace, one writer, any number of processes: real `sluice` processes started at the
/// same instant on one workspace, and `ingest` beside a running `watch`, stay exact.
@Suite(.serialized) struct ConcurrentProcessTests {
    /// Starts `sluice` without waiting for it.
    func start(_ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = sluiceBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Sums over the ledger and the warehouse, read with the sqlite3 shell's independent reader.
    func totals(_ workspace: URL) throws -> (rows: Int, ledgerRows: Int, entries: Int, loaded: Int) {
        let warehouse = workspace.appendingPathComponent("warehouse.sqlite").path
        let output = try run(
            try #require(which("sqlite3")),
            [
                "-readonly", warehouse,
                "SELECT (SELECT count(*) FROM student_data), (SELECT coalesce(sum(rows_loaded), 0) FROM sluice_ingests WHERE status = 'loaded'),"
                    + " (SELECT count(*) FROM sluice_ingests), (SELECT count(*) FROM sluice_ingests WHERE status = 'loaded')",
            ], in: workspace)
        let numbers = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap {
            Int($0)
        }
        guard numbers.count == 4 else { throw CLIError(message: "sqlite3 said: \(output.stdout) \(output.stderr)") }
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    struct CLIError: Error { var message: String }

    @Test(arguments: [1, 2, 3])
    func twoIngestsStartedAtOnceOnANewWorkspaceStayExact(trial: Int) throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            let workspace = dir.appendingPathComponent("ws")
            let expected = try CrashSafetyTests().makeDeliveries(150, in: workspace.appendingPathComponent("inbox"))
            // A new workspace: no warehouse yet, both race to create it.
            try? FileManager.default.removeItem(at: workspace.appendingPathComponent("warehouse.sqlite"))
            let first = try start(["ingest", "-w", "ws"], in: dir)
            let second = try start(["ingest", "-w", "ws"], in: dir)
            first.waitUntilExit()
            second.waitUntilExit()
            // Each exits 3 or 0 (the rejected files fall to whichever run took them), never 1.
            #expect([0, 3].contains(first.terminationStatus) && [0, 3].contains(second.terminationStatus))
            let totals = try self.totals(workspace)
            #expect(totals.rows == expected.loaded * 5)
            #expect(totals.ledgerRows == totals.rows)
            #expect(totals.entries == 150, "one ledger entry per file, no false duplicates")
            #expect(totals.loaded == expected.loaded)
            #expect(contents(of: workspace.appendingPathComponent(".work")).isEmpty)
            #expect(contents(of: workspace.appendingPathComponent("archive")).count == expected.loaded)
            #expect(try sluice(["verify", "-w", "ws"], in: dir).status == 0)
        }
    }

    @Test func ingestBesideARunningWatchWaitsOrExitsFour() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            let workspace = dir.appendingPathComponent("ws")
            let staging = dir.appendingPathComponent("staging")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            let expected = try CrashSafetyTests().makeDeliveries(120, in: staging)
            let watch = try start(["watch", "-w", "ws"], in: dir)
            defer { if watch.isRunning { watch.terminate() } }
            // The watcher holds the lock once it runs.
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: workspace.appendingPathComponent("warehouse.sqlite").path),
                Date() < deadline
            {
                Thread.sleep(forTimeInterval: 0.05)
            }
            let refused = try sluice(["ingest", "-w", "ws", "--no-wait"], in: dir)
            #expect(refused.status == 4)
            #expect(refused.stderr.contains("is being written by process"))
            // Deliveries land while an ingest waits for its turn.
            let names = try FileManager.default.contentsOfDirectory(atPath: staging.path).sorted()
            for name in names.prefix(60) {
                try FileManager.default.moveItem(
                    at: staging.appendingPathComponent(name), to: workspace.appendingPathComponent("inbox/\(name)"))
            }
            let waiting = try start(["ingest", "-w", "ws"], in: dir)
            for name in names.dropFirst(60) {
                try FileManager.default.moveItem(
                    at: staging.appendingPathComponent(name), to: workspace.appendingPathComponent("inbox/\(name)"))
            }
            // Let the watcher take what it sees, then stop it: the waiting ingest takes the rest.
            Thread.sleep(forTimeInterval: 1)
            watch.terminate()
            watch.waitUntilExit()
            waiting.waitUntilExit()
            #expect([0, 3].contains(waiting.terminationStatus))
            let totals = try self.totals(workspace)
            #expect(totals.rows == expected.loaded * 5)
            #expect(totals.ledgerRows == totals.rows)
            #expect(totals.entries == 120)
            #expect(contents(of: workspace.appendingPathComponent("inbox")).isEmpty)
            #expect(contents(of: workspace.appendingPathComponent(".work")).isEmpty)
            #expect(try sluice(["verify", "-w", "ws"], in: dir).status == 0)
        }
    }

    @Test func ingestBesideServeWatchWaitsItsTurnAndStaysExact() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            let workspace = dir.appendingPathComponent("ws")
            let expected = try CrashSafetyTests().makeDeliveries(80, in: workspace.appendingPathComponent("inbox"))
            let port = Int.random(in: 20_000...60_000)
            let serve = try start(["serve", "-w", "ws", "--watch", "--port", "\(port)"], in: dir)
            defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
            // The server's watcher holds the lock once it has loaded what was waiting.
            let deadline = Date().addingTimeInterval(60)
            while !contents(of: workspace.appendingPathComponent("inbox")).isEmpty, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
            let refused = try sluice(["ingest", "-w", "ws", "--no-wait"], in: dir)
            #expect(refused.status == 4, "\(refused.stderr)")
            // An ingest that waits for the server, and more deliveries meanwhile (renamed in):
            // whichever of the two takes them, each is loaded once.
            let staging = try dir.appendingPathComponent("staging").creatingFolder()
            let more = try CrashSafetyTests().makeDeliveries(120, in: staging)
            let waiting = try start(["ingest", "-w", "ws"], in: dir)
            for name in contents(of: staging).dropFirst(80) {
                try FileManager.default.moveItem(
                    at: staging.appendingPathComponent(name), to: workspace.appendingPathComponent("inbox/\(name)"))
            }
            Thread.sleep(forTimeInterval: 0.5)
            // A graceful stop (its files in hand finished); SIGKILL after 30 s, which loses nothing either.
            kill(serve.processIdentifier, SIGTERM)
            let stopBy = Date().addingTimeInterval(30)
            while serve.isRunning, Date() < stopBy { Thread.sleep(forTimeInterval: 0.1) }
            if serve.isRunning { kill(serve.processIdentifier, SIGKILL) }
            serve.waitUntilExit()
            waiting.waitUntilExit()
            #expect([0, 3].contains(waiting.terminationStatus))
            let totals = try self.totals(workspace)
            // d0080…d0119 of the second set: 4 of those 40 are the rejected ones (every 10th).
            #expect(totals.rows == (expected.loaded + 36) * 5)
            #expect(totals.ledgerRows == totals.rows)
            #expect(totals.entries == 120)
            #expect(contents(of: workspace.appendingPathComponent("inbox")).isEmpty)
            #expect(contents(of: workspace.appendingPathComponent(".work")).isEmpty)
            #expect(try sluice(["verify", "-w", "ws"], in: dir).status == 0)
            _ = more
        }
    }
}

/// The names in a folder, sorted (empty when it does not exist).
private func contents(of url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}

extension URL {
    /// Creates this folder (and its parents) and returns it.
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
