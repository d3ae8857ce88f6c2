import CSluiceSQLite

/// SQLite's "copy this buffer now" destructor (`SQLITE_TRANSIENT`), which the C header
/// defines as a macro Swift cannot import.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A compiled SQL statement. Owns the `sqlite3_stmt*` and finalizes it in `deinit`.
///
/// Bind parameters (1-based, as in SQLite), ``step()`` through the rows, read columns
/// (0-based), then ``reset()`` to run it again with new bindings.
public final class SQLiteStatement {
    /// The raw handle.
    private let handle: OpaquePointer
    /// Keeps the connection open for as long as the statement lives.
    private let connection: SQLiteConnection
    /// The statement's SQL text, for error messages.
    public let sql: String

    init(handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(code: code, db: connection.handle, sql: sql) }
    }

    // MARK: Binding

    /// Number of parameters (`?`, `?NNN`, `:name`). Wraps `sqlite3_bind_parameter_count`.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds a 64-bit integer to the 1-based parameter `index`. Wraps `sqlite3_bind_int64`.
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds a double to the 1-based parameter `index`. Wraps `sqlite3_bind_double`.
    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text (copied by SQLite) to the 1-based parameter `index`. Wraps `sqlite3_bind_text`.
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        var value = value
        let code = value.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { text in
                // An empty buffer may have no address; SQLite would read that as NULL, not "".
                guard let address = text.baseAddress, !text.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                }
                return sqlite3_bind_text(handle, index, address, Int32(text.count), sqliteTransient)
            }
        }
        try check(code)
    }

    /// Binds `count` bytes of UTF-8 at `text` to the 1-based parameter `index` **without
    /// copying** (`SQLITE_STATIC`). Wraps `sqlite3_bind_text`.
    ///
    /// The bytes must stay valid and unchanged until the parameter is bound again or
    /// ``clearBindings()`` runs; the caller owns that promise (``Warehouse/insert(_:into:)``
    /// keeps its text buffer alive around the whole loop and clears the bindings before leaving).
    func bindUnretainedText(_ text: UnsafePointer<UInt8>, count: Int, at index: Int32) throws(SQLiteError) {
        let code = text.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) { characters in
            sqlite3_bind_text(handle, index, characters, Int32(count), nil)  // nil destructor = SQLITE_STATIC
        }
        try check(code)
    }

    /// Binds `NULL` to the 1-based parameter `index`. Wraps `sqlite3_bind_null`.
    public func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds any ``SQLiteValue`` to the 1-based parameter `index`.
    public func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let number): try bind(number, at: index)
        case .real(let number): try bind(number, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes):
            let code = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), sqliteTransient)
            }
            try check(code)
        }
    }

    /// Binds `values` to parameters 1…n in order.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Sets every parameter back to `NULL`. Wraps `sqlite3_clear_bindings`.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Running

    /// Advances to the next row. Wraps `sqlite3_step`.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: ``SQLiteError`` for constraint failures, a busy database, a full disk, ….
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError(code: code, db: connection.handle, sql: sql)
        }
    }

    /// Makes the statement ready to run again; bindings are kept. Wraps `sqlite3_reset`.
    public func reset() {
        // The result repeats the last step's error, which step() already threw.
        sqlite3_reset(handle)
    }

    /// `true` if the statement cannot write to the database. Wraps `sqlite3_stmt_readonly`.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    // MARK: Reading columns (0-based)

    /// Number of result columns. Wraps `sqlite3_column_count`.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `index`. Wraps `sqlite3_column_name`.
    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// All result column names, in order.
    public var columnNames: [String] { (0..<columnCount).map(columnName(at:)) }

    /// Column `index` of the current row as an integer. Wraps `sqlite3_column_int64`.
    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Column `index` of the current row as a double. Wraps `sqlite3_column_double`.
    public func double(at index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// Column `index` of the current row as text (`""` for `NULL`). Wraps `sqlite3_column_text`.
    public func text(at index: Int) -> String {
        guard let bytes = sqlite3_column_text(handle, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row in its own storage class. Wraps `sqlite3_column_type`.
    public func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(int64(at: index))
        case SQLITE_FLOAT: return .real(double(at: index))
        case SQLITE_TEXT: return .text(text(at: index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let raw = sqlite3_column_blob(handle, column), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: raw, count: count)))
        default: return .null
        }
    }

    /// The current row, every column in its own storage class.
    public var row: [SQLiteValue] { (0..<columnCount).map(value(at:)) }
}

/// Like its connection, a statement has one owner at a time.
@available(*, unavailable)
extension SQLiteStatement: Sendable {}
