import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import SluiceDashboard
import SluicePipeline
import SluiceTestSupport
import Synchronization
import Testing

/// Serving a team: tokens with roles, the login form's cookie, per-client limits, the request log.
struct DashboardAccessTests {
    static let readSecret = "read-0123456789abcdef"
    static let uploadSecret = "upload-fedcba9876543210"
    static let tokens = try! AccessTokens(
        parsing: """
            # who may use the dashboard
            read:\(readSecret)  analyst
            upload:\(uploadSecret)
            """, source: "tokens.txt")

    private func withServer(
        _ configuration: DashboardServer.Configuration = .init(port: 0, tokens: tokens),
        logger: Logger = DashboardFixture.logger,
        _ body: @Sendable (Workspace, Int, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let app = try DashboardServer(workspace: workspace, configuration: configuration, logger: logger)
                .makeApplication()
            try await app.test(.live) { client in
                try await body(workspace, try #require(client.port), client)
            }
        }
    }

    private func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

    @Test func withoutATokenEverythingIs401() async throws {
        try await withServer { _, _, client in
            for uri in ["/api/reports", "/api/reports/q1.csv", "/api/ingests", "/api/query?sql=SELECT+1", "/events"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .unauthorized, "\(uri) → \(response.status)")
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"sluice\"")
                #expect(String(buffer: response.body).contains("\"code\":\"unauthorized\""))
            }
            let upload = try await client.execute(
                uri: "/api/upload?name=a.csv", method: .post, body: ByteBuffer(string: "a\n1\n"))
            #expect(upload.status == .unauthorized)
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .unauthorized)
            #expect(String(buffer: page.body).contains("action=\"/login\""))
            #expect(!String(buffer: page.body).contains("Ingest history"))
            let wrong = try await client.execute(
                uri: "/api/reports", method: .get, headers: bearer("read-0123456789abcdeX"))
            #expect(wrong.status == .unauthorized)
            let prefix = try await client.execute(
                uri: "/api/reports", method: .get, headers: bearer(String(Self.readSecret.dropLast())))
            #expect(prefix.status == .unauthorized)
        }
    }

    @Test func aReadTokenReadsButCannotUpload() async throws {
        try await withServer { workspace, _, client in
            let reports = try await client.execute(uri: "/api/reports", method: .get, headers: bearer(Self.readSecret))
            #expect(reports.status == .ok)
            let query = try await client.execute(
                uri: "/api/query?sql=SELECT+COUNT(*)+FROM+student_data", method: .get, headers: bearer(Self.readSecret))
            #expect(String(buffer: query.body).contains("[[395]]"))
            let page = try await client.execute(uri: "/", method: .get, headers: bearer(Self.readSecret))
            #expect(page.status == .ok)
            #expect(!String(buffer: page.body).contains("id=\"upload-form\""))
            #expect(String(buffer: page.body).contains("action=\"/logout\""))

            let csv = try DashboardFixture.sample(rows: 3)
            let upload = try await client.execute(
                uri: "/api/upload?name=a.csv", method: .post, headers: bearer(Self.readSecret),
                body: ByteBuffer(string: csv))
            #expect(upload.status == .forbidden)
            #expect(String(buffer: upload.body).contains("\"code\":\"forbidden\""))
            #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.layout.inbox.path).isEmpty)

            let uploaded = try await client.execute(
                uri: "/api/upload?name=a.csv", method: .post, headers: bearer(Self.uploadSecret),
                body: ByteBuffer(string: csv))
            #expect(uploaded.status == .created)
            let uploaderPage = try await client.execute(uri: "/", method: .get, headers: bearer(Self.uploadSecret))
            #expect(String(buffer: uploaderPage.body).contains("id=\"upload-form\""))
        }
    }

    @Test func theLoginFormSetsAStrictHttpOnlyCookie() async throws {
        try await withServer { _, port, client in
            let form = try await client.execute(uri: "/login", method: .get)
            #expect(form.status == .ok)
            #expect(String(buffer: form.body).contains("type=\"password\""))

            let wrong = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=nope-nope-nope-nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)

            let login = try await RawHTTP.request(
                "POST", "/login", port: port, host: "localhost:\(port)",
                headers: ["Origin: http://localhost:\(port)", "Content-Type: application/x-www-form-urlencoded"],
                body: "token=\(Self.readSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(login.status == 303)
            #expect(login.header("Location") == "/")
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(cookie.hasPrefix("sluice_session="))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains(Self.readSecret))
            let session = String(cookie.split(separator: ";")[0])

            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Ingest history"))
            let upload = try await client.execute(
                uri: "/api/upload?name=b.csv", method: .post, headers: [.cookie: session],
                body: ByteBuffer(string: "a\n1\n"))
            #expect(upload.status == .forbidden)

            let forged = try await client.execute(
                uri: "/api/ingests", method: .get,
                headers: [.cookie: "sluice_session=\(String(repeating: "0", count: 64))"])
            #expect(forged.status == .unauthorized)

            let logout = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: session])
            #expect(logout.status == .seeOther)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/api/ingests", method: .get, headers: [.cookie: session])
            #expect(after.status == .unauthorized)
        }
    }

    @Test func beyondLoopbackATokenIsRequired() throws {
        #expect(throws: DashboardError.self) { try DashboardServer.Configuration(host: "192.0.2.10").validate() }
        #expect(throws: DashboardError.self) {
            try DashboardServer.Configuration(host: "0.0.0.0", tokens: Self.tokens).validate()
        }
        #expect(throws: DashboardError.self) { try DashboardServer.Configuration(host: "dash.example.com").validate() }
        try DashboardServer.Configuration(host: "0.0.0.0", allowedHosts: ["dash.example.com"], tokens: Self.tokens)
            .validate()
        try DashboardServer.Configuration(host: "192.0.2.10", tokens: Self.tokens).validate()
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1"] {
            let configuration = DashboardServer.Configuration(host: host)
            try configuration.validate()
            #expect(!configuration.requiresToken, "\(host)")
        }
        #expect(DashboardServer.Configuration(host: "127.evil.example", tokens: nil).requiresToken)
        #expect(DashboardServer.Configuration(host: "127.0.0.1", tokens: Self.tokens).requiresToken)
    }

    @Test func serveRefusesToStartBeyondLoopbackWithoutATokenFile() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root, load: false)
            let refused = try runSluice(["serve", "-w", workspace.layout.root.path, "--host", "0.0.0.0", "--port", "0"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("--token-file"), "\(refused.stderr)")
            let weak = root.appendingPathComponent("weak.txt")
            try "read:short\n".write(to: weak, atomically: true, encoding: .utf8)
            let weakRun = try runSluice([
                "serve", "-w", workspace.layout.root.path, "--token-file", weak.path, "--port", "0",
            ])
            #expect(weakRun.status == 2)
            #expect(weakRun.stderr.contains("weak.txt:1"), "\(weakRun.stderr)")
        }
    }

    @Test func eachClientHasALimitedNumberOfQueriesInFlight() async throws {
        let configuration = DashboardServer.Configuration(
            port: 0, limits: .init(timeLimit: .milliseconds(3_000)), tokens: Self.tokens, maxClientQueries: 1)
        try await withServer(configuration) { _, port, client in
            let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
            let encoded = slow.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            // Four slow queries at once from one client with one slot: they overlap, so the
            // ones that find the slot taken are refused, and at least one runs to its time limit.
            let replies = try await withThrowingTaskGroup(of: RawHTTP.Reply.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await RawHTTP.request(
                            "GET", "/api/query?sql=\(encoded)", port: port,
                            headers: ["Authorization: Bearer \(Self.readSecret)"])
                    }
                }
                // Another client is not held up by the analyst's limit.
                let other = try await client.execute(
                    uri: "/api/ingests", method: .get, headers: bearer(Self.uploadSecret))
                #expect(other.status == .ok)
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let codes = replies.map { $0.errorCode ?? "\($0.status)" }
            #expect(codes.contains("too-many-requests"), "\(codes)")
            #expect(codes.contains("time-limit"), "\(codes)")
            #expect(codes.allSatisfy { $0 == "too-many-requests" || $0 == "time-limit" }, "\(codes)")
            let afterwards = try await client.execute(
                uri: "/api/query?sql=SELECT+1", method: .get, headers: bearer(Self.readSecret))
            #expect(afterwards.status == .ok)
        }
    }

    @Test func everyRequestIsLoggedWithItsRole() async throws {
        let records = RecordingLogHandler.Records()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        logger.logLevel = .info
        try await withServer(logger: logger) { _, _, client in
            _ = try await client.execute(uri: "/api/ingests", method: .get, headers: bearer(Self.readSecret))
            _ = try await client.execute(
                uri: "/api/upload?name=x.csv", method: .post, headers: bearer(Self.readSecret),
                body: ByteBuffer(string: "x"))
            _ = try await client.execute(uri: "/api/reports?sql=secret", method: .get)
        }
        let lines = records.lines
        #expect(lines.contains("GET /api/ingests 200 role=read client=analyst"), "\(lines)")
        #expect(lines.contains("POST /api/upload 403 role=read client=analyst"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("GET /api/reports 401 role=none") }, "\(lines)")
        #expect(!lines.joined().contains(Self.readSecret) && !lines.joined().contains("secret"))
    }

    @Test func tokenFilesAreParsedStrictly() throws {
        #expect(Self.tokens.tokens.map(\.role) == [.read, .upload])
        #expect(Self.tokens.tokens.map(\.label) == ["analyst", "tokens.txt:3"])
        #expect(Self.tokens.match(Self.uploadSecret)?.role == .upload)
        #expect(Self.tokens.match(Self.uploadSecret + "x") == nil)
        #expect(Self.tokens.match("") == nil)
        #expect(try AccessTokens(parsing: "0123456789abcdef0\n", source: "t").tokens.first?.role == .read)
        #expect(throws: DashboardError.self) { try AccessTokens(parsing: "admin:0123456789abcdef0", source: "t") }
        #expect(throws: DashboardError.self) { try AccessTokens(parsing: "read:short", source: "t") }
        #expect(throws: DashboardError.self) { try AccessTokens(parsing: "# nothing\n\n", source: "t") }
        #expect(throws: DashboardError.self) {
            try AccessTokens(parsing: "read:0123456789abcdef0\nupload:0123456789abcdef0", source: "t")
        }
        let environment = try #require(
            try AccessTokens.load(file: nil, environment: ["SLUICE_TOKEN": "upload:0123456789abcdef0\n"]))
        #expect(environment.tokens.map(\.label) == ["SLUICE_TOKEN"] && environment.tokens[0].role == .upload)
        #expect(try AccessTokens.load(file: nil, environment: [:]) == nil)
        #expect(AccessTokens.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!AccessTokens.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!AccessTokens.constantTimeEqual(Array("abc".utf8), Array("ab".utf8)))
        #expect(!AccessTokens.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
    }
}

/// Keeps log lines as `MESSAGE role=R client=C`, without the duration.
struct RecordingLogHandler: LogHandler {
    final class Records: Sendable {
        private let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var lines: [String] { storage.withLock { $0 } }
    }

    let records: Records
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let words = event.message.description.split(separator: " ")
        guard words.count == 4, words[3].hasSuffix("ms") else { return }  // request lines only
        let role = event.metadata?["role"].map { "\($0)" } ?? "?"
        let client = event.metadata?["client"].map { "\($0)" } ?? "?"
        records.append("\(words[0]) \(words[1]) \(words[2]) role=\(role) client=\(client)")
    }
}
