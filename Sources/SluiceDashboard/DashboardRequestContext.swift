import Foundation
import Hummingbird
import NIOCore

/// Who is calling: set by ``DashboardGate`` before any route runs.
struct Caller: Sendable, Hashable {
    /// The role granted, or `nil` before authentication.
    var role: AccessRole?
    /// How the request log and the per-client limit name the caller: the token's label, or the
    /// remote address when no token is needed.
    var name: String
    /// Whether the server let the caller in without a token (loopback, no token configured).
    var isLocal: Bool

    /// `read`, `upload`, `local` (no token needed) or `none`, for the request log.
    var roleName: String {
        if isLocal { return "local" }
        return role?.rawValue ?? "none"
    }
}

/// The dashboard's request context: Hummingbird's core storage, the remote address and the
/// ``Caller``.
struct DashboardRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address (`127.0.0.1`), or `-` when unknown.
    let remoteAddress: String
    /// Who is calling; `nil` until ``DashboardGate`` identified the caller.
    var caller: Caller?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "-"
        caller = nil
    }

    /// Uploads are small files streamed to disk by ``InboxUpload``, which applies its own limit;
    /// this bound applies to bodies decoded whole (the login form).
    var maxUploadSize: Int { 16 * 1024 }
}

/// Reads a URL's query string as an HTML form sends it: `&`-separated `name=value` pairs, with
/// `+` meaning a space and `%XX` escapes decoded (Hummingbird's `queryParameters` keeps `+` as is,
/// so `curl -G --data-urlencode 'sql=SELECT 1'` would arrive as `SELECT+1`).
struct FormQuery: Sendable {
    private var pairs: [(name: String, value: String)] = []

    /// Parses `query` (the part after `?`, or `nil`).
    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        pairs = Self.pairs(in: query)
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    init(formBody: String) {
        pairs = Self.pairs(in: formBody)
    }

    /// The first value given for `name`, decoded.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    private static func pairs(in text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// `+` → space, then `%XX`; text with a malformed escape is kept as sent.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
