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
    static func list(in workspace: Workspace, warehouse: ReadOnlyWarehouse?) throws -> [QuarantinedFile] {
        let failed = workspace.layout.failed
        let names = workspace.quarantinedFiles()
        guard !names.isEmpty else { return [] }
        var entries: [String: [SQLiteValue]] = [:]
        // The ledger stores paths relative to the workspace (`failed/x.csv`); older ledgers, absolute.
        let root = workspace.layout.root
        let prefixes = [failed.path + "/", failed.lastPathComponent + "/"]
        if let warehouse, try warehouse.hasTable(IngestHistory.table) {
            let likes = prefixes.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "%'" }
            let filter = likes.flatMap { ["stored_at LIKE \($0)", "rejected_rows LIKE \($0)"] }.joined(separator: " OR ")
            let rows = try warehouse.query("""
                SELECT id, source, status, reason, message, hint, rows_read, rows_rejected, ingested_at,
                       errors_report, stored_at, rejected_rows
                FROM \(IngestHistory.table)
                WHERE \(filter)
                ORDER BY id
                """, maxRows: 1_000_000).rows
            for row in rows {  // later entries win: a file quarantined again after a retry
                for column in [10, 11] {
                    guard case .text(let path) = row[column], let prefix = prefixes.first(where: { path.hasPrefix($0) }) else { continue }
                    entries[String(path.dropFirst(prefix.count))] = row
                }
            }
        }
        let resolve = { (path: String) -> String in path.hasPrefix("/") ? path : root.appendingPathComponent(path).path }
        let files = names.map { name -> QuarantinedFile in
            let row = entries[name]
            let isRows = row.map { text($0, 11).map(resolve) == failed.appendingPathComponent(name).path }
                ?? name.hasSuffix(".rejected.csv")
            let report = row.flatMap { text($0, 9) }.map(resolve)
            return QuarantinedFile(
                name: name, kind: isRows ? "rejected-rows" : "rejected", source: row.flatMap { text($0, 1) } ?? name,
                reason: isRows ? nil : row.flatMap { text($0, 3) }, message: row.flatMap { text($0, 4) },
                hint: row.flatMap { text($0, 5) }, firstError: report.flatMap(IngestHistory.firstError(inReport:)),
                errorsReport: report.map { URL(fileURLWithPath: $0).lastPathComponent }
                    .flatMap { FileManager.default.fileExists(atPath: failed.appendingPathComponent($0).path) ? $0 : nil },
                rowsRead: row.map { integer($0, 6) } ?? 0, rowsRejected: row.map { integer($0, 7) } ?? 0,
                ingestedAt: row.flatMap { text($0, 8) })
        }
        return files.sorted { ($0.ingestedAt ?? "", $0.name) > ($1.ingestedAt ?? "", $1.name) }
    }

    private static func text(_ row: [SQLiteValue], _ index: Int) -> String? {
        guard index < row.count, case .text(let value) = row[index] else { return nil }
        return value
    }

    private static func integer(_ row: [SQLiteValue], _ index: Int) -> Int64 {
        guard index < row.count, case .integer(let value) = row[index] else { return 0 }
        return value
    }
}
