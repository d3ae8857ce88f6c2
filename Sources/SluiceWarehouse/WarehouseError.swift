/// An error from the warehouse layer above raw SQLite: a refused query, a table that does not
/// match the schema, a report file that cannot be read.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case writeRefused = "write-refused", tableMismatch = "table-mismatch", reportUnreadable =
                "report-unreadable"
            case reportNotFound = "report-not-found", sqlite, timeLimit = "time-limit", resultTooLarge =
                "result-too-large"
            case noWarehouse = "no-warehouse", noSuchTable = "no-such-table"
        }
        private let kind: Kind
        /// A query tried to change the database on a read-only path.
        public static let writeRefused = Code(kind: .writeRefused)
        /// The warehouse table exists with other columns than the schema asks for.
        public static let tableMismatch = Code(kind: .tableMismatch)
        /// A saved report file could not be read or parsed.
        public static let reportUnreadable = Code(kind: .reportUnreadable)
        /// No saved report has the requested name.
        public static let reportNotFound = Code(kind: .reportNotFound)
        /// A statement ran longer than its time limit and was stopped.
        public static let timeLimit = Code(kind: .timeLimit)
        /// A result grew past its byte limit (see ``ReadOnlyWarehouse/Limits/maxResultBytes``).
        public static let resultTooLarge = Code(kind: .resultTooLarge)
        /// Nothing was loaded yet: there is no warehouse file.
        public static let noWarehouse = Code(kind: .noWarehouse)
        /// A statement names a table that does not exist; the message lists the ones that do.
        public static let noSuchTable = Code(kind: .noSuchTable)
        /// SQLite refused the operation; see ``WarehouseError/cause``.
        public static let sqlite = Code(kind: .sqlite)
        /// The stable kebab-case identifier.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String
    /// The SQLite error underneath, if any (carries the SQL).
    public var cause: SQLiteError?

    /// Creates an error.
    public init(code: Code, message: String, cause: SQLiteError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Wraps a SQLite error.
    public init(_ cause: SQLiteError) {
        self.init(code: .sqlite, message: cause.message, cause: cause)
    }

    /// `error: message` plus SQLite's diagnostic when there is one.
    public var description: String {
        guard let cause else { return "error: \(message)" }
        return cause.message == message ? "error: \(cause)" : "error: \(message) (\(cause))"
    }
}
