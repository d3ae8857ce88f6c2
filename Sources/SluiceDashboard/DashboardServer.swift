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
/// `GET /events` (Server-Sent Events), `GET /api/reports`, `GET /api/reports/NAME`,
/// `GET /api/ingests`, `GET /api/query?sql=…`, `POST /api/upload?name=FILE.csv`.
/// See ``DashboardRoutes`` for their shapes.
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

        /// Creates a configuration; the defaults bind `127.0.0.1:8080`, allow 64 MiB uploads and do not watch.
        public init(host: String = "127.0.0.1", port: Int = 8080, limits: ReadOnlyWarehouse.Limits = .init(),
                    allowUploads: Bool = true, maxUploadBytes: Int = 64 << 20, pollInterval: Duration = .milliseconds(500),
                    watchInbox: Bool = false) {
            self.host = host
            self.port = port
            self.limits = limits
            self.allowUploads = allowUploads
            self.maxUploadBytes = maxUploadBytes
            self.pollInterval = pollInterval
            self.watchInbox = watchInbox
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
    public init(workspace: Workspace, configuration: Configuration = .init(), logger: Logger, ingestLogger: Logger? = nil) {
        self.workspace = workspace
        self.configuration = configuration
        self.logger = logger
        self.ingestLogger = ingestLogger ?? logger
    }

    /// The Hummingbird application: routes, the warehouse monitor and, with `watchInbox`,
    /// the inbox poller. Tests run it with `app.test(.live)`.
    ///
    /// - Parameter onServerRunning: Called with the bound port once the server listens.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let reader = WarehouseReader(workspace: workspace, limits: configuration.limits)
        let feed = ChangeFeed()
        let routes = DashboardRoutes(
            reader: reader, feed: feed, renderer: PageRenderer(),
            upload: configuration.allowUploads
                ? InboxUpload(inbox: workspace.layout.inbox, maxBytes: configuration.maxUploadBytes) : nil)
        let router = Router()
        router.add(middleware: RequestOriginMiddleware(loopbackOnly: Self.isLoopback(configuration.host)))
        routes.register(on: router)
        var services: [any Service] = [WarehouseMonitor(reader: reader, feed: feed, interval: configuration.pollInterval)]
        if configuration.watchInbox {
            services.append(InboxWatcherService(workspace: workspace, logger: ingestLogger))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully (open event streams are ended).
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }

    /// Whether `host` names this machine's loopback interface.
    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }
}
