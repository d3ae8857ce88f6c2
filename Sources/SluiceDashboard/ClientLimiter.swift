import Synchronization

/// Caps how many queries one client has running or waiting at once, so one browser tab or
/// script cannot queue up work in front of everyone else (the warehouse connection runs one
/// statement at a time).
///
/// A client is the token's label when the server requires tokens (behind a reverse proxy every
/// request comes from the proxy's address), else the remote address.
final class ClientLimiter: Sendable {
    /// The most requests in flight per client.
    let limit: Int
    private let inFlight = Mutex<[String: Int]>([:])

    /// Creates a limiter allowing `limit` requests in flight per client.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot for `client`; `false` when it already has ``limit`` in flight.
    func acquire(_ client: String) -> Bool {
        inFlight.withLock { counts in
            let current = counts[client, default: 0]
            guard current < limit else { return false }
            counts[client] = current + 1
            return true
        }
    }

    /// Gives back a slot taken by ``acquire(_:)``.
    func release(_ client: String) {
        inFlight.withLock { counts in
            let remaining = counts[client, default: 1] - 1
            counts[client] = remaining > 0 ? remaining : nil
        }
    }

    /// Runs `body` holding a slot for `client`.
    ///
    /// - Throws: ``DashboardError`` `too-many-requests` (HTTP 429) when the client has no free slot,
    ///   or whatever `body` throws.
    func withSlot<T>(for client: String, _ body: () async throws -> T) async throws -> T {
        guard acquire(client) else {
            throw DashboardError(
                code: .tooManyRequests,
                message: "you already have \(limit) queries running; wait for them to finish (--max-client-queries)")
        }
        defer { release(client) }
        return try await body()
    }

    /// Requests in flight for `client`.
    func count(for client: String) -> Int { inFlight.withLock { $0[client, default: 0] } }
}
