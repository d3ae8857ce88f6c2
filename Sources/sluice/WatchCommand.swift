import ArgumentParser
import Dispatch
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice watch`: the long-running pipeline.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch inbox/ and ingest every file as soon as it is complete, until stopped.",
        discussion: """
            Event-driven on Linux (inotify): a file counts once it is closed after
            writing or renamed into inbox/; dot-files and temporary names (*.tmp,
            *.part, *~) are ignored, so write to a temporary name and rename when done.
            At start it first finishes what an interrupted run left behind, then loads
            the files already waiting. It is the workspace's one writer while it runs:
            an `ingest` meanwhile waits (or, with --no-wait, exits 4). SIGINT or SIGTERM: the files in hand are
            finished, then it exits 0. A kill -9 loses nothing: the next start finishes
            the work.

            --json prints one line per event, flushed at once:
              {"event":"claimed"|"loaded"|"rejected"|"duplicate"|"deferred"|"error","source":"x.csv","time":"…",…}
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print one JSON object per event, one per line.")
    var json = false

    @OptionGroup var parallelism: ParallelismOptions

    @OptionGroup var lock: LockOptions

    func run() async throws {
        try await withExitCodesAsync {
            let workspace = try options.open()
            let ingestor = try Ingestor(
                workspace: workspace, logger: workspaceLogger(workspace), lockPolicy: lock.policy)
            let watcher = try FolderWatcher(folder: workspace.layout.inbox)
            let signals = SignalTrap(signals: [SIGINT, SIGTERM]) { watcher.stop() }
            defer { withExtendedLifetime(signals) {} }
            if !json {
                FileHandle.standardOutput.write(Data("Watching \(workspace.layout.inbox.path) (Ctrl-C to stop)\n".utf8))
            }
            let json = self.json
            try await ingestor.watch(watcher, workers: parallelism.workers) { notice in
                // Written straight to the descriptor, unbuffered, so a script sees each event at once.
                if json {
                    FileHandle.standardOutput.write(Data(ResultFormatter.json(notice).utf8))
                } else if let record = notice.record {
                    FileHandle.standardOutput.write(
                        Data((IngestSummary.lines(for: record).joined(separator: "\n") + "\n").utf8))
                } else if notice.event == "error" {
                    printError("sluice: error: \(notice.message ?? "")")
                }
            }
            if !json { print("Stopped.") }
        }
    }
}

/// Turns SIGINT and SIGTERM into a call instead of an abrupt exit, for as long as it lives.
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
