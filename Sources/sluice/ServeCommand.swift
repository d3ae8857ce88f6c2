#if Dashboard
    import ArgumentParser
    import Dispatch
    import Foundation
    import Logging
    import SluiceDashboard
    import SluicePipeline
    import Synchronization

    /// `sluice serve`: the live, read-only dashboard and its JSON API.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract:
                "Serve the live, read-only dashboard: the saved reports as charts, the ingest history, a SQL box.",
            discussion: """
                Open http://127.0.0.1:8080/ (the default). The page updates itself when
                files are loaded, whoever loads them (Server-Sent Events at /events). JSON
                API:
                  GET  /api/reports            same as `sluice report --format json`
                  GET  /api/reports/NAME       one report (NAME.csv, NAME.json: downloads;
                                               NAME.sql: its SQL)
                  GET  /api/ingests            the ingest ledger, newest first, with totals
                  GET  /api/query?sql=…        one read-only query (time-, row- and
                                               size-limited; &format=csv|json downloads)
                  POST /api/upload?name=F.csv  the body lands in inbox/ (temp name + rename)
                  GET  /report.html            the self-contained HTML report
                Queries run on a read-only connection behind an SQLite authorizer: writes,
                ATTACH, setting pragmas and load_extension are refused with HTTP 403.

                --watch also runs the event-driven inbox pipeline (as `sluice watch` does)
                in this process, so files dropped into inbox/ load and the page follows.
                Without it, run `sluice ingest` or `sluice watch` yourself.

                Binds 127.0.0.1 unless --host says otherwise. Beyond loopback every request
                needs an access token, from --token-file (lines ROLE:TOKEN [LABEL], roles
                read and upload) or SLUICE_TOKEN: browsers log in at /login (a session
                cookie), scripts send "Authorization: Bearer TOKEN". Only `upload` tokens
                may upload. The server answers only to localhost, 127.0.0.1, [::1], the
                --host name and each --allow-host name. Put it behind a TLS reverse proxy
                (README). Every request is logged to stderr with its role.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "The address to listen on (beyond loopback, tokens are required).")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on (0 picks a free one).")
        var port = 8080

        @Option(
            name: .customLong("allow-host"),
            help: ArgumentHelp(
                "Another host name clients reach the server by (repeatable); with --host 0.0.0.0 at least one.",
                valueName: "name"))
        var allowedHosts: [String] = []

        @Option(
            help: ArgumentHelp(
                "Access tokens, one per line: ROLE:TOKEN [LABEL] (roles read, upload). Also read: SLUICE_TOKEN.",
                valueName: "file"))
        var tokenFile: String?

        @Flag(help: "Also load files as they land in inbox/ (the `sluice watch` pipeline, in this process).")
        var watch = false

        @Flag(help: "Refuse POST /api/upload.")
        var noUpload = false

        @Option(help: "Largest upload accepted, in bytes (at most the workspace's max_file_bytes).")
        var maxUploadBytes = 64 << 20

        @Option(help: "Time limit of one query, including writing its answer, in seconds.")
        var queryTimeout = 5.0

        @Option(help: "Most rows one ad-hoc query returns.")
        var maxRows = 1_000

        @Option(help: "Largest query result, in bytes (as JSON).")
        var maxResultBytes = 8 << 20

        @Option(help: "Most queries one client (token, or address without tokens) may have in flight.")
        var maxClientQueries = 4

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard maxUploadBytes > 0 else { throw ValidationError("--max-upload-bytes must be at least 1") }
            guard queryTimeout > 0 else { throw ValidationError("--query-timeout must be positive") }
            guard maxRows > 0 else { throw ValidationError("--max-rows must be at least 1") }
            guard maxResultBytes >= 1_024 else { throw ValidationError("--max-result-bytes must be at least 1024") }
            guard maxClientQueries > 0 else { throw ValidationError("--max-client-queries must be at least 1") }
        }

        func run() async throws {
            try await withExitCodesAsync {
                let workspace = try options.open()
                let configuration: DashboardServer.Configuration
                do {
                    configuration = DashboardServer.Configuration(
                        host: host, port: port,
                        limits: .init(
                            timeLimit: .milliseconds(Int64(queryTimeout * 1_000)), maxRows: maxRows,
                            maxResultBytes: maxResultBytes),
                        allowUploads: !noUpload, maxUploadBytes: min(maxUploadBytes, workspace.config.maxFileBytes),
                        watchInbox: watch, allowedHosts: allowedHosts,
                        tokens: try AccessTokens.load(
                            file: tokenFile, environment: ProcessInfo.processInfo.environment),
                        maxClientQueries: maxClientQueries)
                    try configuration.validate()
                } catch let error as DashboardError {
                    throw CLIError(message: error.message, exitCode: 2)
                }
                let ingestLogger = workspaceLogger(workspace)
                if watch {
                    // Fail now, with exit 2, on a configuration the watcher could not load with
                    // (another writer may hold the workspace: the watcher then waits its turn).
                    do {
                        _ = try Ingestor(workspace: workspace, logger: ingestLogger, lockPolicy: .noWait)
                    } catch let error as PipelineError where error.code == .workspaceLocked {}
                }
                // Server notices and one line per request (with the caller's role) on stderr.
                var logger = Logger(label: "sluice.serve")
                logger.logLevel = .info
                let server = DashboardServer(
                    workspace: workspace, configuration: configuration, logger: logger,
                    ingestLogger: ingestLogger)
                let host = self.host
                let watching = watch
                let inbox = workspace.layout.inbox.path
                let access =
                    configuration.requiresToken
                    ? "Access tokens required (\(configuration.tokens?.tokens.count ?? 0) configured); browsers log in at /login."
                    : "No token needed: loopback only."
                try await server.run { port in
                    let shownHost = host.contains(":") ? "[\(host)]" : host
                    let follow =
                        watching
                        ? "Watching \(inbox): files dropped there load, and the page follows."
                        : "Load files with `sluice ingest` or `sluice watch`; the page follows."
                    // Unbuffered, so a script reading our output sees the address at once.
                    FileHandle.standardOutput.write(
                        Data("Dashboard: http://\(shownHost):\(port)/   (Ctrl-C to stop)\n\(follow)\n\(access)\n".utf8))
                }
            }
        }
    }
#endif
