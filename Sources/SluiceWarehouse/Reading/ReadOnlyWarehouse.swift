import Foundation

/// The warehouse as queries and reports see it: read-only three times over.
///
/// 1. The file is opened with `SQLITE_OPEN_READONLY` and `PRAGMA query_only = ON`.
/// 2. An authorizer (``ReadOnlyPolicy``) refuses, while a statement compiles, every action that
///    is not reading: writes, DDL, `ATTACH`, transactions, setting pragmas, `load_extension()`.
/// 3. A statement that SQLite still considers writing (`sqlite3_stmt_readonly`) is refused
///    before it runs.
///
/// Every statement also runs under the ``Limits``: a time limit (a progress handler), a row cap
/// and a byte cap (counted row by row while stepping, so a huge result stops early), and no
/// string or blob may grow past ``Limits/maxValueBytes``. A cap is never applied silently: a
/// row cap marks the result truncated, a byte cap or a time limit is an error.
///
/// One owner at a time, like the connection it wraps.
public final class ReadOnlyWarehouse {
    /// Bounds on every statement; `nil` means no bound.
    public struct Limits: Sendable, Hashable {
        /// How long one statement may run before it is stopped.
        public var timeLimit: Duration?
        /// Most rows returned; past it the result is marked truncated.
        public var maxRows: Int?
        /// Largest string or blob a statement may build (`SQLITE_LIMIT_LENGTH`).
        public var maxValueBytes: Int32
        /// Largest result, in bytes as its JSON would hold them (text as UTF-8 with its escapes,
        /// blobs as hex, numbers at their widest). Past it the statement stops with
        /// ``WarehouseError/Code/resultTooLarge``: a row cap alone bounds nothing when one row can
        /// hold a 16 MB blob.
        public var maxResultBytes: Int?

        /// Creates limits; the defaults suit an interactive dashboard (5 s, 1,000 rows, 8 MiB).
        public init(
            timeLimit: Duration? = .seconds(5), maxRows: Int? = 1_000, maxValueBytes: Int32 = 16 << 20,
            maxResultBytes: Int? = 8 << 20
        ) {
            self.timeLimit = timeLimit
            self.maxRows = maxRows
            self.maxValueBytes = maxValueBytes
            self.maxResultBytes = maxResultBytes
        }

        /// No row or byte cap and no time limit: every row, however long it takes (exports).
        public static let unlimited = Limits(timeLimit: nil, maxRows: nil, maxResultBytes: nil)

        /// The `SQLITE_LIMIT_LENGTH` applied: the smaller of the two byte limits.
        var effectiveValueLimit: Int32 {
            Int32(clamping: min(Int(maxValueBytes), max(1, maxResultBytes ?? Int(Int32.max))))
        }
    }

    /// What a streamed statement delivered.
    public struct StreamSummary: Sendable, Hashable {
        /// The result's column names.
        public var columns: [String]
        /// Rows handed to the caller.
        public var rowCount: Int
        /// Whether the row cap stopped it before the last row.
        public var isTruncated: Bool
    }

    private let warehouse: Warehouse
    private let policy = ReadOnlyPolicy()
    /// The bounds applied to every statement.
    public let limits: Limits

