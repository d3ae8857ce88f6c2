import Foundation
import Hummingbird
import ServiceLifecycle
import SluiceWarehouse

/// The dashboard's routes and their shapes. Every JSON body is compact, with sorted keys and a
/// trailing newline (``ResultFormatter/json(_:)``), like the CLI's JSON. Query strings are read
/// as forms send them (`+` is a space, see ``FormQuery``).
///
/// | route | answer |
/// |---|---|
/// | `GET /` | the live dashboard (HTML); `/?sql=…` opens it with that SQL in the box, run; `?history_offset=N` pages the history |
/// | `GET /report.html` | the self-contained report, as `sluice report --format html` writes it |
/// | `GET /schema`, `GET /api/schema` | the schema (types, rules, descriptions) and the warehouse's tables, as a page or `{"schema","tables"}` |
/// | `GET /events` | `text/event-stream`: `event: change` + `data: {"generation":N}` when the warehouse changes |
/// | `GET /api/reports` | `{"reports":[{"name","title","description","columns","rows"}]}` = `sluice report --format json` |
/// | `GET /api/reports/NAME` | one `{"name","title","description","columns","rows"}` (name or unique prefix) |
/// | `GET /api/reports/NAME.csv`, `.json` | the same as a download (`Content-Disposition: attachment`) |
/// | `GET /api/reports/NAME.sql` | the report's SQL file, as text |
/// | `GET /api/ingests?limit=N&offset=M` | `{"ingests":[…],"offset","totals":{…}}`, newest first (see ``IngestHistory``) |
/// | `GET /api/query?sql=…&max_rows=N` | `{"columns","rows","truncated","max_rows"}`; `&format=csv` or `json` downloads it, `&format=svg` draws it as bars |
/// | `POST /api/upload?name=FILE.csv` | body = the CSV; 201 `{"name","path","size"}` |
///
/// Errors are `{"error":{"code","message","status"}}` with the status of ``DashboardError/Code/httpStatus``.
struct DashboardRoutes: Sendable {
    let reader: WarehouseReader
    let feed: ChangeFeed
    let renderer: PageRenderer
    /// Whether the page shows a "Log out" button (the server requires tokens).
    let signsOut: Bool
    /// `nil` when uploads are turned off.
    let upload: InboxUpload?

    func register(on router: Router<DashboardRequestContext>) {
        router.get("/") { request, context in
            let mayUpload = upload != nil && context.caller?.role?.mayUpload == true
            let query = FormQuery(request.uri.query)
            let mode = PageRenderer.Mode.live(uploads: mayUpload, signsOut: signsOut, sql: query["sql"])
            let offset = max(0, try integer(request, "history_offset") ?? 0)
            return html(renderer.render(await reader.snapshot(historyOffset: offset), mode: mode))
        }
        router.get("/report.html") { _, _ in html(renderer.render(await reader.snapshot(), mode: .report)) }
        router.get("/events") { _, context in try events(for: context.caller?.name ?? "") }
        router.get("/schema") { _, _ in
            html(try await reader.schemaOverview().html(workspaceName: reader.workspace.layout.root.lastPathComponent))
        }
        router.get("/api/schema") { _, _ in json(try await reader.schemaOverview()) }
        router.get("/api/reports") { _, _ in
            text(try await reader.renderReports(), type: "application/json")
        }
        router.get("/api/reports/{name}") { _, context in
            var name = try context.decodedParameter("name")
            var format = DownloadFormat?.none
            for candidate in DownloadFormat.allCases where name.hasSuffix(".\(candidate.rawValue)") {
                format = candidate
                name.removeLast(candidate.rawValue.count + 1)
            }
            guard let format else {
                return text(try await reader.renderReport(named: name, as: .json).body, type: "application/json")
            }
            if format == .sql {
                return text(try await reader.sql(ofReportNamed: name), type: "text/plain")
            }
            let (fullName, body) = try await reader.renderReport(named: name, as: format)
            return download(body, format: format, fileName: fullName)
        }
        router.get("/api/ingests") { request, _ in
            let limit = try integer(request, "limit") ?? 100
            let offset = max(0, try integer(request, "offset") ?? 0)
            return json(try await reader.history(limit: min(max(limit, 1), 10_000), offset: offset))
        }
        router.get("/api/query") { request, _ in
            let query = FormQuery(request.uri.query)
            guard let sql = query["sql"], !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { throw DashboardError(code: .badRequest, message: "give the SQL as ?sql=SELECT…") }
            let maxRows = max(1, try integer(request, "max_rows") ?? reader.limits.maxRows ?? 1_000)
            let format: DownloadFormat?
            switch query["format"] {
            case nil: format = nil
            case "csv": format = .csv
            case "json": format = .json
            case "svg":
                return text(try await reader.chart(query: sql, maxRows: maxRows), type: "image/svg+xml")
            case let other?:
                throw DashboardError(code: .badRequest, message: "format must be csv, json or svg, not '\(other)'")
            }
            let body = try await reader.render(query: sql, maxRows: maxRows, as: format ?? .json)
            guard let format else { return text(body, type: "application/json") }
            return download(body, format: format, fileName: "query")
        }
        router.post("/api/upload") { request, _ in
            guard let upload else {
                throw DashboardError(
                    code: .uploadsDisabled, message: "uploads are turned off on this server (--no-upload)")
            }
            let name = try InboxUpload.validate(name: FormQuery(request.uri.query)["name"])
            let length = request.headers[.contentLength].flatMap { Int($0) }
            return json(try await upload.store(request.body, as: name, declaredLength: length), status: .created)
        }
    }

    /// The SSE response: a `retry` hint and a `hello`, then one event per change until the
    /// client leaves, the server shuts down, or the same client opens more than its share (then
    /// its oldest stream ends). 429 `too-many-requests` when the server holds all the streams it
    /// keeps (``ChangeFeed/Limits``).
    private func events(for client: String) throws -> Response {
        guard let stream = feed.subscribe(for: client) else {
            throw DashboardError(
                code: .tooManyRequests,
                message:
                    "the server already keeps \(feed.limits.total) live-update streams open; try again later, or reload the page by hand"
            )
        }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let generation = await reader.changeGeneration()
                try await writer.write(
                    ByteBuffer(string: "retry: 2000\nevent: hello\ndata: {\"generation\":\(generation)}\n\n"))
                for await event in stream.cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(string: ChangeFeed.serverSentText(for: event)))
                }
                try await writer.finish(nil)
            })
    }

    private func integer(_ request: Request, _ name: String) throws -> Int? {
        guard let text = FormQuery(request.uri.query)[name] else { return nil }
        guard let value = Int(text) else {
            throw DashboardError(code: .badRequest, message: "\(name) must be a whole number, not '\(text)'")
        }
        return value
    }
}

/// The files a result can be downloaded as.
enum DownloadFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header line.
    case csv
    /// The JSON the API serves.
    case json
    /// A report's SQL text.
    case sql
}

/// A result as a file download (`Content-Disposition: attachment; filename="NAME.csv"`).
func download(_ body: String, format: DownloadFormat, fileName: String) -> Response {
    var response = text(body, type: format == .csv ? "text/csv" : "application/json")
    let safe = fileName.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    response.headers[.contentDisposition] =
        "attachment; filename=\"\(safe.isEmpty ? "result" : safe).\(format.rawValue)\""
    return response
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
