import Logging
import ServiceLifecycle

/// Watches the warehouse for commits and tells the browsers: polls
/// ``WarehouseReader/changeGeneration()`` (one `PRAGMA data_version` on the reader's connection)
/// every `interval`, publishing ``ChangeFeed/Event/change(generation:)`` when it moves and a
/// heartbeat every `heartbeat`.
///
/// It notices any writer: `sluice ingest` in another process, `sluice serve --watch`, or an
/// embedding program. A ServiceLifecycle `Service`: it stops on graceful shutdown.
public struct WarehouseMonitor: Service {
    let reader: WarehouseReader
    let feed: ChangeFeed
    let interval: Duration
    let heartbeat: Duration

    /// Creates a monitor (500 ms polls and a 15 s heartbeat by default).
    public init(
        reader: WarehouseReader, feed: ChangeFeed, interval: Duration = .milliseconds(500),
        heartbeat: Duration = .seconds(15)
    ) {
        self.reader = reader
        self.feed = feed
        self.interval = interval
        self.heartbeat = heartbeat
    }

    /// Polls until graceful shutdown, then ends every event stream.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var last = await reader.changeGeneration()
            var sinceHeartbeat = Duration.zero
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let current = await reader.changeGeneration()
                if current != last {
                    last = current
                    feed.publish(.change(generation: current))
                }
                sinceHeartbeat += interval
                if sinceHeartbeat >= heartbeat {
                    sinceHeartbeat = .zero
                    feed.publish(.heartbeat)
                }
            }
        }
        feed.finishAll()
    }
}
