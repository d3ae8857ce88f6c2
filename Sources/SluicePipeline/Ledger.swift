import Foundation
import SluiceWarehouse

/// The ingest ledger: one row per delivery outcome in the warehouse table `sluice_ingests`, and
/// the one place that reads or writes it.
///
/// It records each file's content hash, name, size, outcome, row counts and a digest of the
/// rows as stored. A loaded file's ledger row commits in the same transaction as its data rows,
/// and a partial unique index on `(target_table, sha256)` of loaded files makes a second
/// delivery of the same bytes into the same table a recorded no-op. Paths are stored relative to
/// the workspace (absolute only for files outside it), so a workspace can be copied or moved.
///
/// Writing is the ``Ingestor``'s (it holds the workspace lock); reading is for anyone, through
/// ``Ledger/openReadOnly(_:)``: ``totals()``, ``recent(limit:offset:)``, ``entry(id:)``,
/// ``entries(status:)``. Every statement is reset after use, so no read snapshot outlives a call.
public final class Ledger {
    /// The ledger table's name.
    public static let tableName = "sluice_ingests"
    /// The column that ties each warehouse row to its ledger entry.
    public static let ingestIDColumn = "_ingest_id"
    /// The ledger's layout version, kept in the warehouse's `PRAGMA user_version`.
    static let version: Int64 = 4

    let warehouse: Warehouse
    /// The workspace folder, which stored paths are relative to.
    let root: String
    /// The select list of ``LedgerEntry``, once worked out (see ``entryColumns``).
    var entryColumnsCache: String?

    init(warehouse: Warehouse, root: URL) {
        self.warehouse = warehouse
        self.root = root.standardizedFileURL.path
    }

    /// Opens the ledger of `workspace` read-only (a connection of its own that never waits for
    /// the writer), or returns `nil` when nothing was ingested yet.
    public static func openReadOnly(_ workspace: Workspace) throws -> Ledger? {
        let path = workspace.layout.warehouse.path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let warehouse = try Warehouse(path: path, readOnly: true)
        let ledger = Ledger(warehouse: warehouse, root: workspace.layout.root)
        guard try warehouse.columns(ofTable: tableName) != nil else { return nil }
        return ledger
    }

    // MARK: Creating and migrating

    private static let createStatement = """
        CREATE TABLE IF NOT EXISTS \(tableName) (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            source TEXT NOT NULL,
            source_path TEXT NOT NULL,
            size INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('loaded', 'rejected', 'duplicate', 'deferred', 'forgotten')),
            reason TEXT,
            message TEXT NOT NULL,
            target_table TEXT NOT NULL,
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            rows_read INTEGER NOT NULL,
            rows_loaded INTEGER NOT NULL,
            rows_dropped_missing INTEGER NOT NULL,
            rows_dropped_duplicate INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            dialect TEXT,
            header TEXT,
            hint TEXT,
            errors_report TEXT,
            rejected_rows TEXT,
            columnar TEXT,
            stored_at TEXT,
            duplicate_of INTEGER REFERENCES \(tableName)(id),
            content_digest TEXT,
            rows_replaced INTEGER NOT NULL DEFAULT 0,
            rows_ignored INTEGER NOT NULL DEFAULT 0
        ) STRICT
        """

    private static let indexStatements = """
        DROP INDEX IF EXISTS \(tableName)_loaded_sha256;
        CREATE UNIQUE INDEX IF NOT EXISTS \(tableName)_loaded_table_sha256 ON \(tableName)(target_table, sha256) WHERE status = 'loaded';
        CREATE INDEX IF NOT EXISTS \(tableName)_sha256 ON \(tableName)(sha256);
        CREATE INDEX IF NOT EXISTS \(tableName)_totals ON \(tableName)(status, ingested_at, rows_read, rows_loaded, rows_dropped_missing, rows_dropped_duplicate, rows_rejected);
        CREATE INDEX IF NOT EXISTS \(tableName)_quarantine ON \(tableName)(id) WHERE \(mayHoldQuarantinedFile);
        """

    /// True for the entries that can have put a file into `failed/`: every entry but a plain
    /// load (a load with refused rows has `rejected_rows`). The quarantine index holds only
    /// these, so listing `failed/` reads a handful of entries, not the whole ledger.
    static let mayHoldQuarantinedFile = "status <> 'loaded' OR rejected_rows IS NOT NULL"

