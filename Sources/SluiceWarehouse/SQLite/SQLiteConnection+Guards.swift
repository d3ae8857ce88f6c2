import CSluiceSQLite

/// What SQLite asks an authorizer about while it compiles a statement: one action code and its
/// arguments (see `sqlite3_set_authorizer`).
public struct SQLiteAuthorizerRequest: Sendable, Hashable {
    /// The kind of action, as SQLite names it.
    public var action: SQLiteAuthorizerAction
    /// The first detail: a table, index, trigger or view name; the pragma name; the attached file.
    public var firstDetail: String?
    /// The second detail: a column name; the pragma's value (`nil` when none is given); the function name.
    public var secondDetail: String?
    /// The database (`main`, `temp`, or an attached name), when the action concerns one.
    public var database: String?

    /// Creates a request from its parts (tests and custom policies).
    public init(
        action: SQLiteAuthorizerAction, firstDetail: String? = nil, secondDetail: String? = nil, database: String? = nil
    ) {
        self.action = action
        self.firstDetail = firstDetail
        self.secondDetail = secondDetail
        self.database = database
    }
}

/// An authorizer action code (`SQLITE_SELECT`, `SQLITE_INSERT`, …), named as in SQLite's docs.
public struct SQLiteAuthorizerAction: Sendable, Hashable, CustomStringConvertible {
    /// SQLite's action code.
    public var code: Int32
    /// Wraps an action code.
    public init(code: Int32) { self.code = code }

    /// `SQLITE_SELECT`: a `SELECT` statement.
    public static let select = Self(code: SQLITE_SELECT)
    /// `SQLITE_READ`: reading a column (first detail: table, second: column).
    public static let read = Self(code: SQLITE_READ)
    /// `SQLITE_FUNCTION`: calling a function (second detail: its name).
    public static let function = Self(code: SQLITE_FUNCTION)
    /// `SQLITE_RECURSIVE`: a recursive common table expression.
    public static let recursive = Self(code: SQLITE_RECURSIVE)
    /// `SQLITE_PRAGMA`: a pragma (first detail: its name, second: the value given, if any).
    public static let pragma = Self(code: SQLITE_PRAGMA)
    /// `SQLITE_ATTACH`: attaching a database file.
    public static let attach = Self(code: SQLITE_ATTACH)

    private static let names: [Int32: String] = [
        SQLITE_CREATE_INDEX: "CREATE INDEX", SQLITE_CREATE_TABLE: "CREATE TABLE",
        SQLITE_CREATE_TEMP_INDEX: "CREATE TEMP INDEX", SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE",
        SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER", SQLITE_CREATE_TEMP_VIEW: "CREATE TEMP VIEW",
        SQLITE_CREATE_TRIGGER: "CREATE TRIGGER", SQLITE_CREATE_VIEW: "CREATE VIEW", SQLITE_DELETE: "DELETE",
        SQLITE_DROP_INDEX: "DROP INDEX", SQLITE_DROP_TABLE: "DROP TABLE", SQLITE_DROP_TEMP_INDEX: "DROP TEMP INDEX",
        SQLITE_DROP_TEMP_TABLE: "DROP TEMP TABLE", SQLITE_DROP_TEMP_TRIGGER: "DROP TEMP TRIGGER",
        SQLITE_DROP_TEMP_VIEW: "DROP TEMP VIEW", SQLITE_DROP_TRIGGER: "DROP TRIGGER", SQLITE_DROP_VIEW: "DROP VIEW",
        SQLITE_INSERT: "INSERT", SQLITE_PRAGMA: "PRAGMA", SQLITE_READ: "READ", SQLITE_SELECT: "SELECT",
        SQLITE_TRANSACTION: "TRANSACTION", SQLITE_UPDATE: "UPDATE", SQLITE_ATTACH: "ATTACH", SQLITE_DETACH: "DETACH",
        SQLITE_ALTER_TABLE: "ALTER TABLE", SQLITE_REINDEX: "REINDEX", SQLITE_ANALYZE: "ANALYZE",
        SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE", SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE",
        SQLITE_FUNCTION: "FUNCTION", SQLITE_SAVEPOINT: "SAVEPOINT", SQLITE_RECURSIVE: "RECURSIVE",
    ]

