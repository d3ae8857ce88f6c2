import SluiceWarehouse

/// The ledger's record of rows replaced under a primary key (`on_conflict: replace`).
///
/// When a delivery's row takes the place of a row with the same key loaded by an earlier
/// delivery, the earlier row is deleted and `sluice_replaced_rows` gets one row: the earlier
/// delivery (`ingest_id`), the one that replaced it (`replaced_by`) and the key (see
/// ``KeyText``). The earlier delivery's `.scol` file keeps all its rows; `verify` and the lake
/// export leave out the ones listed here.
extension Ledger {
    /// The table of replaced rows.
    public static let replacedRowsTable = "sluice_replaced_rows"

    static let replacedRowsStatement = """
        CREATE TABLE IF NOT EXISTS \(replacedRowsTable) (
            ingest_id INTEGER NOT NULL REFERENCES \(tableName)(id),
            replaced_by INTEGER NOT NULL REFERENCES \(tableName)(id),
            key TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS \(replacedRowsTable)_ingest_id ON \(replacedRowsTable)(ingest_id);
        """

    /// Records that delivery `id`'s row with `key` was replaced by delivery `replacedBy`. Runs in the caller's transaction.
    func recordReplaced(id: Int64, replacedBy: Int64, key: String) throws {
        let statement = try warehouse.cachedStatement(
            "INSERT INTO \(Self.replacedRowsTable) (ingest_id, replaced_by, key) VALUES (?, ?, ?)")
        defer { statement.reset() }
        try statement.bind([.integer(id), .integer(replacedBy), .text(key)])
        _ = try statement.step()
    }

    /// The keys (see ``KeyText``) of delivery `id`'s rows that later deliveries replaced.
    func replacedKeys(of id: Int64) throws -> Set<String> {
        guard try hasReplacedRowsTable() else { return [] }
        let statement = try warehouse.connection.prepare(
            "SELECT key FROM \(Self.replacedRowsTable) WHERE ingest_id = ?")
        try statement.bind(id, at: 1)
        var keys = Set<String>()
        while try statement.step() { keys.insert(statement.text(at: 0)) }
        return keys
    }

    /// Per delivery, how many of its rows later deliveries replaced (only those with any).
    func replacedCounts() throws -> [Int64: Int] {
        guard try hasReplacedRowsTable() else { return [:] }
        let statement = try warehouse.connection.prepare(
            "SELECT ingest_id, count(*) FROM \(Self.replacedRowsTable) GROUP BY ingest_id")
        var counts: [Int64: Int] = [:]
        while try statement.step() { counts[statement.int64(at: 0)] = Int(statement.int64(at: 1)) }
        return counts
    }

    /// Whether the ledger has the table (a read-only look at a ledger not migrated yet may lack it).
    private func hasReplacedRowsTable() throws -> Bool {
        try warehouse.columns(ofTable: Self.replacedRowsTable) != nil
    }
}

extension Ledger {
    /// ``LedgerEntry/columns`` for this ledger: a ledger of an earlier version, read before any
    /// ingest migrated it, has no key counts (they read as 0).
    var entryColumns: String {
        if let cached = entryColumnsCache { return cached }
        let names = ((try? warehouse.columns(ofTable: Self.tableName)) ?? nil)?.map(\.name) ?? []
        let columns =
            names.isEmpty || names.contains("rows_replaced")
            ? LedgerEntry.columns
            : LedgerEntry.columns.replacingOccurrences(of: "rows_replaced, rows_ignored", with: "0, 0")
        entryColumnsCache = columns
        return columns
    }
}
