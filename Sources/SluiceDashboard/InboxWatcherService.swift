import Foundation
import Logging
import ServiceLifecycle
import SluicePipeline

/// `sluice serve --watch`: the event-driven inbox pipeline (``FolderWatcher`` and
/// ``Ingestor/watch(_:workers:notify:)``) running inside the server process, so the dashboard
/// updates as files land. The ingestor is not thread-safe, so it is created and used on this
/// service's task only; the dashboard reads meanwhile (WAL mode).
public struct InboxWatcherService: Service {
    let workspace: Workspace
    let logger: Logger
    let announcer: Logger?

    /// Creates the service; `logger` receives the pipeline's events (the CLI passes the workspace
    /// log), `announcer` one line per file loaded, rejected or skipped as a duplicate (the CLI
    /// passes the server's log, so `sluice serve --watch` says what it loads).
    public init(workspace: Workspace, logger: Logger, announcer: Logger? = nil) {
        self.workspace = workspace
        self.logger = logger
        self.announcer = announcer
    }

    /// Watches until graceful shutdown, then finishes the files in hand.
    ///
    /// - Throws: ``PipelineError`` when the warehouse cannot be prepared or the inbox not watched.
    public func run() async throws {
        // One writer per workspace: while another process writes, wait (without blocking a
        // thread) and keep serving.
        var ingestor: Ingestor?
        var told = false
        while ingestor == nil {
            do {
                ingestor = try Ingestor(workspace: workspace, logger: logger, lockPolicy: .noWait)
            } catch let error as PipelineError where error.code == .workspaceLocked {
                if !told { logger.notice("inbox watcher waiting: \(error.message)") }
                told = true
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        guard let ingestor else { return }
        let watcher = try FolderWatcher(folder: workspace.layout.inbox)
        let logger = self.logger
        let announcer = self.announcer
        try await withGracefulShutdownHandler {
            try await ingestor.watch(watcher) { notice in
                if notice.event == "error" {
                    logger.error("\(notice.message ?? "")")
                    announcer?.error("\(notice.message ?? "")")
                } else if let record = notice.record {
                    announcer?.notice("\(notice.event): \(record.message)")
                }
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }
}
