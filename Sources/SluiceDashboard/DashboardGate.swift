import HTTPTypes
import Hummingbird
import Logging

/// The one middleware every request passes: it checks where the request comes from, who sends
/// it and what they may do, caps each client's queries in flight, adds the security headers, and
/// logs the request with the caller's role.
///
/// In order:
/// 1. `Host` must name an allowed host exactly (``HostPolicy``); an `Origin` header must be the
///    same origin as the page (`Origin: null`, sent by sandboxed frames and `data:` pages, is
///    refused); a state-changing request (not `GET`/`HEAD`) marked `Sec-Fetch-Site: cross-site`
///    or `same-site` is refused. All 403 `forbidden-origin`.
/// 2. The caller: with no token required (loopback, no token configured) everyone is `local`;
///    otherwise an `Authorization: Bearer TOKEN` header or the login form's session cookie.
///    No valid one: 401 (the login form for the page, JSON for the API).
/// 3. The role: a state-changing API request (`POST /api/upload`, any non-`GET` under `/api/`)
///    needs `upload` (403 `forbidden` for `read`).
/// 4. Routes that run queries (`/`, `/report.html`, `/api/reports…`, `/api/query…`) take one of the
///    client's slots in ``ClientLimiter`` (429 `too-many-requests` when none is free).
struct DashboardGate: RouterMiddleware {
    typealias Context = DashboardRequestContext

