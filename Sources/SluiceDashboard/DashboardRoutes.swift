import Foundation
import Hummingbird
import ServiceLifecycle
import SluiceWarehouse

/// The dashboard's routes and their shapes. Every JSON body is compact, with sorted keys and a
/// trailing newline (``ResultFormatter/json(_:)``), like the CLI's JSON.
///
/// | route | answer |
/// |---|---|
/// | `GET /` | the live dashboard (HTML) |
/// | `GET /report.html` | the self-contained report, as `sluice report --format html` writes it |
/// | `GET /events` | `text/event-stream`: `event: change` + `data: {"generation":N}` when the warehouse changes |
/// | `GET /api/reports` | `{"reports":[{"name","title","description","columns","rows"}]}` = `sluice report --format json` |
/// | `GET /api/reports/NAME` | one `{"name","title","description","columns","rows"}` (name or unique prefix) |
/// | `GET /api/ingests?limit=N` | `{"ingests":[…],"totals":{…}}`, newest first (see ``IngestHistory``) |
/// | `GET /api/query?sql=…&max_rows=N` | `{"columns","rows","truncated","max_rows"}` |
/// | `POST /api/upload?name=FILE.csv` | body = the CSV; 201 `{"name","path","size"}` |
///
/// Errors are `{"error":{"code","message","status"}}` with the status of ``DashboardError/Code/httpStatus``.
struct DashboardRoutes: Sendable {
    let reader: WarehouseReader
    let feed: ChangeFeed
    let renderer: PageRenderer
    /// `nil` when uploads are turned off.
    let upload: InboxUpload?

    /// `{"columns","rows","truncated","max_rows"}`.
    struct QueryAnswer: Encodable {
        let result: QueryResult
        let maxRows: Int
        private enum CodingKeys: String, CodingKey { case columns, rows, truncated, maxRows = "max_rows" }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(result.columns, forKey: .columns)
            try container.encode(result.rows, forKey: .rows)
            try container.encode(result.isTruncated, forKey: .truncated)
            try container.encode(maxRows, forKey: .maxRows)
        }
    }

    func register(on router: Router<some RequestContext>) {
        router.get("/") { _, _ in html(renderer.render(await reader.snapshot(), mode: .live(uploads: upload != nil))) }
        router.get("/report.html") { _, _ in html(renderer.render(await reader.snapshot(), mode: .report)) }
        router.get("/events") { _, _ in events() }
        router.get("/api/reports") { _, _ in
            text(ResultFormatter.render(try await reader.reports(), as: .json), type: "application/json")
        }
        router.get("/api/reports/{name}") { _, context in
            json(try await reader.report(named: try context.parameters.require("name")))
        }
        router.get("/api/ingests") { request, _ in
            let limit = try integer(request, "limit") ?? 100
            return json(try await reader.history(limit: min(max(limit, 1), 10_000)))
        }
        router.get("/api/query") { request, _ in
            guard let sql = request.uri.queryParameters["sql"].map(String.init),
                  !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { throw DashboardError(code: .badRequest, message: "give the SQL as ?sql=SELECT…") }
            let maxRows = try integer(request, "max_rows") ?? reader.limits.maxRows
            let result = try await reader.query(sql, maxRows: max(1, maxRows))
            return json(QueryAnswer(result: result, maxRows: min(max(1, maxRows), reader.limits.maxRows)))
        }
        router.post("/api/upload") { request, _ in
            guard let upload else {
                throw DashboardError(code: .uploadsDisabled, message: "uploads are turned off on this server (--no-upload)")
            }
            let name = try InboxUpload.validate(name: request.uri.queryParameters["name"].map(String.init))
            let length = request.headers[.contentLength].flatMap { Int($0) }
            return json(try await upload.store(request.body, as: name, declaredLength: length), status: .created)
        }
    }

    /// The SSE response: a `retry` hint and a `hello`, then one event per change until the
    /// client leaves or the server shuts down.
    private func events() -> Response {
        let stream = feed.subscribe()
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let generation = await reader.changeGeneration()
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: hello\ndata: {\"generation\":\(generation)}\n\n"))
            for await event in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: ChangeFeed.serverSentText(for: event)))
            }
            try await writer.finish(nil)
        })
    }

    private func integer(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int(text) else {
            throw DashboardError(code: .badRequest, message: "\(name) must be a whole number, not '\(text)'")
        }
        return value
    }
}

/// A UTF-8 text response.
func text(_ body: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status, headers: [.contentType: "\(type); charset=utf-8", .cacheControl: "no-store"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
}

/// An HTML page.
func html(_ page: String) -> Response { text(page, type: "text/html") }

/// A value as JSON, encoded like the CLI's (sorted keys, trailing newline).
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    text(ResultFormatter.json(value), type: "application/json", status: status)
}

extension DashboardError: HTTPResponseError {
    /// The HTTP status of ``code``.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    /// The error as `{"error":{"code","message","status"}}`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        json(self, status: status)
    }
}
