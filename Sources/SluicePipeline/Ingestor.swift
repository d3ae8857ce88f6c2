import Foundation
import Logging
import SluiceSchema
import SluiceWarehouse

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
/// (``ingestConcurrently(_:workers:onRecord:)``). The **commit** stage is this class: one
/// writer that records refusals, then loads a group of files in **one transaction** — each file
/// in its own savepoint, its rows and its ledger entry together — and only after the commit
/// moves the sources out of the work area. A crash at any point leaves each file either
/// committed (its ledger entry names where it was going; ``recover()`` finishes the move) or
/// not (it is still in the work area and is processed again). Every file ends in exactly one
/// ledger row.
///
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
    let table: WarehouseTable
    let logger: Logger
    let preparer: FilePreparer
    /// Remembers the ledger's last JSON values (see ``LedgerJSON``).
    let ledgerJSON = LedgerJSON()

    /// Opens the workspace's warehouse, creating the ledger and the data table if needed.
    ///
    /// - Throws: ``PipelineError`` when the warehouse cannot be opened or its table does not
    ///   match the schema.
    public init(workspace: Workspace, logger: Logger) throws {
        self.workspace = workspace
        self.logger = logger
        table = workspace.warehouseTable
        preparer = FilePreparer(workspace: workspace)
        try workspace.layout.createFolders()
        do {
            warehouse = try Warehouse(path: workspace.layout.warehouse.path)
            try Ledger.create(in: warehouse)
            try warehouse.createTableIfNeeded(table)
        } catch let error as WarehouseError where error.code == .tableMismatch {
            throw PipelineError(code: .configuration, message: error.message, cause: error)
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot prepare the warehouse \(workspace.layout.warehouse.path): \(error)", cause: error)
        }
    }

    /// Ingests one file.
    ///
    /// - Returns: How it ended. Data problems are a `rejected` record (or rejected rows in a
    ///   `loaded` one), not an error.
    /// - Throws: ``PipelineError`` when the file cannot be read or the warehouse refuses the write;
    ///   in that case nothing was committed and the file was left where it was.
    public func ingest(fileAt url: URL, origin: IngestOrigin) throws -> IngestRecord {
        try ingest(IngestJob(url: url, origin: origin))
    }

    /// Ingests one job (see ``ingest(fileAt:origin:)``).
    public func ingest(_ job: IngestJob) throws -> IngestRecord {
        try commit([preparer.prepare(job)])[0]
    }

    /// Finishes what an interrupted run left in the work area, then claims and ingests every
    /// file waiting in `inbox/`, one file after another.
    public func ingestInbox() throws -> [IngestRecord] {
        var records = try recover()
        let jobs = try workspace.waitingFiles().compactMap { try workspace.claim($0) }
        var start = 0
        while start < jobs.count {
            let group = jobs[start..<min(start + filesPerTransaction, jobs.count)]
            records += try commit(group.map(preparer.prepare))
            start += group.count
        }
        return records
    }

    /// Ingests `jobs` with the prepare stage on up to `workers` files at once and this writer
    /// committing groups of prepared files as they arrive (in completion order).
    ///
    /// Memory stays flat: at most `workers` files are being prepared; more are queued or wait
    /// prepared (so the workers keep going while a group commits) only within
    /// ``maxFilesInFlight`` files and ``maxBytesInFlight`` bytes; and at most one transaction's
    /// worth (``filesPerTransaction`` / ``rowsPerTransaction``) waits to commit.
    /// - Parameter onRecord: Called for each file as soon as its outcome is committed.
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
    ///
    /// More files are in flight than workers, so preparing goes on while this task commits a
    /// group (synchronously, for tens of milliseconds); the limit keeps at most `workers`
    /// preparations running, and the file and byte budgets keep memory flat whatever the sizes.
    private func prepareAndCommit(_ jobs: [IngestJob], workers: Int, onRecord: (IngestRecord) -> Void) async throws {
        let preparer = self.preparer
        let limit = ConcurrencyLimit(workers)
        try await withThrowingTaskGroup(of: PreparedFile.self) { group in
            var remaining = jobs[...]
            var inFlight = 0, inFlightBytes = 0
            func prepareMore() {
                while let job = remaining.first {
                    let size = (try? FileManager.default.attributesOfItem(atPath: job.url.path))?[.size] as? Int ?? 0
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

    /// Finishes the work an interrupted run left in the work area: a file whose rows were
    /// committed is moved to where its ledger entry says it was going; anything else is
    /// processed again from the start.
    /// - Returns: Records for the files processed again (moves of committed files return none).
    public func recover() throws -> [IngestRecord] {
        var again: [PreparedFile] = []
        for job in try workspace.claimedFiles() {
            let prepared = preparer.prepare(job)
            if let sha = prepared.sha256, try completeCommittedMove(of: job, sha256: sha) { continue }
            again.append(prepared)
        }
        return again.isEmpty ? [] : try commit(again)
    }

    /// If the ledger already holds this delivery (committed, not yet moved), finish the move.
    private func completeCommittedMove(of job: IngestJob, sha256: String) throws -> Bool {
        guard let entry = try Ledger.pendingMove(sha256: sha256, source: job.source, table: table.name, in: warehouse) else {
            return false
        }
        if let destination = entry.storedAt {
            try move(job.url, to: URL(fileURLWithPath: destination))
        } else {
            try remove(job.url)
        }
        logger.notice("\(job.source): finished moving a file committed before a restart", metadata: ["ledger": "\(entry.id)"])
        return true
    }
}

extension ColumnBatch {
    /// The accepted rows of a file plus the ledger id column, for the warehouse's bulk insert.
    init(_ outcome: ValidationOutcome, ingestID: Int64) {
        var columns = zip(outcome.columns, outcome.validity).map { column, validity in
            let values: ColumnBatch.Values = switch column {
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
