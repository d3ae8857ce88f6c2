/// The host names the dashboard answers to, compared exactly: never by prefix or suffix.
///
/// Always allowed: `localhost`, `127.0.0.1` and `[::1]`. Also allowed: the name the server was
/// bound to (`--host`, unless it is a wildcard such as `0.0.0.0`) and every `--allow-host`
/// name. A `Host` header matches when its name is one of these, with or without a port;
/// `127.0.0.1.attacker.example`, `127.evil.example` or `localhost.` do not match, which defeats
/// DNS rebinding.
///
/// ```swift
/// let hosts = HostPolicy(bindHost: "0.0.0.0", allowedHosts: ["dash.example.com"])
/// hosts.allows(authority: "dash.example.com:8080")   // true
/// hosts.allows(authority: "dash.example.com.evil")   // false
/// ```
public struct HostPolicy: Sendable, Hashable {
    /// The names always allowed: this machine's loopback names.
    public static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// Every allowed name, normalised (lower case, IPv6 addresses in brackets, no port).
    public let names: Set<String>

    /// Creates the policy for a server bound to `bindHost`.
    ///
    /// - Throws: ``DashboardError`` `bad-request` naming an `allowedHosts` entry that is not a
    ///   host name or address (an optional `:port` is accepted and ignored).
    public init(bindHost: String, allowedHosts: [String] = []) throws(DashboardError) {
        var names = Self.loopbackNames
        if !Self.isWildcard(bindHost), let name = Self.name(ofAuthority: Self.bracketed(bindHost)) {
            names.insert(name)
        }
        for entry in allowedHosts {
            guard let name = Self.name(ofAuthority: Self.bracketed(entry)) else {
                throw DashboardError(
                    code: .badRequest,
                    message:
                        "--allow-host '\(entry)' is not a host name or address (e.g. dash.example.com or 192.0.2.7)")
            }
            names.insert(name)
        }
        self.names = names
    }

    /// Whether a `Host` header value (`name` or `name:port`) names an allowed host.
    public func allows(authority: String) -> Bool {
        guard let name = Self.name(ofAuthority: authority) else { return false }
        return names.contains(name)
    }

    /// Whether `host` is a wildcard bind address (every interface).
    public static func isWildcard(_ host: String) -> Bool {
        ["", "0.0.0.0", "::", "[::]", "*"].contains(host)
    }

    /// Whether binding `host` keeps the server on this machine: `localhost`, `::1`, or an IPv4
    /// address in 127.0.0.0/8 (four decimal parts, the first 127).
    public static func isLoopbackBindAddress(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if ["localhost", "::1", "[::1]"].contains(lowered) { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            parts.allSatisfy({ Int($0).map { $0 <= 255 } ?? false })
        else { return false }
        return parts[0] == "127"
    }

    /// The host name of an authority (`Example.COM:8080` → `example.com`, `[::1]:80` → `[::1]`),
    /// or `nil` when it is malformed: empty, a port that is not 1–5 digits, characters other than
    /// letters, digits, `-` and `.` in a name, or a bracketed part that is not an IPv6 address.
    public static func name(ofAuthority authority: String) -> String? {
        let text = authority.lowercased()
        let host: Substring
        let rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let inner = text[text.index(after: text.startIndex)..<close]
            guard !inner.isEmpty, inner.contains(":"), inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
            else { return nil }
            host = text[...close]
            rest = text[text.index(after: close)...]
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            rest = text[colon...]
        } else {
            host = text[...]
            rest = ""
        }
        if !rest.isEmpty {
            let port = rest.dropFirst()
            guard rest.first == ":", (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
        }
        guard !host.isEmpty, host.utf8.count <= 253 else { return nil }
        if !host.hasPrefix("[") {
            guard host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }),
                !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..")
            else { return nil }
        }
        return String(host)
    }

    /// `::1` → `[::1]`: a bare IPv6 address as it appears in a `Host` header.
    private static func bracketed(_ host: String) -> String {
        host.filter { $0 == ":" }.count > 1 && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
