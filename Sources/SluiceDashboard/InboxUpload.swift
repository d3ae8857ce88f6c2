import Foundation
import Hummingbird

/// `POST /api/upload?name=FILE.csv`: streams the request body into the inbox under a hidden
/// temporary name (`.upload-<uuid>.part`, which the ingestor skips), then renames it to `FILE.csv`
/// once complete, so an ingest never sees half a file.
///
/// Refused: names outside a safe set (see ``validate(name:)``: no path, control, bidi or
/// invisible characters), hidden names, names not ending in `.csv`, names over 255 bytes (400);
/// bodies over `maxBytes` (413, the partial file is removed); a name already waiting in the inbox
/// (409, nothing is overwritten).
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

    /// The punctuation an upload name may hold besides letters, digits and combining marks.
    static let allowedPunctuation: Set<Unicode.Scalar> = [
        " ", ".", "-", "_", "(", ")", "[", "]", "+", ",", "@", "=", "~", "#",
    ]

    /// Checks an upload's file name against a safe set: letters, digits and combining marks of any
    /// script, the ASCII space and ``allowedPunctuation``. So no path (`/`, `\`, `:`), no control
    /// characters, no invisible formatting (bidi overrides U+202A–U+202E and isolates
    /// U+2066–U+2069, marks U+200E/U+200F, zero-width characters), no other spaces or line
    /// separators; not hidden (a leading `.`), no leading or trailing space, ending in `.csv`,
    /// at most 255 bytes.
    static func validate(name: String?) throws -> String {
        guard let name, !name.isEmpty else {
            throw DashboardError(code: .badRequest, message: "give the file name as ?name=FILE.csv")
        }
        let scalars = name.unicodeScalars
        let problem: String? =
            if name.contains("/") || name.contains("\\") || name.contains(":") {
                "a name, not a path"
            } else if let bad = scalars.first(where: { !isAllowed($0) }) {
                "a name without the character U+\(hex(bad))"
            } else if name.hasPrefix(".") {
                "a name that does not start with '.'"
            } else if name.hasPrefix(" ") || name.hasSuffix(" ") {
                "a name that does not start or end with a space"
            } else if name.utf8.count > 255 {
                "a name of at most 255 bytes"
            } else if !name.lowercased().hasSuffix(".csv") || name.count <= 4 { "a name ending in .csv" } else { nil }
        if let problem {
            let shown = String(String.UnicodeScalarView(scalars.map { isAllowed($0) ? $0 : "?" }))
            throw DashboardError(code: .badRequest, message: "refused upload name '\(shown)': expected \(problem)")
        }
        return name
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if allowedPunctuation.contains(scalar) { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Writes the body to a temporary file in the inbox, then renames it into place.
    func store(_ body: RequestBody, as name: String, declaredLength: Int?) async throws -> Receipt {
        if let declaredLength, declaredLength > maxBytes { throw tooLarge() }
        let fileManager = FileManager.default
        let final = inbox.appendingPathComponent(name)
        guard !Self.nameIsTaken(final) else { throw conflict(name) }
        let temporary = inbox.appendingPathComponent(".upload-\(UUID().uuidString).part")
        guard fileManager.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else {
            throw DashboardError(code: .internalError, message: "cannot create a file in \(inbox.path)")
        }
        var size = 0
        do {
            defer { try? handle.close() }
            var parts = body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await parts.next()
                } catch {
                    // The body itself was broken (a malformed chunk, a cut connection): the client's fault.
                    throw DashboardError(code: .badRequest, message: "the upload's body could not be read: \(error)")
                }
                guard let buffer = next else { break }
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
            throw Self.nameIsTaken(final)
                ? conflict(name)
                : DashboardError(
                    code: .internalError,
                    message: "cannot move the upload into \(inbox.path): \(error.localizedDescription)")
        }
        return Receipt(name: name, path: final.path, size: size)
    }

    /// Whether something is at `url` already, a symbolic link (even a dangling one) included:
    /// `lstat`, not `fileExists`, which follows links and says no for a dangling one.
    private static func nameIsTaken(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil
    }

    private func tooLarge() -> DashboardError {
        DashboardError(code: .tooLarge, message: "the upload is larger than the limit of \(maxBytes) bytes")
    }

    private func conflict(_ name: String) -> DashboardError {
        DashboardError(
            code: .conflict, message: "\(name) is already waiting in the inbox; upload it under another name")
    }
}
