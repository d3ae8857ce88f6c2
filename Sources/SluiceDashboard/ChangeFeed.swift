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

    /// How many streams may be open: each costs a connection and about 100 KB, so without a
    /// cap one client could open thousands and grow the server's memory without end.
    public struct Limits: Sendable, Hashable {
        /// The most streams one client (a token's label, or an address) keeps open: a new one
        /// beyond it ends the client's oldest (a closed tab's stream is noticed only at the next
        /// write, so refusing the new one would refuse a page just reloaded).
        public var perClient: Int
        /// The most streams open in all; beyond it a new stream is refused.
        public var total: Int

        /// Creates limits; the defaults allow many tabs per client and a few hundred clients.
        public init(perClient: Int = 16, total: Int = 512) {
            self.perClient = max(1, perClient)
            self.total = max(1, total)
        }
    }

    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
        /// The client holding each stream opened by ``subscribe(for:)``.
        var clientOfStream: [Int: String] = [:]
        /// Each client's open streams, oldest first.
        var streamsOfClient: [String: [Int]] = [:]

        /// Forgets stream `id`, giving its client's slot back.
        mutating func remove(_ id: Int) {
            subscribers.removeValue(forKey: id)
            guard let client = clientOfStream.removeValue(forKey: id) else { return }
            streamsOfClient[client]?.removeAll { $0 == id }
            if streamsOfClient[client]?.isEmpty == true { streamsOfClient[client] = nil }
        }
    }

    private let state = Mutex(State())

    /// The caps ``subscribe(for:)`` enforces.
    public let limits: Limits

    /// Creates a feed with no subscribers.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// A new stream of events, not counted against any limit; it ends when ``finishAll()`` is
    /// called or the consumer stops.
    public func subscribe() -> AsyncStream<Event> {
        open(for: nil)!
    }

    /// A new stream of events for `client`, or `nil` when the feed holds ``Limits/total``
    /// streams. When `client` already holds ``Limits/perClient``, its oldest stream ends.
    public func subscribe(for client: String) -> AsyncStream<Event>? {
        open(for: client)
    }

    private func open(for client: String?) -> AsyncStream<Event>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(8))
        let (id, evicted) = state.withLock { state -> (Int?, AsyncStream<Event>.Continuation?) in
            var evicted: AsyncStream<Event>.Continuation?
            if let client {
                if let oldest = state.streamsOfClient[client]?.first,
                    state.streamsOfClient[client]!.count >= limits.perClient
                {
                    evicted = state.subscribers[oldest]
                    state.remove(oldest)
                }
                guard state.subscribers.count < limits.total else { return (nil, evicted) }
            }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = continuation
            if let client {
                state.clientOfStream[id] = client
                state.streamsOfClient[client, default: []].append(id)
            }
            return (id, evicted)
        }
        evicted?.finish()
        guard let id else {
            continuation.finish()
            return nil
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { $0.remove(id) }
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
            defer {
                state.subscribers.removeAll()
                state.clientOfStream.removeAll()
                state.streamsOfClient.removeAll()
            }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// How many streams are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// How many streams `client` holds open.
    public func openStreams(for client: String) -> Int { state.withLock { $0.streamsOfClient[client]?.count ?? 0 } }

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
