import Foundation
import Hummingbird
import SluicePipeline

/// The quarantine's routes: the list, each file and its reason report, and retry.
///
/// | route | answer |
/// |---|---|
/// | `GET /api/quarantine` | `{"files":[…]}`: every file waiting in `failed/` (see ``QuarantinedFile``) |
/// | `GET /api/failed/NAME` | that file of `failed/` (a quarantined CSV, a `.rejected.csv`, an `.errors.json`) |
/// | `POST /api/retry?name=NAME` | moves it back to `inbox/` as `sluice retry NAME` does: `{"retried":[{"from","to","previous_report"}]}` |
///
/// Retry changes the workspace, so ``DashboardGate`` lets only the `upload` role (or a local
/// caller) send it, from the page's own origin; it is off with uploads (`--no-upload`).
struct QuarantineRoutes: Sendable {
    let workspace: Workspace
    let reader: WarehouseReader
    /// Whether retry is open (uploads are).
    let allowsRetry: Bool

    func register(on router: Router<DashboardRequestContext>) {
        router.get("/api/quarantine") { _, _ in
            struct Answer: Encodable { let files: [QuarantinedFile] }
            return json(Answer(files: try await reader.quarantine()))
        }
        router.get("/api/failed/{name}") { _, context in
            try file(named: try context.decodedParameter("name"))
        }
        router.post("/api/retry") { request, _ in
            guard allowsRetry else {
                throw DashboardError(
                    code: .uploadsDisabled, message: "retry is turned off with uploads on this server (--no-upload)")
            }
            guard let name = FormQuery(request.uri.query)["name"], !name.isEmpty else {
                throw DashboardError(code: .badRequest, message: "give the quarantined file as ?name=FILE")
            }
            guard workspace.quarantinedFiles().contains(name) else {
                throw DashboardError(code: .notFound, message: "\(name) is not waiting in failed/")
            }
            do {
                struct Answer: Encodable { let retried: [RetriedFile] }
                return json(Answer(retried: try workspace.retryQuarantined([name])))
            } catch let error as PipelineError {
                throw DashboardError(code: .internalError, message: error.message)
            }
        }
    }

    /// A file of `failed/` by its exact name: no path, not hidden, a regular file listed there.
    func file(named name: String) throws -> Response {
        let folder = workspace.layout.failed
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard !name.hasPrefix("."), !name.contains("/"), listed.contains(name) else {
            throw DashboardError(code: .notFound, message: "no file '\(name)' in failed/")
        }
        // Opened before answering, non-blocking and checked with fstat: a FIFO (or anything but a
        // regular file) planted in failed/ is refused at once instead of hanging the request.
        guard let file = RegularFileReader.openRegular(folder.appendingPathComponent(name).path) else {
            throw DashboardError(code: .notFound, message: "no regular file '\(name)' in failed/")
        }
        let isJSON = name.lowercased().hasSuffix(".json")
        var headers: HTTPFields = [
            .contentType: isJSON ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
            .cacheControl: "no-store",
        ]
        if !isJSON {
            let safe = name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0.value >= 0x20 ? Character($0) : "_" }
            headers[.contentDisposition] = "attachment; filename=\"\(String(safe))\""
        }
        headers[.contentLength] = "\(file.size)"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let handle = file.handle
                defer { try? handle.close() }
                var remaining = file.size
                while remaining > 0,
                    let chunk = try handle.read(upToCount: min(remaining, 64 * 1_024)), !chunk.isEmpty
                {
                    remaining -= chunk.count
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
    }
}