    /// The whole ledger summed up; every column it reads is in the `_totals` index, so it scans
    /// that index (a few MB at 100,000 entries), not the entries with their dialect and header JSON.
    package static let summarySQL = """
        SELECT COUNT(*), TOTAL(status = 'loaded'), TOTAL(status = 'rejected'), TOTAL(status = 'duplicate'),
               TOTAL(rows_read), TOTAL(rows_loaded), TOTAL(rows_dropped_missing + rows_dropped_duplicate),
               TOTAL(rows_rejected), MAX(CASE WHEN status = 'loaded' THEN ingested_at END),
               TOTAL(CASE WHEN status = 'loaded' THEN rows_rejected END),
               TOTAL(CASE WHEN status = 'rejected' THEN rows_rejected END)
        FROM \(tableName)
        """

    /// The entries that put a file into the folder bound to `?1` (relative) or `?2` (absolute).
    package static let storedInSQL = """
        SELECT \(LedgerEntry.columns) FROM \(tableName)
        WHERE (\(mayHoldQuarantinedFile))
          AND (substr(stored_at, 1, length(?1)) = ?1 OR substr(rejected_rows, 1, length(?1)) = ?1
               OR substr(stored_at, 1, length(?2)) = ?2 OR substr(rejected_rows, 1, length(?2)) = ?2)
        ORDER BY id
        """

    /// Creates the ledger table and its indexes if missing, and brings a ledger written by an
    /// earlier version up to date (one transaction): the `deferred` status, the content digest,
    /// the unique index per table, paths relative to the workspace (version 1), and the key
    /// counts `rows_replaced`, `rows_ignored` with the table of replaced rows (version 2).
    /// - Returns: Whether an earlier version's ledger was migrated.
    @discardableResult
    func createOrMigrate() throws -> Bool {
        let connection = warehouse.connection
        let exists = try warehouse.columns(ofTable: Self.tableName) != nil
        let version = try Self.userVersion(of: warehouse)
        guard !exists || version < Self.version else { return false }
        try warehouse.withTransaction {
            if exists, version >= 2 {
                // 2 → 3: the key counts; 3 → 4: the reading indexes only (created below).
                if version == 2 {
                    try connection.execute(
                        "ALTER TABLE \(Self.tableName) ADD COLUMN rows_replaced INTEGER NOT NULL DEFAULT 0")
                    try connection.execute(
                        "ALTER TABLE \(Self.tableName) ADD COLUMN rows_ignored INTEGER NOT NULL DEFAULT 0")
                }
            } else if exists {
                try connection.execute("ALTER TABLE \(Self.tableName) RENAME TO \(Self.tableName)_v1")
                try connection.execute(Self.createStatement)
                let columns = """
                    id, sha256, source, source_path, size, status, reason, message, target_table, ingested_at, rows_read,
                    rows_loaded, rows_dropped_missing, rows_dropped_duplicate, rows_rejected, dialect, header, hint,
                    errors_report, rejected_rows, columnar, stored_at, duplicate_of
                    """
                try connection.execute(
                    "INSERT INTO \(Self.tableName) (\(columns)) SELECT \(columns) FROM \(Self.tableName)_v1")
                try connection.execute("DROP TABLE \(Self.tableName)_v1")
                try makePathsRelative()
            } else {
                try connection.execute(Self.createStatement)
            }
            try connection.execute(Self.indexStatements)
            try connection.execute(Self.replacedRowsStatement)
            try connection.execute("PRAGMA user_version = \(Self.version)")
        }
        return exists
    }

    private static func userVersion(of warehouse: Warehouse) throws -> Int64 {
        let statement = try warehouse.connection.prepare("PRAGMA user_version")
        return try statement.step() ? statement.int64(at: 0) : 0
    }

