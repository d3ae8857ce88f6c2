import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline
import CSluiceFaultVFS

/// After SQLite's I/O-error tests: for every file operation N of a 20-file ingest (some files
/// hostile), fail operation N with EIO or ENOSPC, then run again without faults, and check
/// that nothing was lost or doubled.
@Suite struct FaultInjectionTests {
    /// Twenty deliveries: valid ones, a duplicate, a refused one, a FIFO, a long name, a name
    /// that is not UTF-8, and one with rows refused under a partial load.
    static func deliver(into inbox: URL) throws {
        for index in 0..<13 {
            try write(
                FaultIsolationTests.delivery(index),
                to: inbox.appendingPathComponent(String(format: "d%02d.csv", index)))
        }
        try write(FaultIsolationTests.delivery(0), to: inbox.appendingPathComponent("d13-duplicate.csv"))
        try write("school;age\ngp;not-a-number\n", to: inbox.appendingPathComponent("d14-bad.csv"))
        _ = mkfifo(inbox.appendingPathComponent("d15-fifo.csv").path, 0o644)
        try write(
            FaultIsolationTests.delivery(16),
            to: inbox.appendingPathComponent("d16-" + String(repeating: "x", count: 230) + ".csv"))
        FaultIsolationTests.writeRaw(
            try FaultIsolationTests.delivery(17), rawName: Array("d17-".utf8) + [0xFF] + Array(".csv".utf8), in: inbox)
        try write(FaultIsolationTests.delivery(18), to: inbox.appendingPathComponent("d18.csv"))
        try write(FaultIsolationTests.delivery(19), to: inbox.appendingPathComponent("d19.csv"))
    }

    /// The number of inputs.
    static let inputs = 20

    /// A run with `faults`, whatever it throws, then a clean run; returns the faulty run's injector.
    static func faultThenRecover(failAt: Int?, errno: Int32, once: Bool = true) throws -> (
        FaultInjector, Workspace, URL
    ) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fault-\(UUID().uuidString)")
        var workspace = try Workspace.create(
            at: dir.appendingPathComponent("ws"), schemaFile: studentSchema, queries: nil)
        workspace.config.overrides.onError = .rejectRows
        workspace.config.overrides.maxErrorRate = 1
        try deliver(into: workspace.layout.inbox)
        let injector = FaultInjector(failAt: failAt, errno: errno, once: once)
        do {
            let faulty = try Ingestor(
                workspace: workspace, logger: quietLogger, lockPolicy: .noWait, faults: injector, warehouseURI: nil)
            faulty.filesPerTransaction = 7
            _ = try faulty.ingestInbox()
        } catch {
            // A failure of the workspace as a whole: allowed, as long as the next run makes it whole.
        }
        _ = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
        return (injector, workspace, dir)
    }

    /// The invariants of a workspace after a clean run.
    static func checkInvariants(_ workspace: Workspace, faultPoint: Int) throws {
        let ledger = try #require(try Ledger.openReadOnly(workspace))
        let loaded = try ledger.entries(status: .loaded)
        #expect(
            try rowCount(workspace) == loaded.reduce(0) { $0 + $1.rowsLoaded },
            "rows = Σ rows_loaded at fault point \(faultPoint)")
        // Every input in exactly one place, and nothing left in the inbox or the work area.
        #expect(contents(of: workspace.layout.inbox).isEmpty, "inbox empty at fault point \(faultPoint)")
        #expect(contents(of: workspace.layout.work).isEmpty, "work area empty at fault point \(faultPoint)")
        let failed = contents(of: workspace.layout.failed).filter {
            !$0.hasSuffix(".json") && !$0.hasSuffix(".rejected.csv")
        }
        let archived = contents(of: workspace.layout.archive)
        #expect(
            archived.count + failed.count == inputs,
            "every input once at fault point \(faultPoint): \(archived) \(failed)")
        #expect(Set(archived).isDisjoint(with: failed))
        // No .scol without a ledger row, none missing.
        let named = Set(loaded.compactMap(\.columnar))
        let onDisk = Set(
            contents(of: workspace.layout.columnar).map { workspace.layout.columnar.appendingPathComponent($0).path })
        #expect(named == onDisk, "the .scol files are exactly the loaded ones at fault point \(faultPoint)")
        // The expected outcome: 17 distinct valid deliveries loaded, d13 a duplicate of d00, the bad
        // one and the FIFO quarantined.
        #expect(loaded.count == 17, "17 loads at fault point \(faultPoint)")
        #expect(try ledger.entries(status: .duplicate).count == 1, "1 duplicate at fault point \(faultPoint)")
        #expect(try ledger.entries(status: .rejected).count == 2, "2 rejections at fault point \(faultPoint)")
        #expect(try workspace.verify().allSatisfy(\.ok), "verify clean at fault point \(faultPoint)")
    }

    @Test func everyFileOperationFaultLeavesTheWorkspaceWhole() throws {
        let (counter, cleanWorkspace, cleanDir) = try Self.faultThenRecover(failAt: nil, errno: 0)
        defer { try? FileManager.default.removeItem(at: cleanDir) }
        try Self.checkInvariants(cleanWorkspace, faultPoint: 0)
        let points = counter.operationsSeen
        #expect(points > 100, "the suite exercises \(points) fault points")
        for point in 1...points {
            let (injector, workspace, dir) = try Self.faultThenRecover(
                failAt: point, errno: point % 2 == 0 ? EIO : ENOSPC)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(injector.fired)
            try Self.checkInvariants(workspace, faultPoint: point)
        }
        print("fault injection: \(points) file-operation fault points exercised")
    }

    @Test func aDiskThatStaysFullDefersFilesAndTheNextRunLoadsThem() throws {
        for start in [5, 40, 80] {
            let (injector, workspace, dir) = try Self.faultThenRecover(failAt: start, errno: ENOSPC, once: false)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(injector.fired)
            try Self.checkInvariants(workspace, faultPoint: start)
        }
    }
}

