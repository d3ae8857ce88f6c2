import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluicePipeline
import SluiceWarehouse

/// `sluice serve`: the live, read-only dashboard and its JSON API, on Hummingbird 2.
///
/// ```swift
/// let server = DashboardServer(workspace: workspace, configuration: .init(port: 8080), logger: logger)
/// try await server.run()   // until SIGINT or SIGTERM
/// ```
/// Routes: `GET /` (the dashboard), `GET /report.html` (the self-contained report),
/// `GET /events` (Server-Sent Events), `GET /api/reports`, `GET /api/reports/NAME[.csv|.json|.sql]`,
/// `GET /api/ingests`, `GET /api/query?sql=…[&format=csv]`, `POST /api/upload?name=FILE.csv`, and
/// the login form (`GET`/`POST /login`, `POST /logout`). See ``DashboardRoutes`` for their shapes
/// and ``DashboardGate`` for who may call them.
///
/// On loopback without tokens, anyone on this machine may use it. Bound beyond loopback (or given
/// tokens), every request needs an access token (``AccessTokens``); ``Configuration/validate()``
/// refuses a configuration beyond loopback without one.
public struct DashboardServer: Sendable {
    /// How the server runs.
    public struct Configuration: Sendable {
        /// The address to bind: loopback unless asked otherwise.
        public var host: String
        /// The port (0 picks a free one).
        public var port: Int
        /// Bounds on every query.
        public var limits: ReadOnlyWarehouse.Limits
        /// Whether `POST /api/upload` is open.
        public var allowUploads: Bool
        /// The largest upload accepted.
        public var maxUploadBytes: Int
        /// How often the warehouse is checked for changes.
        public var pollInterval: Duration
        /// Ingest files as they land in the inbox, from the server process (``InboxWatcherService``).
        public var watchInbox: Bool
        /// More host names the dashboard answers to, besides loopback's and ``host`` (`--allow-host`).
        public var allowedHosts: [String]
        /// The access tokens; required beyond loopback, optional on it (then required there too).
        public var tokens: AccessTokens?
        /// Most queries one client may have in flight (running or waiting) at once.
        public var maxClientQueries: Int
        /// Most live-update streams (`/events`) kept per client (a new one ends the oldest) and in all.
        public var eventStreams: ChangeFeed.Limits = .init()
        /// How long a browser session from the login form lasts.
        public var sessionLifetime: Duration

        /// Creates a configuration; the defaults bind `127.0.0.1:8080`, allow 64 MiB uploads, do
        /// not watch, need no token and let each client have 4 queries in flight.
        public init(
            host: String = "127.0.0.1", port: Int = 8080, limits: ReadOnlyWarehouse.Limits = .init(),
            allowUploads: Bool = true, maxUploadBytes: Int = 64 << 20, pollInterval: Duration = .milliseconds(500),
            watchInbox: Bool = false, allowedHosts: [String] = [], tokens: AccessTokens? = nil,
            maxClientQueries: Int = 4, sessionLifetime: Duration = .seconds(12 * 3_600)
        ) {
            self.host = host
            self.port = port
            self.limits = limits
            self.allowUploads = allowUploads
            self.maxUploadBytes = maxUploadBytes
            self.pollInterval = pollInterval
            self.watchInbox = watchInbox
            self.allowedHosts = allowedHosts
            self.tokens = tokens
            self.maxClientQueries = maxClientQueries
            self.sessionLifetime = sessionLifetime
        }

        /// Whether the server listens on this machine's loopback interface only.
        public var isLoopback: Bool { HostPolicy.isLoopbackBindAddress(host) }

        /// Whether every request needs a token: beyond loopback always, on loopback when tokens were given.
        public var requiresToken: Bool { !isLoopback || tokens != nil }

        /// Checks the configuration before anything is bound.
        ///
        /// - Throws: ``DashboardError`` `bad-request`: beyond loopback without a token, a wildcard
        ///   address (`0.0.0.0`) without `--allow-host`, or a malformed `--allow-host`.
        public func validate() throws(DashboardError) {
            _ = try HostPolicy(bindHost: host, allowedHosts: allowedHosts)
            if !isLoopback, tokens == nil {
                throw DashboardError(
                    code: .badRequest,
                    message:
                        "serving beyond loopback (--host \(host)) needs access tokens: give --token-file FILE (lines ROLE:TOKEN) or set SLUICE_TOKEN"
                )
            }
            if HostPolicy.isWildcard(host), allowedHosts.isEmpty {
                throw DashboardError(
                    code: .badRequest,
                    message:
                        "--host \(host) listens on every address; name the host names clients use with --allow-host NAME (repeatable)"
                )
            }
        }
    }

    /// The workspace served.
    public let workspace: Workspace
    /// How it runs.
    public let configuration: Configuration
    /// Server and request log.
    public let logger: Logger
    /// Where the inbox watcher logs (the workspace's `sluice.log` from the CLI).
    public let ingestLogger: Logger

    /// Creates a server; nothing is opened or bound until ``run(onServerRunning:)``.
    public init(
        workspace: Workspace, configuration: Configuration = .init(), logger: Logger, ingestLogger: Logger? = nil
    ) {
        self.workspace = workspace
        self.configuration = configuration
        self.logger = logger
        self.ingestLogger = ingestLogger ?? logger
    }

    /// The Hummingbird application: routes behind ``DashboardGate``, the warehouse monitor and,
    /// with `watchInbox`, the inbox watcher. Tests run it with `app.test(.live)`.
    ///
    /// - Parameter onServerRunning: Called with the bound port once the server listens.
    /// - Throws: ``DashboardError`` when ``Configuration/validate()`` refuses the configuration.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        try configuration.validate()
        let reader = WarehouseReader(workspace: workspace, limits: configuration.limits)
        let feed = ChangeFeed(limits: configuration.eventStreams)
        let access = AccessControl(
            tokens: configuration.tokens, requiresToken: configuration.requiresToken,
            sessions: SessionStore(lifetime: configuration.sessionLifetime))
        let routes = DashboardRoutes(
            reader: reader, feed: feed, renderer: PageRenderer(), signsOut: configuration.requiresToken,
            upload: configuration.allowUploads
                ? InboxUpload(inbox: workspace.layout.inbox, maxBytes: configuration.maxUploadBytes) : nil)
        let router = Router(context: DashboardRequestContext.self)
        router.add(
            middleware: DashboardGate(
                hosts: try HostPolicy(bindHost: configuration.host, allowedHosts: configuration.allowedHosts),
                access: access, limiter: ClientLimiter(limit: configuration.maxClientQueries), logger: logger))
        LoginPage.register(on: router, access: access)
        routes.register(on: router)
        QuarantineRoutes(workspace: workspace, reader: reader, allowsRetry: configuration.allowUploads).register(
            on: router)
        var services: [any Service] = [
            WarehouseMonitor(reader: reader, feed: feed, interval: configuration.pollInterval)
        ]
        if configuration.watchInbox {
            services.append(InboxWatcherService(workspace: workspace, logger: ingestLogger, announcer: logger))
        }
        return Application(
            router: router,
            server: .http1(
                configuration: .init(additionalChannelHandlers: [MalformedRequestResponder(logger: logger)])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully (open event streams are ended).
    ///
    /// - Throws: ``DashboardError`` when ``Configuration/validate()`` refuses the configuration.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }
}
