import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// The parallel prepare stage, grouped commits, claiming and recovery after a crash.
struct ConcurrentIngestTests {
    /// `count` distinct small files: each holds 3 real rows and a row whose absences value makes it unique.
    func deliver(_ count: Int, into folder: URL, rejecting rejected: Set<Int> = []) throws {
        let rows = try String(contentsOf: studentCSV, encoding: .utf8).split(separator: "\n").map(String.init)
        for index in 0..<count {
            var unique = rows[1]
            unique = unique.replacingOccurrences(
                of: #";6;"5";"6";6"#, with: #";\#(index % 90);"5";"6";\#(index / 90 % 20)"#)
            if rejected.contains(index) { unique = unique.replacingOccurrences(of: #""GP""#, with: #""XX""#) }
            let text = [rows[0], rows[2], rows[3], rows[4], unique].joined(separator: "\n") + "\n"
            try write(text, to: folder.appendingPathComponent(String(format: "delivery-%04d.csv", index)))
        }
    }

    func count(_ sql: String, _ workspace: Workspace) throws -> Int64 {
        guard
            case .integer(let value) = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true).query(sql)
                .rows[0][0]
        else {
            return -1
        }
        return value
    }

    @Test func aThousandFilesAreAllAccountedForWithGroupedCommits() async throws {
        try await withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try deliver(1_000, into: workspace.layout.inbox, rejecting: [7, 500, 999])
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let jobs = try workspace.waitingNames().compactMap {
                try workspace.claim(workspace.layout.inbox.appendingPathComponent($0))
            }
            var seen = 0
            let records = try await ingestor.ingestConcurrently(jobs, workers: 2) { _ in seen += 1 }
            #expect(records.count == 1_000)
            #expect(seen == 1_000)
            #expect(
                records.filter { $0.status == .rejected }.map(\.source) == [
                    "delivery-0007.csv", "delivery-0500.csv", "delivery-0999.csv",
                ])
            // The three shared rows are duplicates across files only from the second file on:
            // within a file nothing repeats, so every loaded file loads its 4 rows.
            #expect(try count("SELECT count(*) FROM student_data", workspace) == 997 * 4)
            #expect(try count("SELECT sum(rows_loaded) FROM sluice_ingests", workspace) == 997 * 4)
            #expect(try count("SELECT count(*) FROM sluice_ingests", workspace) == 1_000)
            #expect(contents(of: workspace.layout.inbox).isEmpty)
            #expect(contents(of: workspace.layout.work).isEmpty)
            #expect(contents(of: workspace.layout.archive).count == 997)
            #expect(contents(of: workspace.layout.failed).count == 6)
            #expect(records.map(\.source) == (0..<1_000).map { String(format: "delivery-%04d.csv", $0) })
        }
    }

    @Test func theSameBytesTwiceInOneGroupLoadOnce() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try FileManager.default.copyItem(at: studentCSV, to: workspace.layout.inbox.appendingPathComponent("a.csv"))
            try FileManager.default.copyItem(at: studentCSV, to: workspace.layout.inbox.appendingPathComponent("b.csv"))
            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(records.map(\.status) == [.loaded, .duplicate])
            #expect(records[1].duplicateOf == records[0].ledgerID)
            #expect(try count("SELECT count(*) FROM student_data", workspace) == 395)
            #expect(contents(of: workspace.layout.archive) == ["a.csv", "b.csv"])
        }
    }

    @Test func aClaimedFileLeftByACrashIsProcessedOnRestart() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try deliver(2, into: workspace.layout.inbox)
            // A run that claimed the files and died before doing anything else.
            let claimed = try workspace.waitingNames().compactMap {
                try workspace.claim(workspace.layout.inbox.appendingPathComponent($0))
            }
            #expect(claimed.map(\.source) == ["delivery-0000.csv", "delivery-0001.csv"])
            #expect(contents(of: workspace.layout.work).count == 2)
            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(records.map(\.status) == [.loaded, .loaded])
            #expect(records.map(\.source) == ["delivery-0000.csv", "delivery-0001.csv"])
            #expect(contents(of: workspace.layout.work).isEmpty)
            #expect(contents(of: workspace.layout.archive) == ["delivery-0000.csv", "delivery-0001.csv"])
        }
    }

    @Test func aFileCommittedButNotYetMovedIsOnlyMovedOnRestart() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try deliver(1, into: workspace.layout.inbox)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            _ = try ingestor.ingestInbox()
            // Simulate a crash between the commit and the move: put the file back in the work area.
            let archived = workspace.layout.archive.appendingPathComponent("delivery-0000.csv")
            let folder = workspace.layout.work.appendingPathComponent("1-2")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: archived, to: folder.appendingPathComponent("delivery-0000.csv"))
            let records = try Ingestor(workspace: workspace, logger: quietLogger).recover()
            #expect(records.isEmpty, "no second ledger entry")
            #expect(FileManager.default.fileExists(atPath: archived.path))
            #expect(try count("SELECT count(*) FROM sluice_ingests", workspace) == 1)
            #expect(try count("SELECT count(*) FROM student_data", workspace) == 4)
        }
    }

    @Test func aFileThatVanishesBeforeItsClaimIsSkipped() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            #expect(try workspace.claim(workspace.layout.inbox.appendingPathComponent("gone.csv")) == nil)
        }
    }
}
