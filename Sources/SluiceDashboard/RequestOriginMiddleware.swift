import Hummingbird

/// Keeps other web sites out of a dashboard running on this machine.
///
/// - A request with an `Origin` header from another origin than the page's own is refused
///   (403), so a page on the internet cannot post uploads or read the API from a browser.
/// - When the server is bound to loopback, the `Host` header must name loopback
///   (`localhost`, `127.0.0.1`, `[::1]`), which defeats DNS-rebinding attacks.
struct RequestOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the server listens on loopback only.
    let loopbackOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        if loopbackOnly, !Self.isLoopbackHost(host) {
            throw DashboardError(code: .forbiddenOrigin, message: "this dashboard answers only to localhost, not to '\(host)'")
        }
        if let origin = request.headers[.origin], origin != "null" {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            guard originHost.lowercased() == host.lowercased() else {
                throw DashboardError(code: .forbiddenOrigin, message: "cross-origin requests are refused (origin \(origin))")
            }
        }
        return try await next(request, context)
    }

    /// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
    static func isLoopbackHost(_ authority: String) -> Bool {
        var name = authority.lowercased()
        if name.hasPrefix("[") {
            name = String(name.dropFirst().prefix { $0 != "]" })
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }
}
