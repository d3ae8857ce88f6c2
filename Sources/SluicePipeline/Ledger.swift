import Foundation
import SluiceWarehouse

/// The ingest ledger: one row per input file in the warehouse table `sluice_ingests`.
///
/// It records each file's content hash, name, size, outcome and row counts. A loaded file's
/// ledger row commits in the same transaction as its data rows, and a partial unique index on
/// the hash of loaded files makes a second delivery of the same bytes a recorded no-op.
struct Ledger {
    /// The ledger table's name.
    static let tableName = "sluice_ingests"

    /// The column that ties each warehouse row to its ledger entry.
    static let ingestIDColumn = "_ingest_id"

    /// Creates the ledger table and its indexes if missing.
    static func create(in warehouse: Warehouse) throws {
        try warehouse.connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(tableName) (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL,
                source TEXT NOT NULL,
                source_path TEXT NOT NULL,
                size INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('loaded', 'rejected', 'duplicate', 'forgotten')),
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
                duplicate_of INTEGER REFERENCES \(tableName)(id)
            ) STRICT;
            CREATE UNIQUE INDEX IF NOT EXISTS \(tableName)_loaded_sha256 ON \(tableName)(sha256) WHERE status = 'loaded';
            """)
    }

    /// The ledger id of the file with this hash that was loaded before, if any.
    static func loadedEntry(sha256: String, table: String, in warehouse: Warehouse) throws -> Int64? {
        let statement = try warehouse.cachedStatement(
            "SELECT id FROM \(tableName) WHERE sha256 = ? AND status = 'loaded' AND target_table = ?")
        try statement.bind(sha256, at: 1)
        try statement.bind(table, at: 2)
        return try statement.step() ? statement.int64(at: 0) : nil
    }

    /// Appends `record` and returns its new id. Runs inside the caller's transaction.
    /// `json` remembers the last dialect and header encoded: consecutive files mostly share them.
    static func append(_ record: IngestRecord, table: String, in warehouse: Warehouse, json: LedgerJSON = LedgerJSON()) throws -> Int64 {
        let statement = try warehouse.cachedStatement(
            """
            INSERT INTO \(tableName) (sha256, source, source_path, size, status, reason, message, target_table,
                rows_read, rows_loaded, rows_dropped_missing, rows_dropped_duplicate, rows_rejected,
                dialect, header, hint, errors_report, rejected_rows, columnar, stored_at, duplicate_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let optionalText: (String?) -> SQLiteValue = { $0.map(SQLiteValue.text) ?? .null }
        try statement.bind([
            .text(record.sha256), .text(record.source), .text(record.sourcePath), .integer(Int64(record.size)),
            .text(record.status.rawValue), optionalText(record.reason?.rawValue), .text(record.message), .text(table),
            .integer(Int64(record.rowsRead)), .integer(Int64(record.rowsLoaded)),
            .integer(Int64(record.rowsDroppedMissing)), .integer(Int64(record.rowsDroppedDuplicate)),
            .integer(Int64(record.rowsRejected)), optionalText(record.dialect.map(json.text)),
            optionalText(record.header.map(json.text)),
            optionalText(record.hint), optionalText(record.errorsReport), optionalText(record.rejectedRowsFile),
            optionalText(record.columnarFile),
            optionalText(record.storedAt),
            record.duplicateOf.map(SQLiteValue.integer) ?? .null,
        ])
        try statement.step()
        return warehouse.connection.lastInsertRowID
    }

    /// A recorded delivery whose source had not yet been moved when the process stopped: the
    /// newest entry with this hash and name whose destination is still free (or that was to be
    /// deleted).
    static func pendingMove(sha256: String, source: String, table: String, in warehouse: Warehouse) throws -> (id: Int64, storedAt: String?)? {
        let statement = try warehouse.connection.prepare(
            """
            SELECT id, stored_at, status, errors_report FROM \(tableName)
            WHERE sha256 = ? AND source = ? AND target_table = ?
            ORDER BY id DESC
            """)
        try statement.bind(sha256, at: 1)
        try statement.bind(source, at: 2)
        try statement.bind(table, at: 3)
        while try statement.step() {
            let id = statement.int64(at: 0)
            guard case .text(let path) = statement.value(at: 1) else { return (id, nil) }
            // A rejected file moved back by `sluice retry` had its report renamed: not pending.
            if statement.text(at: 2) == IngestStatus.rejected.rawValue,
               !FileManager.default.fileExists(atPath: statement.text(at: 3)) { continue }
            if !FileManager.default.fileExists(atPath: path) { return (id, path) }
        }
        return nil
    }

    /// The `.scol` file an entry names, if any.
    static func columnarPath(ofEntry id: Int64, in warehouse: Warehouse) throws -> String? {
        let statement = try warehouse.connection.prepare("SELECT columnar FROM \(tableName) WHERE id = ?")
        try statement.bind(id, at: 1)
        guard try statement.step(), case .text(let path) = statement.value(at: 0) else { return nil }
        return path
    }

    /// Whether any entry names this `.scol` file.
    static func isReferenced(columnarPath path: String, in warehouse: Warehouse) throws -> Bool {
        let statement = try warehouse.connection.prepare("SELECT 1 FROM \(tableName) WHERE columnar = ? LIMIT 1")
        try statement.bind(path, at: 1)
        return try statement.step()
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
