import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import Testing

/// Whether `curl` is installed (the route test holds a stream open with it, as a browser would).
private let curlAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

/// `/events` streams are capped per client and in all: each holds a connection and memory, and
/// before the cap 3,000 streams from one client grew the server from 56 MB to 340 MB. A client
/// over its share loses its oldest stream (a reloaded page's old stream is noticed closed only at
/// the next write, so the new one must not be refused); the server over its total refuses.
struct EventStreamLimitTests {
    @Test func aClientOverItsShareLosesItsOldestStream() async throws {
        let feed = ChangeFeed(limits: .init(perClient: 2, total: 10))
        let first = try #require(feed.subscribe(for: "a"))
        let second = try #require(feed.subscribe(for: "a"))
        let third = try #require(feed.subscribe(for: "a"))
        #expect(feed.openStreams(for: "a") == 2)
        feed.publish(.change(generation: 7))
        // The oldest ended before the change: it sees nothing more.
        var firstEvents: [ChangeFeed.Event] = []
        for await event in first { firstEvents.append(event) }
        #expect(firstEvents.isEmpty)
        feed.finishAll()
        var secondEvents: [ChangeFeed.Event] = [], thirdEvents: [ChangeFeed.Event] = []
        for await event in second { secondEvents.append(event) }
        for await event in third { thirdEvents.append(event) }
        #expect(secondEvents == [.change(generation: 7)])
        #expect(thirdEvents == [.change(generation: 7)])
    }

    @Test func theFeedRefusesBeyondItsTotal() {
        let feed = ChangeFeed(limits: .init(perClient: 2, total: 3))
        let streams = [feed.subscribe(for: "a"), feed.subscribe(for: "b"), feed.subscribe(for: "c")]
        #expect(streams.allSatisfy { $0 != nil })
        #expect(feed.subscribe(for: "d") == nil, "the feed holds its total")
        #expect(feed.subscriberCount == 3)
        withExtendedLifetime(streams) {}
    }

    @Test func aStreamDroppedUnreadGivesItsSlotBack() {
        let feed = ChangeFeed(limits: .init(perClient: 1, total: 1))
        #expect(feed.subscribe(for: "a") != nil)  // not kept: released at once
        #expect(feed.openStreams(for: "a") == 0)
        #expect(feed.subscribe(for: "b") != nil)
    }

    @Test func aStreamThatEndsGivesItsSlotBack() async throws {
        let feed = ChangeFeed(limits: .init(perClient: 1, total: 1))
        let stream = try #require(feed.subscribe(for: "a"))
        #expect(feed.subscribe(for: "b") == nil)
        // The consumer goes away (a browser tab closed: the response task ends).
        let reader = Task {
            for await _ in stream {}
        }
        reader.cancel()
        await reader.value
        #expect(feed.openStreams(for: "a") == 0)
        #expect(feed.subscribe(for: "b") != nil, "the slot came back")
        feed.finishAll()
        #expect(feed.subscriberCount == 0)
        #expect(feed.openStreams(for: "a") == 0)
    }

    @Test func unlimitedSubscriptionsAreNotCounted() {
        let feed = ChangeFeed(limits: .init(perClient: 1, total: 1))
        let first = feed.subscribe()
        let second = feed.subscribe()
        #expect(feed.subscriberCount == 2)
        #expect(feed.openStreams(for: "") == 0)
        withExtendedLifetime((first, second)) {}
    }

    @Test(.enabled(if: curlAvailable))
    func aReloadedPageEndsTheClientsOldestStream() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            var configuration = DashboardServer.Configuration(port: 0, pollInterval: .milliseconds(100))
            configuration.eventStreams = .init(perClient: 1, total: 8)
            let app = try DashboardServer(
                workspace: workspace, configuration: configuration, logger: DashboardFixture.logger
            ).makeApplication()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let url = "http://127.0.0.1:\(port)/events"
                func openStream() throws -> (Process, Pipe) {
                    let curl = Process()
                    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    curl.arguments = ["-sN", "--max-time", "30", url]
                    let output = Pipe()
                    curl.standardOutput = output
                    try curl.run()
                    return (curl, output)
                }
                // SIGKILL at the end: the test process ignores SIGTERM (the server's
                // graceful-shutdown handler), and a child inherits that.
                let (first, firstOutput) = try openStream()
                defer {
                    if first.isRunning { kill(first.processIdentifier, SIGKILL) }
                    first.waitUntilExit()
                }
                // The first stream is open once its hello arrived; only then the page "reloads".
                #expect(try await Self.readLine(firstOutput.fileHandleForReading, containing: "event: hello"))
                let (second, secondOutput) = try openStream()
                defer {
                    if second.isRunning { kill(second.processIdentifier, SIGKILL) }
                    second.waitUntilExit()
                }
                #expect(try await Self.readLine(secondOutput.fileHandleForReading, containing: "event: hello"))
                // The second stream ended the first: its curl sees the end of the response long
                // before its 30 s limit.
                let started = ContinuousClock.now
                first.waitUntilExit()
                #expect(ContinuousClock.now - started < .seconds(20))
                #expect(first.terminationStatus == 0)
                #expect(second.isRunning)
            }
        }
    }

    /// Reads `handle` on a thread of its own until a chunk holds `marker` or the stream ends.
    private static func readLine(_ handle: FileHandle, containing marker: String) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                    if text.contains(marker) { break }
                }
                continuation.resume(returning: text.contains(marker))
            }
        }
    }
}
