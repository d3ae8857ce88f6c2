import CSluiceSQLite
import Foundation

/// An open SQLite database connection. Owns the `sqlite3*` handle and closes it in `deinit`.
///
/// A connection is not thread-safe: keep it with one owner (an actor, or a single task).
public final class SQLiteConnection {
    /// How to open the database file.
    public enum OpenMode: Sendable {
        /// Read and write; create the file if `create` is true.
        case readWrite(create: Bool)
        /// Read only: every write fails with `SQLITE_READONLY`.
        case readOnly
    }

    /// The raw handle, for the statement wrapper in this folder only.
    let handle: OpaquePointer
    /// The path given at open (`:memory:` for an in-memory database).
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    /// The Swift closures behind the authorizer and progress callbacks (see
    /// `SQLiteConnection+Guards.swift`); SQLite holds an unretained pointer to it, so it lives
    /// exactly as long as the connection.
    let callbacks = SQLiteCallbacks()

    /// Opens (or creates) a database. Wraps `sqlite3_open_v2`.
    ///
    /// - Parameters:
    ///   - path: A file path, or `:memory:`.
    ///   - mode: Read-write (optionally creating the file) or read-only.
    ///   - busyTimeoutMilliseconds: How long a statement waits for another connection's lock.
    /// - Throws: ``SQLiteError`` if the file cannot be opened.
    public init(
        path: String, mode: OpenMode = .readWrite(create: true), busyTimeoutMilliseconds: Int32 = 5_000
    ) throws(SQLiteError) {
        _ = Self.processSetup
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWrite(let create): flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(code: code, db: db, sql: nil)
            sqlite3_close_v2(db)
            throw SQLiteError(extendedCode: error.extendedCode, message: "cannot open \(path): \(error.message)")
        }
        self.handle = db
        self.path = path
        if case .readOnly = mode { self.isReadOnly = true } else { self.isReadOnly = false }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        registerStatisticsFunctions()
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Process-wide SQLite settings, applied once before the first connection: no memory
    /// statistics (they serialise every allocation on one mutex; bulk loads allocate a lot).
    private static let processSetup: Void = {
        _ = sluice_sqlite3_disable_memory_statistics()
    }()

    /// Runs one or more SQL statements that return no rows of interest. Wraps `sqlite3_exec`.
    public func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError(code: code, db: handle, sql: sql) }
    }

    /// Compiles one SQL statement. Wraps `sqlite3_prepare_v3`.
    ///
    /// - Parameters:
    ///   - sql: Exactly one statement; text after it other than whitespace and comments is refused.
    ///   - persistent: Hint that the statement will be reused many times (`SQLITE_PREPARE_PERSISTENT`).
    public func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        var tailIsEmpty = true
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, text, -1, flags, &statement, &tail)
            if code == SQLITE_OK, let tail {
                tailIsEmpty = Self.isOnlyWhitespaceOrComments(String(cString: tail))
            }
            return code
        }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, db: handle, sql: sql) }
        guard let statement else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "the SQL text holds no statement", sql: sql)
        }
        guard tailIsEmpty else {
            sqlite3_finalize(statement)
            throw SQLiteError(
                extendedCode: SQLITE_MISUSE, message: "expected one SQL statement, found more than one", sql: sql)
        }
        return SQLiteStatement(handle: statement, connection: self, sql: sql)
    }

    /// The row id of the most recent successful insert. Wraps `sqlite3_last_insert_rowid`.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the most recent statement. Wraps `sqlite3_changes64`.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// `true` while a transaction is open. Wraps `sqlite3_get_autocommit`.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a busy database fails here,
    /// before any work is done, rather than at commit.
    public func withTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` inside a named savepoint: released when it returns, rolled back to when it throws.
    ///
    /// Savepoints nest, inside or outside a transaction.
    public func withSavepoint<Result>(named name: String = "sluice", _ body: () throws -> Result) throws -> Result {
        let quoted = SQLiteIdentifier.quote(name)
        try execute("SAVEPOINT \(quoted)")
        do {
            let result = try body()
            try execute("RELEASE \(quoted)")
            return result
        } catch {
            try? execute("ROLLBACK TO \(quoted)")
            try? execute("RELEASE \(quoted)")
            throw error
        }
    }

    /// Whether `sql` (what follows a statement) holds only whitespace and comments.
    static func isOnlyWhitespaceOrComments(_ sql: String) -> Bool {
        var rest = Substring(sql)
        while let first = rest.first {
            if first.isWhitespace || first == ";" {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("--") {
                rest = rest.drop(while: { $0 != "\n" })
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return true }
                rest = rest[end.upperBound...]
            } else {
                return false
            }
        }
        return true
    }
}

/// A connection must stay with one owner: SQLite is built with `SQLITE_OPEN_NOMUTEX` here,
/// so using it from two threads at once would corrupt its state.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}

/// Quoting of SQL identifiers (table and column names).
public enum SQLiteIdentifier {
    /// Wraps a name in double quotes, doubling any quote inside: `my "t"` → `"my ""t"""`.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