    /// Rewrites absolute paths as paths relative to the workspace: those under its folder, and
    /// those under the folder it was in before it was moved (recognised by the workspace's own
    /// folder names).
    private func makePathsRelative() throws {
        let select = try warehouse.connection.prepare(
            "SELECT id, source_path, errors_report, rejected_rows, columnar, stored_at FROM \(Self.tableName)")
        var updates: [(Int64, [SQLiteValue])] = []
        while try select.step() {
            let values = (1...5).map { index -> SQLiteValue in
                guard case .text(let path) = select.value(at: index) else { return .null }
                return .text(relative(path, movedWorkspace: true))
            }
            updates.append((select.int64(at: 0), values))
        }
        let update = try warehouse.connection.prepare(
            "UPDATE \(Self.tableName) SET source_path = ?, errors_report = ?, rejected_rows = ?, columnar = ?, stored_at = ? WHERE id = ?"
        )
        for (id, values) in updates {
            update.reset()
            try update.bind(values + [.integer(id)])
            _ = try update.step()
        }
    }

    // MARK: Paths

    /// The workspace's own top-level folders, by which a path from a moved workspace is recognised.
    private static let workspaceFolders = ["archive/", "failed/", "columnar/", ".work/", "inbox/"]

    /// `path` as stored: relative when it is inside the workspace.
    func relative(_ path: String, movedWorkspace: Bool = false) -> String {
        guard path.hasPrefix("/") else { return path }
        if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        if movedWorkspace {
            for folder in Self.workspaceFolders {
                if let range = path.range(of: "/" + folder, options: .backwards) {
                    return String(path[path.index(after: range.lowerBound)...])
                }
            }
        }
        return path
    }

    /// A stored path as an absolute one.
    func resolved(_ stored: String) -> String {
        stored.hasPrefix("/") ? stored : root + "/" + stored
    }

    // MARK: Writing (the ingestor's, under the workspace lock)

