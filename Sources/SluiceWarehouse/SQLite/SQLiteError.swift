import CSluiceSQLite

/// An error reported by SQLite, with its result code, its message and the SQL that caused it.
///
/// `description` reads like a diagnostic and never includes bound values, which may hold
/// personal data (the SQL text is shown, its arguments are not).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY`, …).
    public var extendedCode: Int32
    /// SQLite's primary result code: the low byte of ``extendedCode``.
    public var code: Int32 { extendedCode & 0xFF }
    /// SQLite's own message (`sqlite3_errmsg`), or the generic text for the code.
    public var message: String
    /// The statement being prepared or run, if any.
    public var sql: String?
    /// Where in ``sql`` SQLite found the problem (a UTF-8 byte offset), when it says
    /// (`sqlite3_error_offset`: syntax errors, unknown tables and columns).
    public var offset: Int?

    /// The 1-based line of ``sql`` that ``offset`` points into, if both are known.
    public var line: Int? {
        guard let sql, let offset else { return nil }
        return sql.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// Creates an error from its parts; prefer ``init(code:db:sql:)`` inside the interop layer.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The one place where a SQLite result code becomes a Swift error.
    ///
    /// Takes the connection's message (`sqlite3_errmsg`) when there is a connection, otherwise
    /// SQLite's generic text for the code (`sqlite3_errstr`).
    init(code: Int32, db: OpaquePointer?, sql: String? = nil) {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        self.init(extendedCode: code, message: message, sql: sql)
        if let db, sql != nil {
            let offset = sqlite3_error_offset(db)
            if offset >= 0 { self.offset = Int(offset) }
        }
    }

    /// `true` for constraint failures (`SQLITE_CONSTRAINT`), e.g. a duplicate key.
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// `true` when the database was busy or locked past the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// `true` when a write was refused because the connection or the file is read-only.
    public var isReadOnly: Bool { code == SQLITE_READONLY || code == SQLITE_AUTH }

    /// A one-line diagnostic: `SQLite error 19 (SQLITE_CONSTRAINT_UNIQUE…): message — in: SQL`.
    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " — in: \(sql.trimmingSQLWhitespace())" }
        return text
    }
}

extension String {
    /// The SQL text on one line, for messages.
    func trimmingSQLWhitespace() -> String {
        split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}
