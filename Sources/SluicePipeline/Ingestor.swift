import Foundation
import Logging
import SluiceSchema
import SluiceWarehouse
import Synchronization

/// Where a file to ingest comes from, which decides what may happen to it afterwards.
public enum IngestOrigin: Sendable, Hashable {
    /// A file Sluice owns: claimed from `inbox/` into the work area, then moved to `archive/`
    /// (or deleted) once its rows are committed, or to `failed/` when rejected.
    case inbox
    /// A file named by the user: never modified, moved or deleted; a rejected file is copied to `failed/`.
    case external
}

/// Loads CSV files into a workspace: check, then quarantine or commit, then record.
///
/// Two stages. The **prepare** stage (``FilePreparer``) reads, hashes, sniffs, parses, cleans
/// and validates a file; it is a pure value and runs on many files at once
/// (``ingestEach(_:workers:onRecord:)``). The **commit** stage is this class: one writer that
/// records a group of files in **one transaction** — each file in its own savepoint, its rows
/// and its ledger entry together — and only after the commit moves the sources out of the work
/// area. Whatever concerns one file (its name, type, bytes, `.scol`, reason report, rows) ends
/// that file alone, as `rejected` or `deferred`; only a failure of the workspace as a whole
/// (the warehouse refuses a transaction) stops a run, with every file still claimable.
///
/// Creating one takes the workspace's writer lock (``WorkspaceLock``) for its lifetime.
/// Not thread-safe: one owner (it holds the warehouse connection).
public final class Ingestor {
    /// The workspace being loaded.
    public let workspace: Workspace
    /// Most files committed in one transaction.
    public var filesPerTransaction = 64
    /// Rows after which a transaction is committed early, to keep memory flat.
    public var rowsPerTransaction = 200_000

    /// Most files queued or prepared ahead of the writer.
    static let maxFilesInFlight = 96
    /// Most bytes of input queued or prepared ahead of the writer (beyond one file per worker).
    static let maxBytesInFlight = 64 << 20

    let warehouse: Warehouse
    let ledger: Ledger
    let table: WarehouseTable
    let logger: Logger
    let preparer: FilePreparer
    let files: PipelineFiles
    /// Remembers the ledger's last JSON values (see ``LedgerJSON``).
    let ledgerJSON = LedgerJSON()
    /// Held for the ingestor's lifetime.
    private let lock: WorkspaceLock
    /// The saved reports' rollups, kept in step with the table (see ``RollupKeeper``).
    let rollups: RollupKeeper

    /// Takes the workspace lock (waiting for another writer to finish), opens the warehouse,
    /// and creates or migrates the ledger and the data table.
    ///
    /// - Throws: ``PipelineError`` when the warehouse cannot be opened or its table does not
    ///   match the schema.
    public convenience init(workspace: Workspace, logger: Logger) throws {
        try self.init(workspace: workspace, logger: logger, lockPolicy: .wait())
    }

    /// Like ``init(workspace:logger:)``, choosing what to do when another process writes
    /// (`.noWait` throws ``PipelineError`` `workspace-locked`).
    public convenience init(workspace: Workspace, logger: Logger, lockPolicy: WorkspaceLock.WaitPolicy) throws {
        try self.init(workspace: workspace, logger: logger, lockPolicy: lockPolicy, faults: nil, warehouseURI: nil)
    }