    /// Opens the warehouse file read-only and installs the guards.
    ///
    /// - Parameters:
    ///   - limits: The bounds on every statement.
    ///   - authorizer: Whether to install ``ReadOnlyPolicy`` too (the dashboard, which serves
    ///     strangers, does). Without it the file is still opened read-only with `query_only`,
    ///     and a statement that would write is still refused, but `ATTACH` and table-valued
    ///     pragmas (`pragma_table_info('t')`) work, as a local user of `sluice query` expects.
    /// - Throws: ``WarehouseError`` `no-warehouse` when the file does not exist (nothing was
    ///   loaded yet), `sqlite` when SQLite cannot open it.
    public init(path: String, limits: Limits = Limits(), authorizer: Bool = true) throws(WarehouseError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw WarehouseError(code: .noWarehouse, message: "no warehouse at \(path) yet: nothing was loaded")
        }
        do {
            warehouse = try Warehouse(path: path, readOnly: true)
        } catch {
            throw WarehouseError(
                code: .sqlite, message: "cannot open \(path) read-only: \(error.message)", cause: error)
        }
        self.limits = limits
        let policy = self.policy
        warehouse.connection.setMaximumValueLength(limits.effectiveValueLimit)
        if authorizer { warehouse.connection.setAuthorizer { policy.decide($0) } }
    }

    /// Runs one read-only statement and returns its rows, cut at `maxRows` (default
    /// ``Limits/maxRows``; the result then says it is truncated).
    ///
    /// - Throws: ``WarehouseError``: `write-refused` for anything but reading, `time-limit`,
    ///   `result-too-large`, `no-such-table` (listing the tables), `sqlite` otherwise.
    public func query(_ sql: String, maxRows: Int? = nil) throws(WarehouseError) -> QueryResult {
        var rows: [[SQLiteValue]] = []
        let summary = try stream(sql, maxRows: maxRows) { rows.append($0) }
        return QueryResult(columns: summary.columns, rows: rows, isTruncated: summary.isTruncated)
    }

    /// Runs one read-only statement and hands each row to `row` as it is read, so memory stays
    /// flat however many rows there are (an export). `columns` is called once, before the first row.
    ///
    /// - Throws: What ``query(_:maxRows:)`` throws, and what `row` throws.
    @discardableResult
    public func stream(
        _ sql: String, maxRows: Int? = nil, columns: ([String]) throws -> Void = { _ in },
        row: ([SQLiteValue]) throws -> Void
    ) throws(WarehouseError) -> StreamSummary {
        policy.reset()
        let cap = maxRows ?? limits.maxRows
        do {
            guard let timeLimit = limits.timeLimit else {
                return try read(sql, maxRows: cap, columns: columns, row: row)
            }
            return try warehouse.connection.withTimeLimit(timeLimit) {
                try read(sql, maxRows: cap, columns: columns, row: row)
            }
        } catch let error as WarehouseError {
            throw translate(error)
        } catch let error as SQLiteError {
            throw translate(WarehouseError(error))
        } catch {
            throw WarehouseError(code: .sqlite, message: "\(error)")
        }
    }

    /// Steps through the rows, counting their size as it goes.
    private func read(
        _ sql: String, maxRows: Int?, columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws -> StreamSummary {
        let statement = try warehouse.connection.prepare(sql)
        defer { statement.reset() }
        guard statement.isReadOnly else {
            throw WarehouseError(
                code: .writeRefused,
                message:
                    "refused: only read-only statements may run here (SELECT or WITH); this one would change the database"
            )
        }
        var summary = StreamSummary(columns: statement.columnNames, rowCount: 0, isTruncated: false)
        try columns(summary.columns)
        var bytes = summary.columns.reduce(16) { $0 + ResultSize.text($1) }
        while try statement.step() {
            if let maxRows, summary.rowCount >= maxRows {
                summary.isTruncated = true
                break
            }
            let values = statement.row
            if let maxResultBytes = limits.maxResultBytes {
                bytes += ResultSize.row(values)
                if bytes > maxResultBytes { throw tooLarge(atRow: summary.rowCount + 1) }
            }
            try row(values)
            summary.rowCount += 1
        }
        return summary
    }

    private func tooLarge(atRow row: Int?) -> WarehouseError {
        let limit = limits.maxResultBytes.map { Self.megabytes($0) } ?? "its limit"
        let place = row.map { " (at row \($0))" } ?? " (one value alone is too large)"
        return WarehouseError(
            code: .resultTooLarge,
            message:
                "the result is larger than the limit of \(limit)\(place); select fewer rows or columns, or leave out large values"
        )
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// Runs a saved report under the same guards. A report returns every row unless its
    /// header sets `-- max_rows: N` (this connection's row cap is for ad-hoc queries).
    public func run(_ report: SavedReport) throws(WarehouseError) -> QueryResult {
        try query(report.sql, maxRows: report.limits(default: .unlimited).maxRows ?? Int.max)
    }

    /// `PRAGMA data_version`: changes whenever another connection commits to the database.
    public func dataVersion() throws(WarehouseError) -> Int64 {
        guard case .integer(let version)? = try query("PRAGMA data_version").rows.first?.first else { return 0 }
        return version
    }

    /// Whether a table of that name exists.
    public func hasTable(_ name: String) throws(WarehouseError) -> Bool {
        try tableNames().contains(name)
    }

    /// The tables users query: every table but SQLite's own and Sluice's bookkeeping, by name.
    public func tableNames() throws(WarehouseError) -> [String] {
        let result = try query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            maxRows: nil)
        return result.rows.compactMap { row in
            guard case .text(let name)? = row.first else { return nil }
            return name
        }
    }

    private func translate(_ error: WarehouseError) -> WarehouseError {
        guard error.code == .sqlite, let cause = error.cause else { return error }
        // A denied action may surface as SQLITE_AUTH or as a plain error ("not authorized to use
        // function …"); the policy's record says which.
        if policy.lastRefusal != nil || cause.isAuthorizationDenied || cause.isReadOnly {
            let what = policy.lastRefusal ?? "the statement"
            return WarehouseError(
                code: .writeRefused,
                message:
                    "refused: \(what) is not allowed here; only reading is (SELECT, WITH … SELECT, reporting pragmas)",
                cause: cause)
        }
        if cause.code == 18 {  // SQLITE_TOOBIG: one value passed SQLITE_LIMIT_LENGTH
            var error = tooLarge(atRow: nil)
            error.cause = cause
            return error
        }
        if cause.isInterrupted {
            let limit = limits.timeLimit.map { "\($0)" } ?? "its time limit"
            return WarehouseError(
                code: .timeLimit,
                message: "the query ran longer than \(limit) and was stopped; narrow it or add a LIMIT",
                cause: cause)
        }
        if cause.message.hasPrefix("no such table"), let tables = try? tableNames() {
            let list = tables.filter { !$0.hasPrefix("sluice_") }
            let known = list.isEmpty ? "there are no tables yet" : "tables: " + list.joined(separator: ", ")
            return WarehouseError(code: .noSuchTable, message: "\(cause.message) (\(known))", cause: cause)
        }
        return error
    }
}

/// One owner at a time, like its connection.
@available(*, unavailable)
extension ReadOnlyWarehouse: Sendable {}
