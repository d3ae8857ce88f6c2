import Foundation
import Synchronization

/// Fans warehouse changes out to every open `/events` stream (Server-Sent Events).
///
/// ``WarehouseMonitor`` publishes; each SSE response subscribes and gets its own stream,
/// which keeps only the newest few events if a client reads slowly.
public final class ChangeFeed: Sendable {
    /// One message to the browsers.
    public enum Event: Sendable, Hashable {
        /// The warehouse changed: reload the reports and the ledger. Carries the new generation.
        case change(generation: Int)
        /// Nothing happened; a comment line keeps proxies and the connection alive.
        case heartbeat
    }

    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// Creates a feed with no subscribers.
    public init() {}

    /// A new stream of events; it ends when ``finishAll()`` is called or the consumer stops.
    public func subscribe() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `event` to every subscriber.
    public func publish(_ event: Event) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Ends every stream (at shutdown).
    public func finishAll() {
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// How many streams are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// The event as SSE text: `event: change` with a JSON `data:` line, or a `:` comment.
    static func serverSentText(for event: Event) -> String {
        switch event {
        case .change(let generation):
            return "event: change\ndata: {\"generation\":\(generation)}\n\n"
        case .heartbeat:
            return ": keep-alive\n\n"
        }
    }
}