    /// The full initialiser, with the fault-injection seams the tests use: `faults` fails the
    /// pipeline's file operations, `warehouseURI` opens the warehouse through another SQLite VFS.
    package init(
        workspace: Workspace, logger: Logger, lockPolicy: WorkspaceLock.WaitPolicy, faults: FaultInjector?,
        warehouseURI: String?
    ) throws {
        self.workspace = workspace
        self.logger = logger
        table = workspace.warehouseTable
        files = PipelineFiles(faults: faults)
        try workspace.layout.createFolders()
        lock = try WorkspaceLock(root: workspace.layout.root, policy: lockPolicy)
        do {
            warehouse = try Warehouse(path: warehouseURI ?? workspace.layout.warehouse.path)
            // The writer's commits reach the disk before `loaded` is reported (see the README's
            // durability contract): one WAL fsync per group.
            try warehouse.connection.execute("PRAGMA synchronous = FULL")
            ledger = Ledger(warehouse: warehouse, root: workspace.layout.root)
            if try ledger.createOrMigrate() { try workspace.convertEarlierClaims(files: files) }
            try warehouse.createTableIfNeeded(table)
        } catch let error as WarehouseError where error.code == .tableMismatch {
            throw PipelineError(code: .configuration, message: error.message, cause: error)
        } catch {
            throw PipelineError(
                code: .warehouse, message: "cannot prepare the warehouse \(workspace.layout.warehouse.path): \(error)",
                cause: error)
        }
        let loaded = LoadedHashes(path: workspace.layout.warehouse.path, table: table.name)
        let counters = SharedRollupCounters()
        preparer = FilePreparer(
            workspace: workspace, files: files, isLoaded: { loaded.contains($0) }, rollupCounters: counters)
        rollups = RollupKeeper(
            warehouse: warehouse, table: table, queries: workspace.layout.queries, logger: logger, shared: counters)
        try ensurePrimaryKeyIndex()
        do { try rollups.synchronize() } catch {
            throw PipelineError(code: .warehouse, message: "cannot build the reports' rollups: \(error)", cause: error)
        }
        removeLeftovers()
    }

