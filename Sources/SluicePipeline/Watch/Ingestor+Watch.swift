import Foundation

/// One line of `sluice watch --json`: something that happened to one file.
public struct IngestEvent: Sendable, Encodable {
    /// `claimed`, `loaded`, `rejected`, `duplicate` or `error`.
    public var event: String
    /// The file name as dropped.
    public var source: String
    /// When it happened (ISO 8601, UTC).
    public var time: String
    /// The outcome, for `loaded`, `rejected` and `duplicate`.
    public var record: IngestRecord?
    /// What went wrong, for `error`.
    public var message: String?

    private enum CodingKeys: String, CodingKey { case event, source, time, message }

    /// The notice for a committed outcome.
    public init(record: IngestRecord) {
        event = record.status.rawValue
        source = record.source
        time = FileLogHandler.timestamp()
        self.record = record
    }

    /// A notice without an outcome (`claimed`, `error`).
    public init(event: String, source: String, message: String? = nil) {
        self.event = event
        self.source = source
        time = FileLogHandler.timestamp()
        self.message = message
    }

    /// `{"event", "source", "time", …}`: the record's fields (counts, paths) flattened in.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let record {
            try record.encode(to: encoder)  // includes "source"
        } else {
            try container.encode(source, forKey: .source)
        }
        try container.encode(event, forKey: .event)
        try container.encode(time, forKey: .time)
        try container.encodeIfPresent(message, forKey: .message)
    }
}

extension Ingestor {
    /// Names that are never claimed (see ``Workspace/isTemporaryName(_:)``).
    public static func isTemporaryName(_ name: String) -> Bool {
        Workspace.isTemporaryName(name)
    }

    /// Runs until `watcher` ends: first finishes what an interrupted run left in the work area,
    /// then claims and ingests every complete file the watcher reports (and, on a rescan,
    /// every file waiting), preparing files in parallel and committing in groups. Files are
    /// claimed by the same rules as `ingest` (``Workspace/waitingNames()``).
    ///
    /// A failure with one group is reported as an `error` notice and the loop goes on; the
    /// group's files stay in the work area and are finished on the next start.
    public func watch(
        _ watcher: FolderWatcher, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        notify: (IngestEvent) -> Void
    ) async throws {
        var retry = DeferredRetry()
        for try await _ in watcher.events {
            // Whatever the event names, the inbox listing decides: it sees every byte of a name.
            // Files still in the work area are taken too: at start, what an interrupted run left;
            // later, what a transient failure put off (nothing of this process is in flight here).
            var jobs: [IngestJob] = []
            do {
                jobs = try workspace.claimedFiles(files: files).map { job in
                    var job = job
                    job.isRecovered = true
                    return job
                }
            } catch let error as PipelineError {
                notify(IngestEvent(event: "error", source: "", message: error.message))
            }
            var records: [IngestRecord] = []
            for entry in try workspace.waitingEntries(files: files) {
                guard let job = try claimOrRecord(entry, into: &records) else { continue }
                notify(IngestEvent(event: "claimed", source: job.source))
                jobs.append(job)
            }
            for record in records { notify(IngestEvent(record: record)) }
            let putOff =
                try await ingestGroup(jobs, workers: workers, notify: notify)
                || records.contains { $0.status == .deferred }
            if let delay = retry.next(after: putOff) { watcher.rescan(after: delay) }
        }
    }

    /// Ingests one group of claimed files; returns whether anything was put off for later (a
    /// deferred file, or a group the warehouse refused, whose files stay in the work area).
    private func ingestGroup(_ jobs: [IngestJob], workers: Int, notify: (IngestEvent) -> Void) async throws -> Bool {
        guard !jobs.isEmpty else { return false }
        var putOff = false
        do {
            try await ingestEach(jobs, workers: workers) { record in
                if record.status == .deferred { putOff = true }
                notify(IngestEvent(record: record))
            }
        } catch let error as PipelineError {
            notify(
                IngestEvent(event: "error", source: jobs.map(\.source).joined(separator: ", "), message: error.message))
            putOff = true
        }
        return putOff
    }
}

/// When `watch` takes put-off files again: after 1 s, then 2, 4 … up to a minute while they keep
/// failing; back to 1 s once a pass puts nothing off.
struct DeferredRetry {
    private var delay: Duration = .seconds(1)

    /// The delay before the next retry, or `nil` when nothing was put off.
    mutating func next(after putOff: Bool) -> Duration? {
        guard putOff else {
            delay = .seconds(1)
            return nil
        }
        defer { delay = min(delay * 2, .seconds(60)) }
        return delay
    }
}
