/// How one input file ended: loaded, rejected (quarantined) or recognised as a duplicate.
public enum IngestStatus: String, Sendable, Hashable, Codable {
    /// Its rows are in the warehouse.
    case loaded
    /// Refused; a copy and its reason report are in `failed/`.
    case rejected
    /// The same bytes were loaded before; nothing was loaded again.
    case duplicate
    /// Put off by a transient failure (a full disk, an I/O error, a file that changed while it
    /// was read): nothing was loaded, the file waits in the work area, the next run takes it again.
    case deferred
}

/// Why a file was rejected; stable identifiers for scripts (`reason` in JSON).
public enum RejectionReason: String, Sendable, Hashable, Codable {
    /// The file is larger than `max_file_bytes`; it was quarantined without being read.
    case fileTooLarge = "file-too-large"
    /// The file could not be read (permissions); it was quarantined unread.
    case unreadable
    /// A FIFO, socket, device or other non-regular file: refused without being opened for reading.
    case notRegularFile = "not-a-regular-file"
    /// A symbolic link, and `follow_symlinks` is off: refused without being followed.
    case symbolicLink = "symbolic-link"
    /// The warehouse refused this file's rows (a constraint); nothing of it was loaded.
    case warehouseRefused = "warehouse-refused"
    /// Deferred: a transient I/O failure (full disk, I/O error) while handling this file.
    case ioError = "io-error"
    /// Deferred: the file changed (size, time or identity) while or after it was read.
    case changedWhileRead = "changed-while-read"
    /// The file is empty or holds only whitespace.
    case emptyFile = "empty-file"
    /// The file has a header but no data rows.
    case noDataRows = "no-data-rows"
    /// The file is not text (NUL bytes, or a gzip, zip, PDF… signature).
    case binaryFile = "binary-file"
    /// The bytes are not valid in the file's encoding.
    case invalidEncoding = "invalid-encoding"
    /// The delimiter, quote or header could not be told with confidence.
    case dialectError = "dialect-error"
    /// The CSV syntax is broken (an unterminated quote, a stray quote, …).
    case malformedCSV = "malformed-csv"
    /// A field is longer than the limit.
    case fieldTooLarge = "field-too-large"
    /// A record is longer than the limit.
    case lineTooLarge = "line-too-large"
    /// A record has more fields than the limit.
    case tooManyColumns = "too-many-columns"
    /// The header's column names do not match the schema.
    case headerMismatch = "header-mismatch"
    /// Some values break the schema's rules (`on_error: reject_file`).
    case invalidValues = "invalid-values"
    /// More rows are bad than `max_error_rate` allows (`on_error: reject_rows`).
    case tooManyErrors = "too-many-errors"
    /// Rows repeat a primary key, in the file or already loaded (`on_conflict: reject` with `on_error: reject_file`).
    case duplicateKey = "duplicate-key"
}

/// The outcome of ingesting one file, as printed by `sluice ingest --json` and kept in the ledger.
public struct IngestRecord: Sendable, Hashable, Encodable {
    /// The file name as delivered (`student-mat.csv`).
    public var source: String
    /// The full path the file was read from.
    public var sourcePath: String
    /// How it ended.
    public var status: IngestStatus
    /// Why it was rejected, when it was.
    public var reason: RejectionReason?
    /// A one-line human explanation.
    public var message: String
    /// SHA-256 of the file's bytes, 64 hex digits.
    public var sha256: String
    /// File size in bytes.
    public var size: Int
    /// Data rows read (the header not counted).
    public var rowsRead: Int
    /// Rows written to the warehouse.
    public var rowsLoaded: Int
    /// Rows dropped because a value was missing.
    public var rowsDroppedMissing: Int
    /// Rows dropped because an identical row came earlier in the same file.
    public var rowsDroppedDuplicate: Int
    /// Rows refused: bad rows under `reject_rows`, or every row not dropped of a rejected file.
    public var rowsRejected: Int
    /// Of the rows loaded, those that replaced a row with the same primary key loaded by an
    /// earlier delivery (`on_conflict: replace`); already counted in ``rowsLoaded``.
    public var rowsReplaced = 0
    /// Rows not loaded because a row with the same primary key was loaded before (`on_conflict: ignore`).
    public var rowsIgnored = 0
    /// How the file was read, once it got that far.
    public var dialect: DialectSummary?
    /// The header as read, normalised and mapped (renames by alias included), once read.
    public var header: ErrorReport.HeaderReport?
    /// What to do about a refusal.
    public var hint: String?
    /// Path of `failed/<name>.errors.json`, for rejected files and files with rejected rows.
    public var errorsReport: String?
    /// Path of `failed/<name>.rejected.csv`, when some rows were refused and the rest loaded.
    public var rejectedRowsFile: String?
    /// Path of `columnar/<name>-<sha8>.scol` holding the loaded rows, when written.
    public var columnarFile: String?
    /// Where the input went afterwards (archive or quarantine copy), when it was moved or copied.
    public var storedAt: String?
    /// The ledger row id.
    public var ledgerID: Int64?
    /// XXH64 digest of the rows as stored (see ``ContentDigest``), for loaded files.
    public var contentDigest: String?
    /// For duplicates: the ledger id of the earlier load.
    public var duplicateOf: Int64?

