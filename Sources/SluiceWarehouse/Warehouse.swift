/// The SQLite warehouse: one database file in WAL mode holding the loaded tables.
///
/// Opens with `journal_mode=WAL`, `synchronous=NORMAL` and a busy timeout; creates `STRICT`
/// tables; inserts batches through one cached prepared statement per table; runs read-only
/// queries. One owner at a time (it wraps a non-thread-safe connection).
public final class Warehouse {
    /// The underlying connection, for callers that need raw statements.
    package let connection: SQLiteConnection
    /// Prepared statements reused across calls (the inserts, the ledger's), keyed by SQL text.
    private var cachedStatements: [String: SQLiteStatement] = [:]
    /// The last table inserted into and its `INSERT` text.
    private var lastInsertSQL: (table: WarehouseTable, sql: String)?

    /// Opens or creates the warehouse at `path`.
    ///
    /// - Parameters:
    ///   - path: The database file (`:memory:` for tests).
    ///   - readOnly: Open with `SQLITE_OPEN_READONLY` and `query_only`, for queries and reports.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or configured.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        connection = try SQLiteConnection(path: path, mode: readOnly ? .readOnly : .readWrite(create: true))
        if readOnly {
            try connection.execute("PRAGMA query_only = ON")
        } else {
            try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        }
    }

    /// Runs `body` in one transaction (see ``SQLiteConnection/withTransaction(_:)``).
    public func withTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try connection.withTransaction(body)
    }

    /// The columns of an existing table, or `nil` if there is no such table.
    public func columns(ofTable name: String) throws(SQLiteError) -> [WarehouseColumn]? {
        let statement = try connection.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?)")
        try statement.bind(name, at: 1)
        var columns: [WarehouseColumn] = []
        while try statement.step() {
            let type = WarehouseColumnType(rawValue: statement.text(at: 1).uppercased()) ?? .text
            columns.append(
                WarehouseColumn(name: statement.text(at: 0), type: type, isNotNull: statement.int64(at: 2) != 0))
        }
        return columns.isEmpty ? nil : columns
    }

    /// Creates `table` as a `STRICT` table unless it exists; an existing table must have the same columns.
    ///
    /// - Throws: ``WarehouseError`` with code `table-mismatch` naming the differences, so a schema
    ///   change never silently writes into an incompatible table.
    public func createTableIfNeeded(_ table: WarehouseTable) throws {
        guard let existing = try columns(ofTable: table.name) else {
            do { try connection.execute(table.createStatement) } catch { throw WarehouseError(error) }
            return
        }
        guard existing != table.columns else { return }
        let want = table.columns.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", ")
        let have = existing.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", ")
        throw WarehouseError(
            code: .tableMismatch,
            message: "table '\(table.name)' exists with other columns (\(have)) than the schema asks for (\(want)); "
                + "load into a new warehouse or another table name")
    }

    /// A prepared statement for `sql`, compiled once per connection and reused (reset, with
    /// its bindings cleared, before it is handed out again).
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = cachedStatements[sql] {
            cached.reset()
            cached.clearBindings()
            return cached
        }
        let statement = try connection.prepare(sql, persistent: true)
        cachedStatements[sql] = statement
        return statement
    }

    /// Inserts every row of `batch` into `table` through one reused prepared statement.
    ///
    /// Runs inside the caller's transaction (wrap it in ``withTransaction(_:)`` to make it atomic).
    /// Text is bound without a copy: all distinct values of the batch go into one UTF-8 buffer
    /// that outlives the inserts, and each row binds an address in it (`SQLITE_STATIC`).
    /// - Returns: The number of rows inserted.
    /// - Complexity: O(rows × columns) binds; no SQL is compiled after the first batch.
    @discardableResult
    public func insert(_ batch: ColumnBatch, into table: WarehouseTable) throws(SQLiteError) -> Int {
        // The SQL text is built (and its identifiers quoted) once per table, not once per batch.
        let sql: String
        if let last = lastInsertSQL, last.table == table {
            sql = last.sql
        } else {
            sql = table.insertStatement
            lastInsertSQL = (table, sql)
        }
        let statement = try cachedStatement(sql)
        try statement.insertRows(of: batch)
        return batch.rowCount
    }

    /// Runs one read-only SQL statement and returns its rows.
    ///
    /// - Parameters:
    ///   - sql: Exactly one statement that does not write (`SELECT`, `WITH … SELECT`, read-only `PRAGMA`).
    ///   - maxRows: Stop after this many rows and mark the result truncated.
    /// - Throws: ``WarehouseError`` `write-refused` for a statement that would write; `sqlite` otherwise.
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        do {
            let statement = try connection.prepare(sql)
            guard statement.isReadOnly else {
                throw WarehouseError(
                    code: .writeRefused,
                    message:
                        "only read-only statements may run here (SELECT or WITH); this one would change the database")
            }
            return try statement.readAll(maxRows: maxRows)
        } catch let error as SQLiteError {
            throw WarehouseError(error)
        }
    }

    /// Runs a saved report.
    public func run(_ report: SavedReport) throws -> QueryResult {
        try query(report.sql)
    }
}

/// One owner at a time, like its connection.
@available(*, unavailable)
extension Warehouse: Sendable {}