    /// Removes what an interrupted run left half-written (under the lock, nothing else is
    /// writing): `.scol` files never renamed into place, temporary report files, and `.scol`
    /// files that no loaded delivery names (their commit failed, or never came).
    private func removeLeftovers() {
        let layout = workspace.layout
        for folder in [layout.columnar, layout.failed] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names
            where name.hasPrefix(".pending-") || name.hasPrefix(".tmp-")
                || (name.hasPrefix(".") && name.hasSuffix(".tmp"))
            {
                try? files.removeFile(folder.appendingPathComponent(name).path)
            }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.columnar.path),
            let named = try? ledger.columnarFilesOfLoadedDeliveries()
        else { return }
        for name in names where name.hasSuffix(".scol") && !name.hasPrefix(".") {
            let path = layout.columnar.appendingPathComponent(name).path
            if !named.contains(path) {
                logger.notice(
                    "\(DeliveryName.display(name)): removed, no loaded delivery names it (an interrupted commit's)")
                try? files.removeFile(path)
            }
        }
    }

    /// Ingests one file.
    ///
    /// - Returns: How it ended. Data problems are a `rejected` record (or rejected rows in a
    ///   `loaded` one), transient failures a `deferred` one, not an error.
    /// - Throws: ``PipelineError`` when the warehouse refuses the write; then nothing was
    ///   committed and the file was left where it was.
    public func ingest(fileAt url: URL, origin: IngestOrigin) throws -> IngestRecord {
        try ingest(IngestJob(url: url, origin: origin))
    }

    /// Ingests one job (see ``ingest(fileAt:origin:)``).
    public func ingest(_ job: IngestJob) throws -> IngestRecord {
        try commit([preparer.prepare(job)])[0]
    }

    /// Finishes what an interrupted run left in the work area, then claims and ingests every
    /// file waiting in `inbox/`, one file after another, in groups.
    public func ingestInbox() throws -> [IngestRecord] {
        var records = try recover()
        var jobs: [IngestJob] = []
        for entry in try workspace.waitingEntries(files: files) {
            if let job = try claimOrRecord(entry, into: &records) { jobs.append(job) }
        }
        var start = 0
        while start < jobs.count {
            let group = jobs[start..<min(start + filesPerTransaction, jobs.count)]
            records += try commit(group.map(preparer.prepare))
            start += group.count
        }
        return records
    }

    /// Finishes what an interrupted run left, then claims and ingests every file waiting in
    /// `inbox/` with the parallel pipeline (see ``ingestEach(_:workers:onRecord:)``).
    public func ingestInbox(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, onRecord: (IngestRecord) -> Void
    ) async throws {
        var records: [IngestRecord] = []
        var jobs = try workspace.claimedFiles(files: files).map { job in
            var job = job
            job.isRecovered = true
            return job
        }
        for entry in try workspace.waitingEntries(files: files) {
            if let job = try claimOrRecord(entry, into: &records) { jobs.append(job) }
        }
        records.forEach(onRecord)
        try await ingestEach(jobs, workers: workers, onRecord: onRecord)
    }

    /// Claims one inbox entry; a file that cannot be claimed is recorded as deferred and left
    /// in the inbox (the others go on).
    func claimOrRecord(_ entry: DirectoryEntry, into records: inout [IngestRecord]) throws -> IngestJob? {
        do {
            return try workspace.claim(entry, files: files)
        } catch let error as PipelineError {
            logger.warning(
                "\(error.message): \(error.cause.map { "\($0)" } ?? ""); it stays in inbox/ for the next run")
            var record = IngestRecord(
                source: entry.displayName, sourcePath: workspace.layout.inbox.path + "/" + entry.displayName,
                status: .deferred,
                message: "\(error.message) (\(error.cause.map { "\($0)" } ?? "")); it stays in inbox/ for the next run",
                sha256: "", size: 0, rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0,
                rowsRejected: 0)
            record.reason = .ioError
            records.append(record)
            return nil
        }
    }

    /// Ingests `jobs` with the prepare stage on up to `workers` files at once and this writer
    /// committing groups of prepared files as they arrive (in completion order).
    ///
    /// - Returns: Every file's record, in the order the jobs were given.
    public func ingestConcurrently(
        _ jobs: [IngestJob], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        onRecord: (IngestRecord) -> Void = { _ in }
    ) async throws -> [IngestRecord] {
        let order = Dictionary(jobs.enumerated().map { ($1.url.path, $0) }, uniquingKeysWith: { first, _ in first })
        var records: [IngestRecord] = []
        try await ingestEach(jobs, workers: workers) { record in
            onRecord(record)
            records.append(record)
        }
        return records.sorted { (order[$0.sourcePath] ?? 0) < (order[$1.sourcePath] ?? 0) }
    }

    /// Like ``ingestConcurrently(_:workers:onRecord:)`` but keeps no record: each goes to
    /// `onRecord` once committed (in completion order) and is then dropped, so memory stays
    /// flat over any number of files.
    ///
    /// Memory stays flat: at most `workers` files are being prepared; more are queued or wait
    /// prepared only within ``maxFilesInFlight`` files and ``maxBytesInFlight`` bytes; and at
    /// most one transaction's worth waits to commit. Cancelling the task stops taking new files;
    /// what was committed stays, the rest stays claimable.
    public func ingestEach(
        _ jobs: [IngestJob], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        onRecord: (IngestRecord) -> Void
    ) async throws {
        // This loop, the writer, runs on a thread of its own; the preparations on the shared pool.
        let writerThread = DedicatedThreadExecutor(name: "sluice-writer")
        defer { writerThread.shutDown() }
        try await withTaskExecutorPreference(writerThread) {
            try await prepareAndCommit(jobs, workers: workers, onRecord: onRecord)
        }
    }

    /// The two stages: preparations as child tasks on the shared pool, commits of groups of
    /// prepared files here, as they arrive.
    private func prepareAndCommit(_ jobs: [IngestJob], workers: Int, onRecord: (IngestRecord) -> Void) async throws {
        let preparer = self.preparer
        let limit = ConcurrencyLimit(workers)
        try await withThrowingTaskGroup(of: PreparedFile.self) { group in
            var remaining = jobs[...]
            var inFlight = 0, inFlightBytes = 0
            func prepareMore() {
                while let job = remaining.first, !Task.isCancelled {
                    let size = files.identity(of: job.url.path)?.size ?? 0
                    let withinBudget = inFlight < Self.maxFilesInFlight && inFlightBytes + size <= Self.maxBytesInFlight
                    guard inFlight < max(1, workers) || withinBudget else { return }
                    remaining = remaining.dropFirst()
                    inFlight += 1
                    inFlightBytes += size
                    group.addTask(executorPreference: globalConcurrentExecutor) {
                        await limit.acquire()
                        let prepared = preparer.prepare(job)
                        await limit.release()
                        return prepared
                    }
                }
            }
            prepareMore()
            var pending: [PreparedFile] = []
            var pendingRows = 0
            while let prepared = try await group.next() {
                inFlight -= 1
                inFlightBytes -= prepared.size
                prepareMore()
                pending.append(prepared)
                pendingRows += prepared.findings?.outcome?.rowsAccepted ?? 0
                if pending.count >= filesPerTransaction || pendingRows >= rowsPerTransaction || group.isEmpty {
                    for record in try commit(pending) { onRecord(record) }
                    pending.removeAll(keepingCapacity: true)
                    pendingRows = 0
                }
            }
        }
    }

    /// Finishes the work an interrupted run left in the work area, in bounded groups: a file
    /// whose outcome was committed is moved to where its ledger entry says it was going;
    /// anything else is processed again from the start.
    /// - Returns: Records for the files processed again (moves of committed files return none).
    public func recover() throws -> [IngestRecord] {
        var records: [IngestRecord] = []
        var group: [PreparedFile] = []
        for var job in try workspace.claimedFiles(files: files) {
            job.isRecovered = true
            group.append(preparer.prepare(job))
            if group.count >= filesPerTransaction {
                records += try commit(group)
                group.removeAll()
            }
        }
        if !group.isEmpty { records += try commit(group) }
        return records
    }
}

