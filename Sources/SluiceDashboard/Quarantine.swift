import Foundation
import SluicePipeline
import SluiceWarehouse

/// One file waiting in `failed/`: a rejected delivery, or the `.rejected.csv` of rows refused from
/// a file that otherwise loaded, with what the ledger says about it.
///
/// Served by `GET /api/quarantine` as `{"files":[…]}` and listed on the page, every one of them
/// however many files were loaded since (the recent-history window does not limit it).
public struct QuarantinedFile: Sendable, Hashable, Encodable {
    /// The file name in `failed/`.
    public var name: String
    /// `rejected` (the whole delivery was refused) or `rejected-rows` (rows refused from a file that loaded).
    public var kind: String
    /// The delivery's name as it arrived.
    public var source: String
    /// Why it was refused (`invalid-values`, …); `nil` for refused rows or when the ledger has no entry.
    public var reason: String?
    /// The ledger's one-line outcome.
    public var message: String?
    /// What to do about it.
    public var hint: String?
    /// The first problem of its reason report.
    public var firstError: String?
    /// The reason report's file name in `failed/`, when there is one.
    public var errorsReport: String?
    /// Rows in the delivery, and rows refused (every row of a rejected file that was not dropped).
    public var rowsRead: Int64, rowsRejected: Int64
    /// When the ledger recorded it (ISO 8601, UTC); `nil` without a ledger entry.
    public var ingestedAt: String?

    private enum CodingKeys: String, CodingKey {
        case name, kind, source, reason, message, hint
        case firstError = "first_error", errorsReport = "errors_report", rowsRead = "rows_read"
        case rowsRejected = "rows_rejected", ingestedAt = "ingested_at"
    }

    /// Every file in the workspace's `failed/` that `sluice retry` could move back, newest first,
    /// each matched with the latest ledger entry that put it there (by its path, in
    /// `stored_at` or `rejected_rows`).
    static func list(in workspace: Workspace, ledger: Ledger?) throws -> [QuarantinedFile] {
        let failed = workspace.layout.failed
        let names = workspace.quarantinedFiles()
        guard !names.isEmpty else { return [] }
        var entries: [String: LedgerEntry] = [:]
        let prefix = failed.standardizedFileURL.path + "/"
        // Later entries win: a file quarantined again after a retry.
        for entry in try ledger?.entries(storedIn: failed) ?? [] {
            for path in [entry.storedAt, entry.rejectedRows].compactMap({ $0 }) where path.hasPrefix(prefix) {
                entries[String(path.dropFirst(prefix.count))] = entry
            }
        }
        let files = names.map { name -> QuarantinedFile in
            let entry = entries[name]
            let isRows = entry.map { $0.rejectedRows == prefix + name } ?? name.hasSuffix(".rejected.csv")
            let report = entry?.errorsReport
            return QuarantinedFile(
                name: name, kind: isRows ? "rejected-rows" : "rejected", source: entry?.source ?? name,
                reason: isRows ? nil : entry?.reason, message: entry?.message, hint: entry?.hint,
                firstError: report.flatMap(IngestHistory.firstError(inReport:)),
                errorsReport: report.map { URL(fileURLWithPath: $0).lastPathComponent }
                    .flatMap {
                        FileManager.default.fileExists(atPath: failed.appendingPathComponent($0).path) ? $0 : nil
                    },
                rowsRead: Int64(entry?.rowsRead ?? 0), rowsRejected: Int64(entry?.rowsRejected ?? 0),
                ingestedAt: entry?.ingestedAt)
        }
        return files.sorted { ($0.ingestedAt ?? "", $0.name) > ($1.ingestedAt ?? "", $1.name) }
    }
}
