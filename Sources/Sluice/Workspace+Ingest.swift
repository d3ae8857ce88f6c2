import Foundation

extension Workspace {
    /// Creates a workspace: its folders, a copy of `schema`, `sluice.yaml`, and a copy of the
    /// `*.sql` reports in `reports` (none when it is `nil`). Running it on an existing
    /// workspace only adds what is missing.
    ///
    /// ```swift
    /// let workspace = try Workspace.create(at: folder, schema: schemaFile)
    /// ```
    /// - Throws: `PipelineError` `configuration` when the schema is wrong, `io` when a file
    ///   cannot be written.
    @discardableResult
    public static func create(at root: URL, schema: URL, reports: URL? = nil) throws -> Workspace {
        try create(at: root, schemaFile: schema, queries: reports)
    }

    /// Loads `files` into the warehouse with the parallel pipeline, and returns one record per
    /// file, in the order given.
    ///
    /// The files are never modified, moved or deleted (a rejected one is copied to `failed/`
    /// beside its reason report). It takes the workspace's writer lock first, waiting without
    /// blocking a thread while another process writes. Cancelling the task stops taking new
    /// files: what was committed stays, and it throws `CancellationError`.
    ///
    /// - Parameters:
    ///   - files: CSV files.
    ///   - workers: Files prepared at once (default: one per core).
    ///   - logger: Where the pipeline logs (default: nowhere).
    /// - Returns: Each file's `IngestRecord`: `IngestRecord.status` (`.loaded`, `.rejected`,
    ///   `.duplicate`, `.deferred`), the row counts, the reason report.
    /// - Throws: `PipelineError` when the warehouse cannot be written (nothing of the failed
    ///   group was committed), or `CancellationError`.
    public func ingest(
        _ files: [URL], workers: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger? = nil
    ) async throws -> [IngestRecord] {
        let order = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        var records: [IngestRecord] = []
        try await ingestEach(files, workers: workers, logger: logger) { records.append($0) }
        return records.sorted { (order[$0.sourcePath] ?? 0) < (order[$1.sourcePath] ?? 0) }
    }

    /// Like ``ingest(_:workers:logger:)``, but hands each record to `onRecord` as its file
    /// commits and keeps none, so memory stays flat over any number of files.
    ///
    /// - Parameters:
    ///   - files: CSV files (never modified, moved or deleted).
    ///   - workers: Files prepared at once (default: one per core).
    ///   - logger: Where the pipeline logs (default: nowhere).
    ///   - lock: What to do when another process writes: wait (the default), or fail at once
    ///     with `PipelineError` `workspace-locked` (`.noWait`).
    ///   - onRecord: Called with each file's record as it commits, in commit order.
    public func ingestEach(
        _ files: [URL], workers: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger? = nil,
        lock: WorkspaceLock.WaitPolicy = .wait(), onRecord: (IngestRecord) -> Void
    ) async throws {
        let ingestor = try await writer(logger: logger, lock: lock)
        let jobs = files.map { IngestJob(url: $0, origin: .external) }
        try await ingestor.ingestEach(jobs, workers: workers, onRecord: onRecord)
        try Task.checkCancellation()
    }

    /// Finishes what an interrupted run left in the work area, then claims and loads every file
    /// waiting in `inbox/` (what `sluice ingest` does with no paths): a loaded file moves to
    /// `archive/`, a rejected one to `failed/`. Each record goes to `onRecord` as it commits.
    ///
    /// - Parameters:
    ///   - workers: Files prepared at once (default: one per core).
    ///   - logger: Where the pipeline logs (default: nowhere).
    ///   - lock: What to do when another process writes (see ``ingestEach(_:workers:logger:lock:onRecord:)``).
    ///   - onRecord: Called with each file's record as it commits.
    public func ingestInbox(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger? = nil,
        lock: WorkspaceLock.WaitPolicy = .wait(), onRecord: (IngestRecord) -> Void
    ) async throws {
        let ingestor = try await writer(logger: logger, lock: lock)
        try await ingestor.ingestInbox(workers: workers, onRecord: onRecord)
        try Task.checkCancellation()
    }

    /// Watches `inbox/` and loads every file as soon as it is complete (closed after writing, or
    /// renamed in), until the task that iterates is cancelled or stops iterating. Each event is
    /// one line of `sluice watch --json`: `claimed`, `loaded`, `rejected`, `duplicate`,
    /// `deferred` or `error`.
    ///
    /// ```swift
    /// for try await event in workspace.watch() { print(event.event, event.source) }
    /// ```
    /// It first finishes what an interrupted run left, then loads the files already waiting.
    /// It holds the writer lock while it runs.
    ///
    /// - Parameters:
    ///   - workers: Files prepared at once (default: one per core).
    ///   - logger: Where the pipeline logs (default: nowhere).
    public func watch(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger? = nil
    ) -> AsyncThrowingStream<IngestEvent, any Error> {
        let workspace = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let ingestor = try await workspace.writer(logger: logger, lock: .wait())
                    let watcher = try FolderWatcher(folder: workspace.layout.inbox)
                    try await withTaskCancellationHandler {
                        try await ingestor.watch(watcher, workers: workers) { continuation.yield($0) }
                    } onCancel: {
                        watcher.stop()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The workspace's writer: an ``Ingestor`` holding the lock. While another process holds
    /// the lock it polls every 100 ms without blocking a thread (saying so once through the
    /// policy's `onWait`), and gives up when the task is cancelled.
    func writer(logger: Logger?, lock: WorkspaceLock.WaitPolicy) async throws -> Ingestor {
        let logger = logger ?? Logger(label: "sluice", factory: { _ in SwiftLogNoOpLogHandler() })
        var told = false
        while true {
            do {
                return try Ingestor(workspace: self, logger: logger, lockPolicy: .noWait)
            } catch let error as PipelineError where error.code == .workspaceLocked {
                guard case .wait(let onWait) = lock else { throw error }
                if !told {
                    onWait(WorkspaceLock.holder(ofWorkspaceAt: layout.root))
                    told = true
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
