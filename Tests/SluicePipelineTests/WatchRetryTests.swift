import Foundation
import SluiceTestSupport
import Testing
@testable import SluicePipeline

/// `watch` takes files put off by a transient failure again while it runs (after 1 s, then
/// backing off), instead of leaving them in the work area until the next start.
@Suite struct WatchRetryTests {
    /// Watches until a `loaded` event or 15 s, with the Nth file operation failing once (EIO).
    private func watch(failingAt point: Int) async throws -> [String] {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(
                at: root.appendingPathComponent("ws"), schemaFile: studentSchema, queries: nil)
            try (try FaultIsolationTests.delivery(1)).write(
                to: workspace.layout.inbox.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
            let injector = FaultInjector(failAt: point, errno: EIO, once: true)
            let ingestor = try Ingestor(
                workspace: workspace, logger: quietLogger, lockPolicy: .noWait, faults: injector, warehouseURI: nil)
            let watcher = try FolderWatcher(folder: workspace.layout.inbox)
            let stopper = Task {
                try? await Task.sleep(for: .seconds(15))
                watcher.stop()
            }
            defer { stopper.cancel() }
            var events: [String] = []
            try await ingestor.watch(watcher, workers: 1) { event in
                events.append(event.event)
                if event.event == "loaded" { watcher.stop() }
            }
            return events
        }
    }

    @Test func aDeferredFileIsLoadedWhileWatchRuns() async throws {
        var retried = 0
        for point in 1...8 {
            let events = try await watch(failingAt: point)
            #expect(events.last == "loaded", "fault at operation \(point): \(events)")
            if events.contains("deferred") || events.contains("error") { retried += 1 }
        }
        #expect(retried > 0, "some fault point must put the file off, or this test checks nothing")
    }

    @Test func retriesBackOffUpToAMinuteAndResetOnSuccess() {
        var retry = DeferredRetry()
        #expect(retry.next(after: false) == nil)
        #expect(retry.next(after: true) == .seconds(1))
        #expect(retry.next(after: true) == .seconds(2))
        for _ in 0..<10 { _ = retry.next(after: true) }
        #expect(retry.next(after: true) == .seconds(60))
        #expect(retry.next(after: false) == nil)
        #expect(retry.next(after: true) == .seconds(1))
    }
}