/// Whether a hash was loaded before, asked by the preparing workers before they parse a file:
/// a read-only connection of its own, used by one worker at a time.
private final class LoadedHashes: Sendable {
    private let state: Mutex<Warehouse?>
    private let table: String

    init(path: String, table: String) {
        state = Mutex(try? Warehouse(path: path, readOnly: true))
        self.table = table
    }

    func contains(_ sha256: String) -> Bool {
        state.withLock { warehouse in
            guard let warehouse else { return false }
            return
                (try? Ledger(warehouse: warehouse, root: URL(fileURLWithPath: "/")).loadedEntry(
                    sha256: sha256, table: table)) != nil
        }
    }
}

extension ColumnBatch {
    /// The accepted rows of a file plus the ledger id column, for the warehouse's bulk insert.
    /// Date and timestamp columns (`types`) go in as ISO 8601 text.
    init(_ outcome: ValidationOutcome, types: [ColumnType], ingestID: Int64) {
        var columns = zip(zip(outcome.columns, outcome.validity), types).map { pair, type in
            let (column, validity) = pair
            let values: ColumnBatch.Values =
                switch column {
                case .integer(let values) where type.isTemporal: ColumnBatch.Values.isoTexts(values, type: type)
                case .integer(let values): .integers(values)
                case .real(let values): .reals(values)
                case .text(let values): .texts(dictionary: values.dictionary, codes: values.codes)
                }
            return ColumnBatch.Column(values, validity: validity)
        }
        columns.append(ColumnBatch.Column(.constant(.integer(ingestID))))
        self.init(rowCount: outcome.rowsAccepted, columns: columns)
    }
}

extension ColumnBatch.Values {
    /// Days or microseconds as dictionary-coded ISO 8601 text (each distinct value formatted once).
    static func isoTexts(_ values: [Int64], type: ColumnType) -> ColumnBatch.Values {
        var dictionary: [String] = []
        var codeOf: [Int64: UInt32] = [:]
        let codes = values.map { value -> UInt32 in
            if let code = codeOf[value] { return code }
            let code = UInt32(dictionary.count)
            dictionary.append(CalendarValue.isoText(value, type: type))
            codeOf[value] = code
            return code
        }
        return .texts(dictionary: dictionary, codes: codes)
    }
}
