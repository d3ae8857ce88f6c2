import Foundation
import Hummingbird

/// `POST /api/upload?name=FILE.csv`: streams the request body into the inbox under a hidden
/// temporary name (`.upload-<uuid>.part`, which the ingestor skips), then renames it to `FILE.csv`
/// once complete, so an ingest never sees half a file.
///
/// Refused: names with a path (`/`, `\`), hidden names, names not ending in `.csv`, control
/// characters, names over 255 bytes (400); bodies over `maxBytes` (413, the partial file is
/// removed); a name already waiting in the inbox (409, nothing is overwritten).
struct InboxUpload: Sendable {
    /// The inbox folder.
    let inbox: URL
    /// The largest body accepted.
    let maxBytes: Int

    /// What the client gets back (HTTP 201): `{"name","path","size"}`.
    struct Receipt: Encodable, Sendable {
        var name: String
        var path: String
        var size: Int
    }

    /// Checks an upload's file name.
    static func validate(name: String?) throws -> String {
        guard let name, !name.isEmpty else {
            throw DashboardError(code: .badRequest, message: "give the file name as ?name=FILE.csv")
        }
        let problem: String? =
            if name.contains("/") || name.contains("\\") { "a name, not a path" }
            else if name.hasPrefix(".") { "a name that does not start with '.'" }
            else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { "a name without control characters" }
            else if name.utf8.count > 255 { "a name of at most 255 bytes" }
            else if !name.lowercased().hasSuffix(".csv") || name.count <= 4 { "a name ending in .csv" }
            else { nil }
        if let problem {
            throw DashboardError(code: .badRequest, message: "refused upload name '\(name)': expected \(problem)")
        }
        return name
    }

    /// Writes the body to a temporary file in the inbox, then renames it into place.
    func store(_ body: RequestBody, as name: String, declaredLength: Int?) async throws -> Receipt {
        if let declaredLength, declaredLength > maxBytes { throw tooLarge() }
        let fileManager = FileManager.default
        let final = inbox.appendingPathComponent(name)
        guard !fileManager.fileExists(atPath: final.path) else { throw conflict(name) }
        let temporary = inbox.appendingPathComponent(".upload-\(UUID().uuidString).part")
        guard fileManager.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary)
        else {
            throw DashboardError(code: .internalError, message: "cannot create a file in \(inbox.path)")
        }
        var size = 0
        do {
            defer { try? handle.close() }
            for try await buffer in body {
                size += buffer.readableBytes
                if size > maxBytes { throw tooLarge() }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
            try handle.synchronize()
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
        do {
            // Fails when the name was taken meanwhile: never overwrite a waiting file.
            try fileManager.moveItem(at: temporary, to: final)
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw fileManager.fileExists(atPath: final.path)
                ? conflict(name)
                : DashboardError(code: .internalError, message: "cannot move the upload into \(inbox.path): \(error.localizedDescription)")
        }
        return Receipt(name: name, path: final.path, size: size)
    }

    private func tooLarge() -> DashboardError {
        DashboardError(code: .tooLarge, message: "the upload is larger than the limit of \(maxBytes) bytes")
    }

    private func conflict(_ name: String) -> DashboardError {
        DashboardError(code: .conflict, message: "\(name) is already waiting in the inbox; upload it under another name")
    }
}