    /// The action's SQL name (`INSERT`, `ATTACH`, `CREATE TABLE`, …), or `action N` for an unknown code.
    public var description: String { Self.names[code] ?? "action \(code)" }
}

/// An authorizer's answer for one action.
public enum SQLiteAuthorizerDecision: Sendable {
    /// `SQLITE_OK`: allow it.
    case allow
    /// `SQLITE_DENY`: refuse the whole statement (it fails to compile with `SQLITE_AUTH`).
    case deny
}

/// The Swift closures SQLite calls back into, owned by one connection.
final class SQLiteCallbacks {
    var authorizer: ((SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision)?
    var deadline: ContinuousClock.Instant?
}

/// `sqlite3_set_authorizer`'s callback: looks up the connection's closure through the user-data pointer.
private func authorizerTrampoline(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
    _ second: UnsafePointer<CChar>?, _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    guard let context else { return SQLITE_DENY }
    let callbacks = Unmanaged<SQLiteCallbacks>.fromOpaque(context).takeUnretainedValue()
    guard let authorizer = callbacks.authorizer else { return SQLITE_OK }
    let request = SQLiteAuthorizerRequest(
        action: SQLiteAuthorizerAction(code: action), firstDetail: first.map { String(cString: $0) },
        secondDetail: second.map { String(cString: $0) }, database: database.map { String(cString: $0) })
    switch authorizer(request) {
    case .allow: return SQLITE_OK
    case .deny: return SQLITE_DENY
    }
}

/// `sqlite3_progress_handler`'s callback: non-zero (interrupt) once the deadline has passed.
private func progressTrampoline(_ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    let callbacks = Unmanaged<SQLiteCallbacks>.fromOpaque(context).takeUnretainedValue()
    guard let deadline = callbacks.deadline else { return 0 }
    return ContinuousClock.now >= deadline ? 1 : 0
}

extension SQLiteConnection {
    /// Installs (or, with `nil`, removes) a closure that allows or denies each action of every
    /// statement compiled from now on. Wraps `sqlite3_set_authorizer`.
    ///
    /// A denied action makes ``prepare(_:persistent:)`` throw a ``SQLiteError`` with
    /// `SQLITE_AUTH` ("not authorized"). The closure runs synchronously during compilation, on
    /// the caller's thread; it must not use this connection.
    public func setAuthorizer(_ authorizer: ((SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision)?) {
        callbacks.authorizer = authorizer
        if authorizer == nil {
            sqlite3_set_authorizer(handle, nil, nil)
        } else {
            sqlite3_set_authorizer(handle, authorizerTrampoline, Unmanaged.passUnretained(callbacks).toOpaque())
        }
    }

    /// Runs `body` with a time limit on every statement it steps: past `limit`, SQLite stops the
    /// running statement, which throws a ``SQLiteError`` with `SQLITE_INTERRUPT`
    /// (``SQLiteError/isInterrupted``). Wraps `sqlite3_progress_handler`, checked every 1,000
    /// virtual-machine instructions.
    public func withTimeLimit<Result>(_ limit: Duration, _ body: () throws -> Result) rethrows -> Result {
        callbacks.deadline = ContinuousClock.now.advanced(by: limit)
        sqlite3_progress_handler(handle, 1_000, progressTrampoline, Unmanaged.passUnretained(callbacks).toOpaque())
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            callbacks.deadline = nil
        }
        return try body()
    }

    /// Caps the size of any string or blob this connection creates (for example with
    /// `zeroblob()` or `printf()`); larger ones fail with `SQLITE_TOOBIG`. Wraps
    /// `sqlite3_limit(SQLITE_LIMIT_LENGTH)`.
    ///
    /// - Returns: The previous limit.
    @discardableResult
    public func setMaximumValueLength(_ bytes: Int32) -> Int32 {
        sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, bytes)
    }
}

extension SQLiteError {
    /// `true` when a statement was stopped by the time limit of
    /// ``SQLiteConnection/withTimeLimit(_:_:)`` (`SQLITE_INTERRUPT`).
    public var isInterrupted: Bool { code == SQLITE_INTERRUPT }

    /// `true` when an authorizer refused the statement (`SQLITE_AUTH`).
    public var isAuthorizationDenied: Bool { code == SQLITE_AUTH }
}