/// The warehouse half: a SQLite VFS (`Tests/CSluiceFaultVFS`) fails the Nth `xWrite` or `xSync`
/// of the faulty run's connection, for every N, with an I/O error or a full disk.
@Suite(.serialized) struct WarehouseFaultInjectionTests {
    /// SQLite's result codes (its headers define the extended ones as macros Swift cannot import).
    static let ok: Int32 = 0, full: Int32 = 13, ioErrorWrite: Int32 = 10 | (3 << 8)

    /// A run whose warehouse connection fails its `point`th write or sync, then a clean run.
    static func faultThenRecover(point: Int, code: Int32, sticky: Bool = false) throws -> (
        fired: Bool, calls: Int, Workspace, URL
    ) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-vfs-\(UUID().uuidString)")
        var workspace = try Workspace.create(
            at: dir.appendingPathComponent("ws"), schemaFile: studentSchema, queries: nil)
        workspace.config.overrides.onError = .rejectRows
        workspace.config.overrides.maxErrorRate = 1
        try FaultInjectionTests.deliver(into: workspace.layout.inbox)
        #expect(sluice_fault_vfs_register() == Self.ok)
        sluice_fault_vfs_arm(Int32(point), code, sticky ? 1 : 0)
        do {
            let faulty = try Ingestor(
                workspace: workspace, logger: quietLogger, lockPolicy: .noWait, faults: nil,
                warehouseURI: "file:\(workspace.layout.warehouse.path)?vfs=sluice-fault")
            faulty.filesPerTransaction = 7
            _ = try faulty.ingestInbox()
        } catch {
            // The warehouse failed as a whole: allowed, as long as the next run makes it whole.
        }
        let result = (sluice_fault_vfs_fired() != 0, Int(sluice_fault_vfs_calls()))
        sluice_fault_vfs_arm(0, 0, 0)
        _ = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
        return (result.0, result.1, workspace, dir)
    }

    @Test func everyWarehouseWriteOrSyncFaultLeavesTheWorkspaceWhole() throws {
        let (_, calls, clean, cleanDir) = try Self.faultThenRecover(point: 0, code: 0)
        defer { try? FileManager.default.removeItem(at: cleanDir) }
        try FaultInjectionTests.checkInvariants(clean, faultPoint: 0)
        #expect(calls > 10, "the suite exercises \(calls) warehouse fault points")
        for point in 1...calls {
            let code = point % 2 == 0 ? Self.ioErrorWrite : Self.full
            let (fired, _, workspace, dir) = try Self.faultThenRecover(point: point, code: code, sticky: point % 5 == 0)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(fired)
            try FaultInjectionTests.checkInvariants(workspace, faultPoint: -point)
        }
        print("fault injection: \(calls) warehouse write/sync fault points exercised")
    }
}
