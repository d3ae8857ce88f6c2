import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// One delivery ends alone: whatever concerns one file (its name, type, bytes, its table) ends
/// that file in a recorded state, and every other file proceeds.
@Suite struct FaultIsolationTests {
    /// A small valid delivery whose bytes differ with `seed`.
    static func delivery(_ seed: Int) throws -> String {
        let lines = try String(contentsOf: studentCSV, encoding: .utf8).split(separator: "\n")
        return
            ([String(lines[0])]
            + lines[1...4].map { $0.replacingOccurrences(of: ";6;\"5\";\"6\";6", with: ";\(seed % 50);\"5\";\"6\";6") })
            .joined(separator: "\n") + "\n"
    }

    /// Writes a file under a name given as raw bytes (which need not be UTF-8).
    static func writeRaw(_ text: String, rawName: [UInt8], in folder: URL) {
        let path = Array(folder.path.utf8) + [0x2F] + rawName + [0]
        path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { name in
                let descriptor = open(name.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                _ = text.withCString { Glibc.write(descriptor, $0, strlen($0)) }
                close(descriptor)
            }
        }
    }

    @Test func hostileNamesAndFileTypesEndAloneAndTheRestLoads() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let inbox = workspace.layout.inbox
            let longName = String(repeating: "n", count: 232) + ".csv"  // 236 bytes: legal, too long for any prefix
            try write(Self.delivery(1), to: inbox.appendingPathComponent(longName))
            Self.writeRaw(try Self.delivery(2), rawName: [0xFF, 0xFE] + Array(".csv".utf8), in: inbox)
            try write(Self.delivery(3), to: inbox.appendingPathComponent("evil\nINFO forged.csv"))
            try write(Self.delivery(4), to: inbox.appendingPathComponent("\u{202E}vsc.exe"))
            #expect(mkfifo(inbox.appendingPathComponent("pipe.csv").path, 0o644) == 0)
            let outside = dir.appendingPathComponent("outside.csv")
            try write(Self.delivery(5), to: outside)
            try FileManager.default.createSymbolicLink(
                at: inbox.appendingPathComponent("link.csv"), withDestinationURL: outside)
            try write(Self.delivery(6), to: inbox.appendingPathComponent("plain.csv"))

            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            let bySource = Dictionary(records.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(records.count == 7)
            #expect(bySource[longName]?.status == .loaded)
            #expect(bySource["\\xFF\\xFE.csv"]?.status == .loaded)
            #expect(bySource["evil\\x0AINFO forged.csv"]?.status == .loaded)
            #expect(bySource["\\u{202E}vsc.exe"]?.status == .loaded)
            #expect(bySource["pipe.csv"]?.reason == .notRegularFile)
            #expect(bySource["link.csv"]?.reason == .symbolicLink)
            #expect(bySource["plain.csv"]?.status == .loaded)
            // The link was not followed: its target is untouched and nothing of it loaded.
            #expect(FileManager.default.fileExists(atPath: outside.path))
            #expect(contents(of: workspace.layout.inbox).isEmpty)
            #expect(contents(of: workspace.layout.work).isEmpty)
            #expect(contents(of: workspace.layout.archive).count == 5)
            // No line of a log, JSON or ledger can be broken by a name: what is shown is escaped.
            #expect(
                records.allSatisfy {
                    !$0.source.contains("\n") && !$0.message.contains("\n") && DeliveryName.isPrintable($0.source)
                })
            #expect(try Workspace.open(at: workspace.layout.root).verify().allSatisfy(\.ok))
        }
    }

    @Test func aLinkIsReadWhenFollowSymlinksIsOn() throws {
        try withTemporaryDirectory { dir in
            var workspace = try makeWorkspace(in: dir)
            workspace.config.followSymlinks = true
            let outside = dir.appendingPathComponent("outside.csv")
            try write(Self.delivery(5), to: outside)
            try FileManager.default.createSymbolicLink(
                at: workspace.layout.inbox.appendingPathComponent("link.csv"), withDestinationURL: outside)
            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(records.map(\.status) == [.loaded])
            #expect(FileManager.default.fileExists(atPath: outside.path), "only the link moves")
        }
    }

    @Test func aFileThatChangesAfterItWasReadIsDeferredNotArchived() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let file = try write(Self.delivery(1), to: workspace.layout.inbox.appendingPathComponent("growing.csv"))
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let job = try #require(try workspace.claim(file))
            let prepared = ingestor.preparer.prepare(job)
            // Written in place while Sluice works on it (against the rename rule).
            let handle = try FileHandle(forWritingTo: job.url)
            try handle.seekToEnd()
            try handle.write(
                contentsOf: Data(try Self.delivery(2).split(separator: "\n").dropFirst().joined(separator: "\n").utf8))
            try handle.close()
            let records = try ingestor.commit([prepared])
            #expect(records.map(\.status) == [.deferred])
            #expect(records[0].reason == .changedWhileRead)
            #expect(try rowCount(workspace) == 0)
            #expect(contents(of: workspace.layout.archive).isEmpty)
            #expect(contents(of: workspace.layout.columnar).isEmpty, "the unnamed .scol is removed")
            // The next run reads the whole file as it is now.
            let again = try ingestor.recover()
            #expect(again.map(\.status) == [.loaded])
            #expect(again[0].rowsRead == 8)
        }
    }

    @Test func aSchemaTableChangeDoesNotStopUnrelatedFiles() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try write(Self.delivery(1), to: workspace.layout.inbox.appendingPathComponent("a.csv"))
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            // The table renamed in sluice.yaml; the same bytes delivered again, with a new file.
            var renamed = workspace
            renamed.tableName = "students_v2"
            try write(Self.delivery(1), to: workspace.layout.inbox.appendingPathComponent("a-again.csv"))
            try write(Self.delivery(2), to: workspace.layout.inbox.appendingPathComponent("b.csv"))
            let records = try Ingestor(workspace: renamed, logger: quietLogger).ingestInbox()
            #expect(records.map(\.status) == [.loaded, .loaded])
        }
    }

    @Test func aMovedWorkspaceKeepsWorkingAndForgetStaysInside() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try write(Self.delivery(1), to: workspace.layout.inbox.appendingPathComponent("a.csv"))
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            let copy = dir.appendingPathComponent("copy")
            try FileManager.default.copyItem(at: workspace.layout.root, to: copy)
            let moved = dir.appendingPathComponent("moved")
            try FileManager.default.moveItem(at: workspace.layout.root, to: moved)
            let copied = try Workspace.open(at: copy)
            #expect(try copied.verify().allSatisfy(\.ok))
            _ = try Ingestor(workspace: copied, logger: quietLogger).forget("a.csv")
            // The moved original still has its .scol file: forget in the copy stayed in the copy.
            let original = try Workspace.open(at: moved)
            #expect(contents(of: original.layout.columnar).count == 1)
            #expect(contents(of: copied.layout.columnar).isEmpty)
            #expect(try original.verify().allSatisfy(\.ok))
            let entry = try #require(try Ledger.openReadOnly(original)?.entries(status: .loaded).first)
            #expect(entry.storedAt == original.layout.archive.appendingPathComponent("a.csv").path)
        }
    }

    @Test func anEarlierLedgerIsMigrated() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            // The first version's ledger: absolute paths of another folder, the unique index on the hash alone.
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path)
            try warehouse.connection.execute(
                """
                CREATE TABLE sluice_ingests (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, source TEXT NOT NULL,
                  source_path TEXT NOT NULL, size INTEGER NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('loaded', 'rejected', 'duplicate', 'forgotten')), reason TEXT,
                  message TEXT NOT NULL, target_table TEXT NOT NULL, ingested_at TEXT NOT NULL DEFAULT 'x',
                  rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_dropped_missing INTEGER NOT NULL,
                  rows_dropped_duplicate INTEGER NOT NULL, rows_rejected INTEGER NOT NULL, dialect TEXT, header TEXT,
                  hint TEXT, errors_report TEXT, rejected_rows TEXT, columnar TEXT, stored_at TEXT,
                  duplicate_of INTEGER REFERENCES sluice_ingests(id)) STRICT;
                CREATE UNIQUE INDEX sluice_ingests_loaded_sha256 ON sluice_ingests(sha256) WHERE status = 'loaded';
                INSERT INTO sluice_ingests (sha256, source, source_path, size, status, message, target_table, rows_read,
                  rows_loaded, rows_dropped_missing, rows_dropped_duplicate, rows_rejected, stored_at)
                VALUES ('ab', 'old.csv', '/elsewhere/ws/.work/1-2-old.csv', 1, 'rejected', 'm', 'student_data', 0, 0, 0, 0, 0,
                  '/elsewhere/ws/failed/old.csv');
                """)
            _ = try Ingestor(workspace: workspace, logger: quietLogger)
            let entry = try #require(try Ledger.openReadOnly(workspace)?.entry(id: 1))
            #expect(entry.storedAt == workspace.layout.failed.appendingPathComponent("old.csv").path)
            let indexes = try warehouse.query(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sluice_ingests' ORDER BY name")
            #expect(
                indexes.rows.map { $0[0] } == [
                    .text("sluice_ingests_loaded_table_sha256"), .text("sluice_ingests_quarantine"),
                    .text("sluice_ingests_sha256"), .text("sluice_ingests_totals"),
                ])
        }
    }

    @Test func verifyNamesTheFirstDifferingRowAndASwappedColumnarFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            try write(Self.delivery(1), to: workspace.layout.inbox.appendingPathComponent("a.csv"))
            try write(Self.delivery(2), to: workspace.layout.inbox.appendingPathComponent("b.csv"))
            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(try workspace.verify().allSatisfy(\.ok))
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path)
            try warehouse.connection.execute(
                "UPDATE student_data SET famrel = famrel + 1 WHERE rowid = (SELECT min(rowid) + 2 FROM student_data)")
            var findings = try workspace.verify()
            #expect(findings.filter { !$0.ok }.count == 1)
            #expect(
                findings.first { !$0.ok }?.problem?.contains("first at row 3 of the delivery, column 'famrel'") == true)
            try warehouse.connection.execute(
                "UPDATE student_data SET famrel = famrel - 1 WHERE rowid = (SELECT min(rowid) + 2 FROM student_data)")
            // One delivery's .scol copied over another's.
            let a = try #require(records[0].columnarFile), b = try #require(records[1].columnarFile)
            try FileManager.default.removeItem(atPath: b)
            try FileManager.default.copyItem(atPath: a, toPath: b)
            findings = try workspace.verify()
            #expect(findings.first { !$0.ok }?.problem?.contains("its footer names source a.csv") == true)
        }
    }
}

/// Rows in the student table.
func rowCount(_ workspace: Workspace) throws -> Int {
    let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
    guard case .integer(let count) = try warehouse.query("SELECT count(*) FROM student_data").rows[0][0] else {
        return -1
    }
    return Int(count)
}