    /// Runs `body` with a cached statement for `sql`, and resets it afterwards so no read
    /// snapshot stays open.
    private func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try warehouse.cachedStatement(sql)
        defer { statement.reset() }
        return try body(statement)
    }

    /// The ledger id of the delivery with this hash loaded into `table`, if any.
    func loadedEntry(sha256: String, table: String) throws -> Int64? {
        try withStatement(
            "SELECT id FROM \(Self.tableName) WHERE target_table = ? AND sha256 = ? AND status = 'loaded'"
        ) { statement in
            try statement.bind(table, at: 1)
            try statement.bind(sha256, at: 2)
            return try statement.step() ? statement.int64(at: 0) : nil
        }
    }

    /// Appends `record` and returns its new id. Runs inside the caller's transaction.
    /// `json` remembers the last dialect and header encoded: consecutive files mostly share them.
    func append(_ record: IngestRecord, table: String, json: LedgerJSON) throws -> Int64 {
        let sql = """
            INSERT INTO \(Self.tableName) (sha256, source, source_path, size, status, reason, message, target_table,
                rows_read, rows_loaded, rows_dropped_missing, rows_dropped_duplicate, rows_rejected,
                dialect, header, hint, errors_report, rejected_rows, columnar, stored_at, duplicate_of, content_digest,
                rows_replaced, rows_ignored)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let text: (String?) -> SQLiteValue = { $0.map(SQLiteValue.text) ?? .null }
        let path: (String?) -> SQLiteValue = { $0.map { .text(self.relative($0)) } ?? .null }
        try withStatement(sql) { statement in
            try statement.bind([
                .text(record.sha256), .text(record.source), .text(relative(record.sourcePath)),
                .integer(Int64(record.size)),
                .text(record.status.rawValue), text(record.reason?.rawValue), .text(record.message), .text(table),
                .integer(Int64(record.rowsRead)), .integer(Int64(record.rowsLoaded)),
                .integer(Int64(record.rowsDroppedMissing)), .integer(Int64(record.rowsDroppedDuplicate)),
                .integer(Int64(record.rowsRejected)), text(record.dialect.map(json.text)),
                text(record.header.map(json.text)),
                text(record.hint), path(record.errorsReport), path(record.rejectedRowsFile), path(record.columnarFile),
                path(record.storedAt), record.duplicateOf.map(SQLiteValue.integer) ?? .null, text(record.contentDigest),
                .integer(Int64(record.rowsReplaced)), .integer(Int64(record.rowsIgnored)),
            ])
            _ = try statement.step()
        }
        return warehouse.connection.lastInsertRowID
    }

    /// A recorded outcome whose source had not yet been moved when the process stopped: the
    /// newest loaded, duplicate or rejected entry with this hash and name whose destination is
    /// still free (or that was to be deleted). Returns the entry and its absolute destination.
    func pendingMove(sha256: String, source: String, table: String) throws -> (id: Int64, storedAt: String?)? {
        let sql = """
            SELECT id, stored_at, status, errors_report FROM \(Self.tableName)
            WHERE sha256 = ? AND source = ? AND target_table = ? AND status IN ('loaded', 'duplicate', 'rejected')
            ORDER BY id DESC
            """
        return try withStatement(sql) { statement in
            try statement.bind(sha256, at: 1)
            try statement.bind(source, at: 2)
            try statement.bind(table, at: 3)
            while try statement.step() {
                let id = statement.int64(at: 0)
                guard case .text(let stored) = statement.value(at: 1) else { return (id, nil) }
                // A rejected file moved back by `sluice retry` had its report renamed: not pending.
                if statement.text(at: 2) == IngestStatus.rejected.rawValue,
                    case .text(let report) = statement.value(at: 3),
                    !FileManager.default.fileExists(atPath: resolved(report))
                {
                    continue
                }
                let destination = resolved(stored)
                if !FileManager.default.fileExists(atPath: destination) { return (id, destination) }
            }
            return nil
        }
    }

    /// Whether any entry names this `.scol` file (an absolute path).
    func isReferenced(columnarPath path: String) throws -> Bool {
        try withStatement("SELECT 1 FROM \(Self.tableName) WHERE columnar = ? LIMIT 1") { statement in
            try statement.bind(relative(path), at: 1)
            return try statement.step()
        }
    }

    /// The `.scol` files (absolute paths) that loaded deliveries name, in any table.
    func columnarFilesOfLoadedDeliveries() throws -> Set<String> {
        try withStatement("SELECT columnar FROM \(Self.tableName) WHERE status = 'loaded' AND columnar IS NOT NULL") {
            statement in
            var paths = Set<String>()
            while try statement.step() { paths.insert(resolved(statement.text(at: 0))) }
            return paths
        }
    }

    /// The loaded deliveries into `table` that `reference` names: a ledger id, a file name as
    /// delivered, or a SHA-256 (or a prefix of at least 8 hex digits); newest first.
    func loadedMatches(_ reference: String, table: String) throws -> [LedgerEntry] {
        let sql = """
            SELECT \(entryColumns) FROM \(Self.tableName)
            WHERE status = 'loaded' AND target_table = ?1
              AND (CAST(id AS TEXT) = ?2 OR source = ?2 OR (length(?2) >= 8 AND substr(sha256, 1, length(?2)) = lower(?2)))
            ORDER BY id DESC
            """
        return try withStatement(sql) { statement in
            try statement.bind(table, at: 1)
            try statement.bind(reference, at: 2)
            return try readEntries(statement)
        }
    }

    /// Marks a loaded entry `forgotten` after its rows were deleted. Runs inside the caller's transaction.
    func markForgotten(id: Int64, rowsDeleted: Int) throws {
        let sql =
            "UPDATE \(Self.tableName) SET status = 'forgotten', message = message || ' (forgotten: ' || ? || ' rows deleted)' WHERE id = ?"
        try withStatement(sql) { statement in
            try statement.bind(Int64(rowsDeleted), at: 1)
            try statement.bind(id, at: 2)
            _ = try statement.step()
        }
    }

    // MARK: Reading (the read model)

    /// Files and rows per status, over the whole ledger.
    public func totals() throws -> [LedgerTotals] {
        let sql = """
            SELECT status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_dropped_missing + rows_dropped_duplicate),
                   sum(rows_rejected), max(ingested_at)
            FROM \(Self.tableName) GROUP BY status ORDER BY status
            """
        return try withStatement(sql) { statement in
            var totals: [LedgerTotals] = []
            while try statement.step() {
                totals.append(
                    LedgerTotals(
                        status: statement.text(at: 0), files: Int(statement.int64(at: 1)),
                        rowsRead: Int(statement.int64(at: 2)),
                        rowsLoaded: Int(statement.int64(at: 3)), rowsDropped: Int(statement.int64(at: 4)),
                        rowsRejected: Int(statement.int64(at: 5)), last: statement.text(at: 6)))
            }
            return totals
        }
    }

    /// The most recent entries, newest first: `limit` of them after skipping `offset`.
    public func recent(limit: Int, offset: Int = 0) throws -> [LedgerEntry] {
        try withStatement("SELECT \(entryColumns) FROM \(Self.tableName) ORDER BY id DESC LIMIT ? OFFSET ?") {
            statement in
            try statement.bind(Int64(max(0, limit)), at: 1)
            try statement.bind(Int64(max(0, offset)), at: 2)
            return try readEntries(statement)
        }
    }

    /// Every entry with `status`, oldest first (e.g. every quarantined file: `.rejected`).
    public func entries(status: LedgerStatus) throws -> [LedgerEntry] {
        try withStatement("SELECT \(entryColumns) FROM \(Self.tableName) WHERE status = ? ORDER BY id") { statement in
            try statement.bind(status.rawValue, at: 1)
            return try readEntries(statement)
        }
    }

    /// One entry by id.
    public func entry(id: Int64) throws -> LedgerEntry? {
        try withStatement("SELECT \(entryColumns) FROM \(Self.tableName) WHERE id = ?") { statement in
            try statement.bind(id, at: 1)
            return try readEntries(statement).first
        }
    }

    /// `PRAGMA data_version` on the ledger's connection: it changes whenever another connection
    /// (another process) commits, so a reader can keep what it read until then.
    public func dataVersion() throws -> Int64 {
        try withStatement("PRAGMA data_version") { statement in
            try statement.step() ? statement.int64(at: 0) : 0
        }
    }

    /// The whole ledger summed up: files per outcome, rows, and when a file last loaded.
    public func summary() throws -> LedgerSummary {
        try withStatement(Self.summarySQL) { statement in
            guard try statement.step() else { return LedgerSummary() }
            let number = { (index: Int) -> Int64 in statement.int64(at: index) }
            var summary = LedgerSummary(
                files: number(0), loaded: number(1), rejected: number(2), duplicate: number(3), rowsRead: number(4),
                rowsLoaded: number(5), rowsDropped: number(6), rowsRejected: number(7))
            summary.rowsRejectedInLoadedFiles = number(9)
            summary.rowsInRejectedFiles = number(10)
            if case .text(let last) = statement.value(at: 8) { summary.lastLoadedAt = last }
            return summary
        }
    }

    /// Every entry that put a file into `folder` (a quarantined delivery in `stored_at`, or its
    /// refused rows in `rejected_rows`), oldest first; paths are compared as stored, relative
    /// to the workspace or (from older ledgers) absolute.
    public func entries(storedIn folder: URL) throws -> [LedgerEntry] {
        let absolute = folder.standardizedFileURL.path + "/"
        let relative = relative(folder.standardizedFileURL.path) + "/"
        return try withStatement(Self.storedInSQL) { statement in
            try statement.bind(relative, at: 1)
            try statement.bind(absolute, at: 2)
            return try readEntries(statement)
        }
    }

    /// How many entries there are.
    public func count() throws -> Int {
        try withStatement("SELECT count(*) FROM \(Self.tableName)") { statement in
            try statement.step() ? Int(statement.int64(at: 0)) : 0
        }
    }

    private func readEntries(_ statement: SQLiteStatement) throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        while try statement.step() {
            entries.append(LedgerEntry(statement, resolve: resolved))
        }
        return entries
    }
}

/// The ledger's JSON columns (`dialect`, `header`), with the last value of each remembered:
/// a batch of files from one source shares both, and encoding them is the costliest part of
/// a ledger row.
final class LedgerJSON {
    private var lastDialect: (value: DialectSummary, text: String)?
    private var lastHeader: (value: ErrorReport.HeaderReport, text: String)?

    /// `dialect` as compact JSON with sorted keys.
    func text(_ dialect: DialectSummary) -> String {
        if let lastDialect, lastDialect.value == dialect { return lastDialect.text }
        let text = String(ResultFormatter.json(dialect).dropLast())
        lastDialect = (dialect, text)
        return text
    }

    /// `header` as compact JSON with sorted keys.
    func text(_ header: ErrorReport.HeaderReport) -> String {
        if let lastHeader, lastHeader.value == header { return lastHeader.text }
        let text = String(ResultFormatter.json(header).dropLast())
        lastHeader = (header, text)
        return text
    }
}