    let hosts: HostPolicy
    let access: AccessControl
    let limiter: ClientLimiter
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        do {
            try checkOrigin(request)
            let caller = try access.identify(request, remoteAddress: context.remoteAddress)
            context.caller = caller
            var response: Response
            if caller.role == nil, !Self.isPublic(request) {
                response = try unauthenticated(request)
            } else {
                if Self.changesState(request), caller.role?.mayUpload != true {
                    throw DashboardError(
                        code: .forbidden,
                        message:
                            "the '\(caller.roleName)' role may only read; uploading needs a token with the upload role")
                }
                if Self.runsQueries(request) {
                    response = try await limiter.withSlot(for: caller.name) { try await next(request, context) }
                } else {
                    response = try await next(request, context)
                }
            }
            Self.addSecurityHeaders(to: &response)
            log(request, context: context, status: response.status.code, since: started)
            return response
        } catch {
            // Every error, Hummingbird's own (no such route, a body too large) included, leaves
            // as {"error":{"code","message","status"}} with the same headers.
            let answer = Self.dashboardError(for: error, request: request)
            if answer.code == .internalError { logger.error("\(request.method) \(request.uri.path) failed: \(error)") }
            var response = json(answer, status: answer.status)
            if answer.code == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"sluice\"" }
            Self.addSecurityHeaders(to: &response)
            log(request, context: context, status: response.status.code, since: started)
            return response
        }
    }

    /// The error a client sees: a ``DashboardError`` as it is; Hummingbird's HTTP errors by their
    /// status; anything else as `internal` without its details (they go to the log).
    static func dashboardError(for error: any Error, request: Request) -> DashboardError {
        if let error = error as? DashboardError { return error }
        if let error = error as? any HTTPResponseError {
            switch error.status.code {
            case 404: return DashboardError(code: .notFound, message: "no such page or API route: \(request.uri.path)")
            case 413:
                return DashboardError(code: .tooLarge, message: "the request body is larger than this route accepts")
            case 400..<500: return DashboardError(code: .badRequest, message: "bad request (\(error.status))")
            default: break
            }
        }
        return DashboardError(code: .internalError, message: "the server failed to answer; see its log")
    }

    /// `Host`, `Origin` and `Sec-Fetch-Site`.
    func checkOrigin(_ request: Request) throws(DashboardError) {
        let authority = request.head.authority ?? ""
        guard hosts.allows(authority: authority) else {
            throw DashboardError(
                code: .forbiddenOrigin,
                message:
                    "this dashboard does not answer to the host name '\(authority)'; start it with --allow-host NAME to add one"
            )
        }
        if let origin = request.headers[.origin] {
            guard origin != "null" else {
                throw DashboardError(
                    code: .forbiddenOrigin,
                    message: "requests with 'Origin: null' (sandboxed frames, data: pages) are refused")
            }
            guard let originAuthority = Self.authority(ofOrigin: origin),
                originAuthority == authority.lowercased(), hosts.allows(authority: originAuthority)
            else {
                throw DashboardError(
                    code: .forbiddenOrigin, message: "cross-origin requests are refused (origin \(origin))")
            }
        }
        if request.method != .get, request.method != .head,
            let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none"
        {
            throw DashboardError(
                code: .forbiddenOrigin, message: "cross-site requests are refused (Sec-Fetch-Site: \(site))")
        }
    }

    /// `http://Host:8080` → `host:8080`; `nil` unless the scheme is http or https and nothing follows the authority.
    static func authority(ofOrigin origin: String) -> String? {
        let lowered = origin.lowercased()
        for scheme in ["http://", "https://"] where lowered.hasPrefix(scheme) {
            let authority = lowered.dropFirst(scheme.count)
            guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@") else { return nil }
            return String(authority)
        }
        return nil
    }

    /// The login form for a browser asking for a page, a JSON 401 for everything else.
    private func unauthenticated(_ request: Request) throws -> Response {
        if request.method == .get, ["/", "/report.html"].contains(request.uri.path) {
            return LoginPage.response(status: .unauthorized, message: nil)
        }
        var response = json(
            DashboardError(
                code: .unauthorized,
                message: "this dashboard needs an access token: send 'Authorization: Bearer TOKEN', or log in at /login"
            ),
            status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"sluice\""
        return response
    }

    /// Requests that change something (`POST /api/upload`, and any later state-changing API
    /// route such as a retry): every method but `GET` and `HEAD` under `/api/`.
    static func changesState(_ request: Request) -> Bool {
        request.method != .get && request.method != .head && request.uri.path.hasPrefix("/api/")
    }

    /// Routes open without a token: the login form itself.
    static func isPublic(_ request: Request) -> Bool {
        ["/login", "/logout"].contains(request.uri.path)
    }

    /// Routes that run SQL.
    static func runsQueries(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/" || path == "/report.html" || path == "/api/query" || path == "/schema"
            || path == "/api/schema"
            || (path.hasPrefix("/api/reports") && !path.hasSuffix(".sql"))
    }

    /// No sniffing, no framing, no referrer to other sites; the page itself may load nothing
    /// from anywhere but this server.
    static func addSecurityHeaders(to response: inout Response) {
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        let type = response.headers[.contentType] ?? ""
        if type.hasPrefix("text/html") {
            response.headers[.contentSecurityPolicy] = PageTemplates.contentSecurityPolicy
        } else if type.hasPrefix("image/svg+xml") {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        logger.info(
            "\(request.method) \(request.uri.path) \(status) \(milliseconds)ms",
            metadata: [
                "role": .string(context.caller?.roleName ?? "none"),
                "client": .string(context.caller?.name ?? context.remoteAddress),
                "remote": .string(context.remoteAddress),
            ])
    }
}

/// Who may use the dashboard: nobody needs a token on loopback without a token list; otherwise
/// a bearer token or a session cookie from the login form.
struct AccessControl: Sendable {
    /// The accepted tokens, `nil` when none were configured.
    let tokens: AccessTokens?
    /// Whether every request needs a token (the server is bound beyond loopback, or tokens were given).
    let requiresToken: Bool
    /// Open browser sessions.
    let sessions: SessionStore

    /// The caller of `request`: its role is `nil` when a token is required and none valid was sent.
    ///
    /// - Throws: ``DashboardError`` `unauthorized` for an `Authorization` header with a wrong token
    ///   (a wrong token is never silently ignored in favour of a cookie).
    func identify(_ request: Request, remoteAddress: String) throws(DashboardError) -> Caller {
        guard requiresToken else { return Caller(role: .upload, name: remoteAddress, isLocal: true) }
        if let header = request.headers[.authorization] {
            guard header.count > 7, header.prefix(7).lowercased() == "bearer ",
                let token = tokens?.match(header.dropFirst(7).trimmingCharacters(in: .whitespaces))
            else {
                throw DashboardError(
                    code: .unauthorized, message: "the access token is not valid (Authorization: Bearer TOKEN)")
            }
            return caller(for: token)
        }
        if let id = request.cookies[SessionStore.cookieName]?.value, let token = sessions.token(forSession: id) {
            return caller(for: token)
        }
        return Caller(role: nil, name: remoteAddress, isLocal: false)
    }

    /// The caller a token makes.
    func caller(for token: AccessToken) -> Caller {
        Caller(role: token.role, name: token.label, isLocal: false)
    }
}
