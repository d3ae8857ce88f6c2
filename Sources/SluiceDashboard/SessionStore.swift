import Synchronization

/// Browser sessions opened by the login form: a random id (the `sluice_session` cookie) mapped to
/// the token that logged in, kept in memory until it expires, the user logs out or the server
/// stops.
///
/// The cookie never carries the token itself, so a leaked cookie is worth one session and a
/// restart ends every session. Lookups go through a dictionary keyed by 256 random bits, which
/// leaks nothing useful through timing.
final class SessionStore: Sendable {
    /// The cookie's name.
    static let cookieName = "sluice_session"

    private struct Session {
        var token: AccessToken
        var expires: ContinuousClock.Instant
    }

    private let sessions = Mutex<[String: Session]>([:])
    /// How long a session lasts after login.
    let lifetime: Duration
    /// The most sessions kept; past it the one closest to expiry is dropped.
    let capacity: Int

    /// Creates an empty store.
    init(lifetime: Duration = .seconds(12 * 3_600), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// Opens a session for `token` and returns its id (64 hex digits).
    func open(for token: AccessToken) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
        let now = ContinuousClock.now
        sessions.withLock { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { $0.value.expires > now }
                if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                    sessions.removeValue(forKey: oldest.key)
                }
            }
            sessions[id] = Session(token: token, expires: now.advanced(by: lifetime))
        }
        return id
    }

    /// The token of a live session, or `nil` for an unknown or expired id.
    func token(forSession id: String) -> AccessToken? {
        let now = ContinuousClock.now
        return sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > now else {
                sessions.removeValue(forKey: id)
                return nil
            }
            return session.token
        }
    }

    /// Ends a session (logout).
    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Open sessions (expired ones included until they are next seen).
    var count: Int { sessions.withLock { $0.count } }
}
