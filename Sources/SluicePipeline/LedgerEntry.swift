import SluiceWarehouse

/// What the ledger says became of a delivery.
public enum LedgerStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its rows are in the warehouse.
    case loaded
    /// Refused; the file and its reason report are in `failed/`.
    case rejected
    /// The same bytes were loaded before; nothing was loaded again.
    case duplicate
    /// Put off by a transient failure (a full disk, an I/O error); the file waits in the work
    /// area and the next run takes it again.
    case deferred
    /// Loaded, then taken back out with `forget`.
    case forgotten
}

/// One row of the ledger, as the read model gives it: paths are absolute (resolved against the
/// workspace, wherever it is now).
public struct LedgerEntry: Sendable, Hashable, Encodable {
    /// The ledger id (every warehouse row of the delivery carries it as `_ingest_id`).
    public var id: Int64
    /// When the outcome was recorded (ISO 8601, UTC).
    public var ingestedAt: String
    /// The outcome.
    public var status: LedgerStatus
    /// The file name as delivered, escaped where it is not printable.
    public var source: String
    /// SHA-256 of the file's bytes (empty when it was not read).
    public var sha256: String
    /// Size in bytes.
    public var size: Int
    /// Why it was rejected or deferred.
    public var reason: String?
    /// The one-line explanation.
    public var message: String
    /// What to do about a refusal.
    public var hint: String?
    /// The warehouse table it was loaded into.
    public var table: String
    /// Data rows read.
    public var rowsRead: Int
    /// Rows written to the warehouse.
    public var rowsLoaded: Int
    /// Rows dropped (missing values, repeated rows).
    public var rowsDropped: Int
    /// Rows refused.
    public var rowsRejected: Int
    /// Of the rows loaded, those that replaced a row of an earlier delivery with the same primary key.
    public var rowsReplaced: Int
    /// Rows not loaded because their primary key was loaded before (`on_conflict: ignore`).
    public var rowsIgnored: Int
    /// The reason report, if any.
    public var errorsReport: String?
    /// The refused rows of a partially loaded file, if any.
    public var rejectedRows: String?
    /// The `.scol` file of the loaded rows, if any.
    public var columnar: String?
    /// Where the input went afterwards.
    public var storedAt: String?
    /// For duplicates: the entry loaded earlier.
    public var duplicateOf: Int64?
    /// XXH64 digest of the rows as stored (see ``ContentDigest``), for loaded entries.
    public var contentDigest: String?

    static let columns = """
        id, ingested_at, status, source, sha256, size, reason, message, hint, target_table, rows_read, rows_loaded,
        rows_dropped_missing + rows_dropped_duplicate, rows_rejected, errors_report, rejected_rows, columnar, stored_at,
        duplicate_of, content_digest, rows_replaced, rows_ignored
        """

    init(_ statement: SQLiteStatement, resolve: (String) -> String) {
        func text(_ index: Int) -> String? {
            if case .text(let value) = statement.value(at: index) { return value }
            return nil
        }
        func int(_ index: Int) -> Int { Int(statement.int64(at: index)) }
        id = statement.int64(at: 0)
        ingestedAt = statement.text(at: 1)
        status = LedgerStatus(rawValue: statement.text(at: 2)) ?? .rejected
        source = statement.text(at: 3)
        sha256 = statement.text(at: 4)
        size = int(5)
        reason = text(6)
        message = statement.text(at: 7)
        hint = text(8)
        table = statement.text(at: 9)
        rowsRead = int(10)
        rowsLoaded = int(11)
        rowsDropped = int(12)
        rowsRejected = int(13)
        errorsReport = text(14).map(resolve)
        rejectedRows = text(15).map(resolve)
        columnar = text(16).map(resolve)
        storedAt = text(17).map(resolve)
        if case .integer(let earlier) = statement.value(at: 18) { duplicateOf = earlier }
        contentDigest = text(19)
        rowsReplaced = int(20)
        rowsIgnored = int(21)
    }

    private enum CodingKeys: String, CodingKey {
        case id, ingestedAt = "ingested_at", status, source, sha256, size, reason, message, hint, table,
            rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped", rowsRejected =
            "rows_rejected",
            errorsReport = "errors_report", rejectedRows = "rejected_rows", columnar, storedAt = "stored_at",
            duplicateOf = "duplicate_of", contentDigest = "content_digest", rowsReplaced = "rows_replaced",
            rowsIgnored = "rows_ignored"
    }
}

/// Files and rows with one status, over the whole ledger.
public struct LedgerTotals: Sendable, Hashable, Encodable {
    /// The status (`loaded`, `rejected`, …).
    public var status: String
    /// Entries with it.
    public var files: Int
    /// Rows read, loaded, dropped and rejected, summed.
    public var rowsRead: Int, rowsLoaded: Int, rowsDropped: Int, rowsRejected: Int
    /// The newest entry's time.
    public var last: String

    private enum CodingKeys: String, CodingKey {
        case status, files, rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped",
            rowsRejected = "rows_rejected", last
    }
}

/// The whole ledger summed up, as the dashboard's counters and `GET /api/ingests` show it.
public struct LedgerSummary: Sendable, Hashable, Encodable {
    /// Files recorded, and how each ended.
    public var files: Int64 = 0, loaded: Int64 = 0, rejected: Int64 = 0, duplicate: Int64 = 0
    /// Rows over all files.
    public var rowsRead: Int64 = 0, rowsLoaded: Int64 = 0, rowsDropped: Int64 = 0, rowsRejected: Int64 = 0
    /// ``rowsRejected`` split: bad rows refused from files that loaded (under `reject_rows`), and
    /// the rows of files rejected whole.
    public var rowsRejectedInLoadedFiles: Int64 = 0, rowsInRejectedFiles: Int64 = 0
    /// When a file was last loaded (ISO 8601, UTC), if ever.
    public var lastLoadedAt: String?

    /// Zero files, zero rows, never loaded.
    public init(
        files: Int64 = 0, loaded: Int64 = 0, rejected: Int64 = 0, duplicate: Int64 = 0, rowsRead: Int64 = 0,
        rowsLoaded: Int64 = 0, rowsDropped: Int64 = 0, rowsRejected: Int64 = 0
    ) {
        self.files = files
        self.loaded = loaded
        self.rejected = rejected
        self.duplicate = duplicate
        self.rowsRead = rowsRead
        self.rowsLoaded = rowsLoaded
        self.rowsDropped = rowsDropped
        self.rowsRejected = rowsRejected
    }

    private enum CodingKeys: String, CodingKey {
        case files, loaded, rejected, duplicate
        case rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped", rowsRejected =
            "rows_rejected"
        case rowsRejectedInLoadedFiles = "rows_rejected_in_loaded_files", rowsInRejectedFiles = "rows_in_rejected_files"
        case lastLoadedAt = "last_loaded_at"
    }
}