    /// Rows dropped for any reason: missing values plus in-file duplicates.
    public var rowsDropped: Int { rowsDroppedMissing + rowsDroppedDuplicate }

    /// Every row read is loaded, dropped, rejected or ignored, exactly once.
    public var balances: Bool { rowsRead == rowsLoaded + rowsDropped + rowsRejected + rowsIgnored }

    private enum CodingKeys: String, CodingKey {
        case source, status, rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped = "rows_dropped",
            errorsReport = "errors_report", reason, message, sha256, size, rowsDroppedMissing = "rows_dropped_missing",
            rowsDroppedDuplicate = "rows_dropped_duplicate", rowsRejected = "rows_rejected", sourcePath = "source_path",
            dialect, header, hint, rejectedRowsFile = "rejected_rows", balances = "rows_balance", columnarFile =
            "columnar",
            storedAt = "stored_at", ledgerID = "ledger_id", duplicateOf = "duplicate_of", contentDigest =
            "content_digest",
            rowsReplaced = "rows_replaced", rowsIgnored = "rows_ignored", lenientFields = "lenient_fields"
    }

    /// Fields read under `quote_policy: lenient` that strict reading refuses (from ``dialect``).
    public var lenientFields: Int { dialect?.lenientFields ?? 0 }

    /// Encodes with snake_case keys, the derived `rows_dropped` included, absent optionals as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(status, forKey: .status)
        try container.encode(rowsRead, forKey: .rowsRead)
        try container.encode(rowsLoaded, forKey: .rowsLoaded)
        try container.encode(rowsDropped, forKey: .rowsDropped)
        try container.encode(errorsReport, forKey: .errorsReport)
        try container.encode(reason, forKey: .reason)
        try container.encode(message, forKey: .message)
        try container.encode(rowsDroppedMissing, forKey: .rowsDroppedMissing)
        try container.encode(rowsDroppedDuplicate, forKey: .rowsDroppedDuplicate)
        try container.encode(rowsRejected, forKey: .rowsRejected)
        try container.encode(rowsReplaced, forKey: .rowsReplaced)
        try container.encode(rowsIgnored, forKey: .rowsIgnored)
        try container.encode(lenientFields, forKey: .lenientFields)
        try container.encode(balances, forKey: .balances)
        try container.encode(dialect, forKey: .dialect)
        try container.encode(header, forKey: .header)
        try container.encode(hint, forKey: .hint)
        try container.encode(rejectedRowsFile, forKey: .rejectedRowsFile)
        try container.encode(columnarFile, forKey: .columnarFile)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(size, forKey: .size)
        try container.encode(sourcePath, forKey: .sourcePath)
        try container.encode(storedAt, forKey: .storedAt)
        try container.encode(ledgerID, forKey: .ledgerID)
        try container.encode(duplicateOf, forKey: .duplicateOf)
        try container.encode(contentDigest, forKey: .contentDigest)
    }
}

/// Totals over several ingested files, for `sluice ingest --json`.
public struct IngestTotals: Sendable, Hashable, Encodable {
    /// Files looked at.
    public var files = 0
    /// Files whose rows were loaded.
    public var loaded = 0
    /// Files quarantined.
    public var rejected = 0
    /// Files recognised as already loaded.
    public var duplicate = 0
    /// Files put off by a transient failure, left for the next run.
    public var deferred = 0
    /// Data rows read over all files.
    public var rowsRead = 0
    /// Rows written to the warehouse.
    public var rowsLoaded = 0
    /// Rows dropped (missing values, in-file duplicates).
    public var rowsDropped = 0
    /// Rows refused.
    public var rowsRejected = 0
    /// Loaded rows that replaced an earlier delivery's row with the same primary key.
    public var rowsReplaced = 0
    /// Rows not loaded because their primary key was loaded before.
    public var rowsIgnored = 0

    /// Sums `records`.
    public init(_ records: [IngestRecord] = []) {
        for record in records { add(record) }
    }

    /// Counts one more record.
    public mutating func add(_ record: IngestRecord) {
        files += 1
        switch record.status {
        case .loaded: loaded += 1
        case .rejected: rejected += 1
        case .duplicate: duplicate += 1
        case .deferred: deferred += 1
        }
        rowsRead += record.rowsRead
        rowsLoaded += record.rowsLoaded
        rowsDropped += record.rowsDropped
        rowsRejected += record.rowsRejected
        rowsReplaced += record.rowsReplaced
        rowsIgnored += record.rowsIgnored
    }

    private enum CodingKeys: String, CodingKey {
        case files, loaded, rejected, duplicate, deferred, rowsRead = "rows_read", rowsLoaded = "rows_loaded",
            rowsDropped = "rows_dropped", rowsRejected = "rows_rejected", rowsReplaced = "rows_replaced", rowsIgnored =
            "rows_ignored"
    }
}
