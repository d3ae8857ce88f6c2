import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import Testing

/// Whether `curl` is installed (the tests read the event stream with it, as a browser would).
private let curlAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

/// Live updates: the event stream and the interim `--watch` poller.
struct LiveUpdateTests {
    @Test func changeFeedReachesEverySubscriber() async {
        let feed = ChangeFeed()
        let first = feed.subscribe()
        let second = feed.subscribe()
        #expect(feed.subscriberCount == 2)
        feed.publish(.change(generation: 3))
        feed.finishAll()
        var received: [ChangeFeed.Event] = []
        for await event in first { received.append(event) }
        for await event in second { received.append(event) }
        #expect(received == [.change(generation: 3), .change(generation: 3)])
    }

    @Test func theReaderNoticesACommitFromAnotherConnection() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root, load: false)
            let reader = WarehouseReader(workspace: workspace)
            #expect(await reader.changeGeneration() == 0)  // no warehouse yet
            let ingestor = try Ingestor(workspace: workspace, logger: DashboardFixture.logger)
            let appeared = await reader.changeGeneration()
            #expect(appeared == 1)
            #expect(await reader.changeGeneration() == appeared)  // nothing new
            let file = root.appendingPathComponent("one.csv")
            try DashboardFixture.sample(rows: 3).write(to: file, atomically: true, encoding: .utf8)
            _ = try ingestor.ingest(fileAt: file, origin: .external)
            #expect(await reader.changeGeneration() == appeared + 1)
        }
    }

    @Test(.enabled(if: curlAvailable))
    func eventsAnnounceNewlyLoadedFiles() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let configuration = DashboardServer.Configuration(port: 0, pollInterval: .milliseconds(100))
            let app = try DashboardServer(
                workspace: workspace, configuration: configuration, logger: DashboardFixture.logger
            ).makeApplication()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let curl = Process()
                curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                curl.arguments = ["-sN", "--max-time", "60", "http://localhost:\(port)/events"]
                let output = Pipe()
                curl.standardOutput = output
                try curl.run()
                defer {
                    // SIGKILL: the test process ignores SIGTERM (the server's graceful-shutdown
                    // handler), and a child inherits that.
                    if curl.isRunning { kill(curl.processIdentifier, SIGKILL) }
                    curl.waitUntilExit()
                }
                // The stream is open once the hello arrived; only then does a commit make a change event.
                var text = try await Self.read(output.fileHandleForReading, until: "event: hello\ndata: {", after: "")

                let file = root.appendingPathComponent("later.csv")
                try DashboardFixture.sample(rows: 4, offset: 50).write(to: file, atomically: true, encoding: .utf8)
                let ingestor = try Ingestor(workspace: workspace, logger: DashboardFixture.logger)
                _ = try ingestor.ingest(fileAt: file, origin: .external)
                text = try await Self.read(output.fileHandleForReading, until: "event: change\ndata: {", after: text)
                #expect(text.hasPrefix("retry: 2000\nevent: hello\n"), "\(text)")
                #expect(text.contains("event: change\ndata: {\"generation\":"), "\(text)")
            }
        }
    }

    /// Reads from `handle` (blocking, on a thread of its own) until the text holds `marker` or
    /// the stream ends; returns everything read so far.
    private static func read(_ handle: FileHandle, until marker: String, after earlier: String) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                var text = earlier
                while !text.contains(marker) {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }
        }
    }

    @Test func watchLoadsUploadedFiles() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let configuration = DashboardServer.Configuration(port: 0, watchInbox: true)
            let app = try DashboardServer(
                workspace: workspace, configuration: configuration, logger: DashboardFixture.logger
            ).makeApplication()
            try await app.test(.live) { client in
                let csv = try DashboardFixture.sample(rows: 6, offset: 100)
                let upload = try await client.execute(
                    uri: "/api/upload?name=dropped.csv", method: .post, body: ByteBuffer(string: csv))
                #expect(upload.status == .created)
                var sources: [String] = []
                for _ in 0..<300 where !sources.contains("dropped.csv") {  // up to 30 s on a loaded machine
                    try await Task.sleep(for: .milliseconds(100))
                    let response = try await client.execute(uri: "/api/ingests", method: .get)
                    let json =
                        try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [String: Any]
                    sources = (json?["ingests"] as? [[String: Any]])?.compactMap { $0["source"] as? String } ?? []
                }
                #expect(sources.first == "dropped.csv")
            }
            #expect(
                FileManager.default.fileExists(
                    atPath: workspace.layout.archive.appendingPathComponent("dropped.csv").path))
        }
    }
}

/// Report results are kept until the data changes.
struct ReportCacheTests {
    @Test func reportsRunAgainOnlyAfterACommit() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let reader = WarehouseReader(workspace: workspace)
            let first = try await reader.reports()
            #expect(await reader.reportRuns == 5)
            _ = await reader.snapshot()
            _ = try await reader.report(named: "q3")
            #expect(try await reader.reports() == first)
            #expect(await reader.reportRuns == 5)

            let file = root.appendingPathComponent("more.csv")
            try DashboardFixture.sample(rows: 7, offset: 200).write(to: file, atomically: true, encoding: .utf8)
            _ = try Ingestor(workspace: workspace, logger: DashboardFixture.logger).ingest(
                fileAt: file, origin: .external)
            _ = await reader.snapshot()
            #expect(await reader.reportRuns == 10)
            let after = try await reader.reports()
            #expect(await reader.reportRuns == 10)
            #expect(after.map(\.report) == first.map(\.report))
        }
    }
}
