import Foundation
import SluicePipeline
import SluiceWarehouse

/// One row of the ingest ledger (`sluice_ingests`), as served by `GET /api/ingests`.
public struct IngestEntry: Sendable, Hashable, Encodable {
    /// The ledger id.
    public var id: Int64
    /// The file name as delivered.
    public var source: String
    /// `loaded`, `rejected` or `duplicate`.
    public var status: String
    /// Why it was rejected (`invalid-values`, `binary-file`, …), if it was.
    public var reason: String?
    /// The one-line outcome.
    public var message: String
    /// What to do about a refusal.
    public var hint: String?
    /// The first problem listed in the file's reason report (`line 3, column age: value 25 is above …`).
    public var firstError: String?
    /// File size in bytes.
    public var size: Int64
    /// Row counts.
    public var rowsRead: Int64, rowsLoaded: Int64, rowsDropped: Int64, rowsRejected: Int64
    /// When it was recorded (ISO 8601, UTC).
    public var ingestedAt: String
    /// The reason report, the quarantined or archived copy.
    public var errorsReport: String?, storedAt: String?

    private enum CodingKeys: String, CodingKey {
        case id, source, status, reason, message, hint, size
        case firstError = "first_error", rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped"
        case rowsRejected = "rows_rejected", ingestedAt = "ingested_at", errorsReport = "errors_report", storedAt = "stored_at"
    }
}

/// Totals over the whole ledger.
public struct IngestLedgerTotals: Sendable, Hashable, Encodable {
    /// Files recorded, and how each ended.
    public var files: Int64 = 0, loaded: Int64 = 0, rejected: Int64 = 0, duplicate: Int64 = 0
    /// Rows over all files.
    public var rowsRead: Int64 = 0, rowsLoaded: Int64 = 0, rowsDropped: Int64 = 0, rowsRejected: Int64 = 0
    /// ``rowsRejected`` split: bad rows refused from files that loaded (under `reject_rows`), and
    /// the rows of files rejected whole.
    public var rowsRejectedInLoadedFiles: Int64 = 0, rowsInRejectedFiles: Int64 = 0
    /// When a file was last loaded (ISO 8601, UTC), if ever.
    public var lastLoadedAt: String?

    private enum CodingKeys: String, CodingKey {
        case files, loaded, rejected, duplicate
        case rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped", rowsRejected = "rows_rejected"
        case rowsRejectedInLoadedFiles = "rows_rejected_in_loaded_files", rowsInRejectedFiles = "rows_in_rejected_files"
        case lastLoadedAt = "last_loaded_at"
    }
}

extension IngestLedgerTotals {
    /// Zero files, zero rows, never loaded.
    public static var empty: IngestLedgerTotals { IngestLedgerTotals() }
}

/// The ingest ledger read back: newest entries first, and the totals. Served by `GET /api/ingests`
/// as `{"ingests":[…],"totals":{…}}`.
public struct IngestHistory: Sendable, Hashable, Encodable {
    /// The most recent entries, newest first (after skipping ``offset``).
    public var ingests: [IngestEntry]
    /// How many of the newest entries were skipped (paging).
    public var offset: Int = 0
    /// Totals over every entry.
    public var totals: IngestLedgerTotals

    /// The ledger's table name.
    static let table = "sluice_ingests"

    /// An empty history (no ledger yet).
    public init(ingests: [IngestEntry] = [], totals: IngestLedgerTotals = .empty) {
        self.ingests = ingests
        self.totals = totals
    }

    /// Reads the ledger through the guarded read-only connection.
    ///
    /// - Parameters:
    ///   - limit: Most entries listed (totals always cover all of them).
    ///   - offset: Newest entries skipped, for paging.
    ///   - root: The workspace folder, which the ledger's paths are relative to.
    public init(from warehouse: ReadOnlyWarehouse, limit: Int = 100, offset: Int = 0, root: URL? = nil) throws {
        self.init()
        self.offset = max(0, offset)
        guard try warehouse.hasTable(Self.table) else { return }
        let totalsRow = try warehouse.query("""
            SELECT COUNT(*), TOTAL(status = 'loaded'), TOTAL(status = 'rejected'), TOTAL(status = 'duplicate'),
                   TOTAL(rows_read), TOTAL(rows_loaded), TOTAL(rows_dropped_missing + rows_dropped_duplicate),
                   TOTAL(rows_rejected), MAX(CASE WHEN status = 'loaded' THEN ingested_at END),
                   TOTAL(CASE WHEN status = 'loaded' THEN rows_rejected END),
                   TOTAL(CASE WHEN status = 'rejected' THEN rows_rejected END)
            FROM \(Self.table)
            """).rows.first ?? []
        let number = { (index: Int) -> Int64 in Self.integer(totalsRow, index) }
        totals = IngestLedgerTotals(
            files: number(0), loaded: number(1), rejected: number(2), duplicate: number(3), rowsRead: number(4),
            rowsLoaded: number(5), rowsDropped: number(6), rowsRejected: number(7), rowsRejectedInLoadedFiles: number(9),
            rowsInRejectedFiles: number(10), lastLoadedAt: Self.text(totalsRow, 8))
        let rows = try warehouse.query("""
            SELECT id, source, status, reason, message, hint, size, rows_read, rows_loaded,
                   rows_dropped_missing + rows_dropped_duplicate, rows_rejected, ingested_at, errors_report, stored_at
            FROM \(Self.table) ORDER BY id DESC LIMIT \(max(1, limit)) OFFSET \(self.offset)
            """, maxRows: max(1, limit)).rows
        let resolve = { (path: String) -> String in
            guard let root, !path.hasPrefix("/") else { return path }
            return root.appendingPathComponent(path).path
        }
        ingests = rows.map { row in
            IngestEntry(
                id: Self.integer(row, 0), source: Self.text(row, 1) ?? "", status: Self.text(row, 2) ?? "",
                reason: Self.text(row, 3), message: Self.text(row, 4) ?? "", hint: Self.text(row, 5),
                firstError: Self.text(row, 12).map(resolve).flatMap(Self.firstError(inReport:)), size: Self.integer(row, 6),
                rowsRead: Self.integer(row, 7), rowsLoaded: Self.integer(row, 8), rowsDropped: Self.integer(row, 9),
                rowsRejected: Self.integer(row, 10), ingestedAt: Self.text(row, 11) ?? "", errorsReport: Self.text(row, 12).map(resolve),
                storedAt: Self.text(row, 13).map(resolve))
        }
    }

    /// The rejected entries among ``ingests``.
    public var rejected: [IngestEntry] { ingests.filter { $0.status == "rejected" } }

    /// The first error of a reason report (`failed/<name>.errors.json`), as one line.
    static func firstError(inReport path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let report = try? JSONDecoder().decode(ErrorReport.self, from: data),
              let first = report.errors.first
        else { return nil }
        var place = "line \(first.line)"
        if let column = first.column { place += ", column \(column)" }
        return "\(place): \(first.message)"
    }

    private static func integer(_ row: [SQLiteValue], _ index: Int) -> Int64 {
        guard index < row.count else { return 0 }
        switch row[index] {
        case .integer(let value): return value
        case .real(let value): return Int64(value)
        default: return 0
        }
    }

    private static func text(_ row: [SQLiteValue], _ index: Int) -> String? {
        guard index < row.count, case .text(let value) = row[index] else { return nil }
        return value
    }
}
