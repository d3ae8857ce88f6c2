import Foundation
import SluiceWarehouse

/// The warehouse as the dashboard and the HTML report see it: read-only three times over.
///
/// 1. The file is opened with `SQLITE_OPEN_READONLY` and `PRAGMA query_only = ON`.
/// 2. An authorizer (``ReadOnlyPolicy``) refuses, while a statement compiles, every action that
///    is not reading: writes, DDL, `ATTACH`, transactions, setting pragmas, `load_extension()`.
/// 3. A statement that SQLite still considers writing (`sqlite3_stmt_readonly`) is refused
///    before it runs.
///
/// Every statement also runs under a time limit (a progress handler), a row cap and a byte cap
/// (``Limits/maxResultBytes``, counted row by row while stepping, so a huge result stops early
/// and its memory is freed at once), and no string or blob may grow past the smaller of
/// ``Limits/maxValueBytes`` and the byte cap. Refusals are ``DashboardError``s
/// with code `write-refused` naming what was refused.
///
/// One owner at a time, like the connection it wraps (the server keeps it in ``WarehouseReader``).
public final class ReadOnlyWarehouse {
    /// Bounds on every query.
    public struct Limits: Sendable, Hashable {
        /// How long one statement may run before it is stopped; the server's time limit also
        /// covers turning the rows into the response.
        public var timeLimit: Duration
        /// Most rows returned by an ad-hoc query (the result says when more were cut).
        public var maxRows: Int
        /// Largest string or blob a query may build (`SQLITE_LIMIT_LENGTH`); never more than
        /// ``maxResultBytes``.
        public var maxValueBytes: Int32
        /// Largest result, in bytes as the JSON answer would hold them (text as UTF-8 with its
        /// escapes, blobs as hex, numbers at their widest). Past it the query stops with
        /// ``DashboardError/Code/resultTooLarge``: the row cap alone bounds nothing when one
        /// row can hold a 16 MB blob.
        public var maxResultBytes: Int

        /// Creates limits; the defaults suit an interactive dashboard (5 s, 1,000 rows, 8 MiB).
        public init(timeLimit: Duration = .seconds(5), maxRows: Int = 1_000, maxValueBytes: Int32 = 16 << 20,
                    maxResultBytes: Int = 8 << 20) {
            self.timeLimit = timeLimit
            self.maxRows = maxRows
            self.maxValueBytes = maxValueBytes
            self.maxResultBytes = maxResultBytes
        }

        /// The `SQLITE_LIMIT_LENGTH` applied: the smaller of the two byte limits.
        var effectiveValueLimit: Int32 { Int32(clamping: min(Int(maxValueBytes), max(1, maxResultBytes))) }
    }

    private let warehouse: Warehouse
    private let policy = ReadOnlyPolicy()
    /// The bounds applied to every statement.
    public let limits: Limits

    /// Opens the warehouse file read-only and installs the guards.
    ///
    /// - Throws: ``DashboardError`` `no-warehouse` when the file does not exist (nothing was
    ///   loaded yet), `internal` when SQLite cannot open it.
    public init(path: String, limits: Limits = Limits()) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DashboardError(code: .noWarehouse, message: "no warehouse at \(path) yet; load data first with `sluice ingest`")
        }
        do {
            warehouse = try Warehouse(path: path, readOnly: true)
        } catch {
            throw DashboardError(code: .internalError, message: "cannot open \(path) read-only: \(error.message)")
        }
        self.limits = limits
        let policy = self.policy
        warehouse.connection.setMaximumValueLength(limits.effectiveValueLimit)
        warehouse.connection.setAuthorizer { policy.decide($0) }
    }

    /// Runs one ad-hoc statement, cut at `maxRows` (default ``Limits/maxRows``) and at
    /// ``Limits/maxResultBytes``.
    ///
    /// - Throws: ``DashboardError``: `write-refused` (HTTP 403) for anything but reading,
    ///   `time-limit` when it runs too long, `result-too-large` past the byte limit, `sql-error`
    ///   when SQLite cannot compile or run it.
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        policy.reset()
        do {
            return try warehouse.connection.withTimeLimit(limits.timeLimit) {
                try read(sql, maxRows: maxRows ?? limits.maxRows)
            }
        } catch let error as WarehouseError {
            throw translate(error)
        } catch let error as SQLiteError {
            throw translate(WarehouseError(error))
        }
    }

    /// Steps through the rows, counting their size as it goes.
    private func read(_ sql: String, maxRows: Int) throws -> QueryResult {
        let statement = try warehouse.connection.prepare(sql)
        defer { statement.reset() }
        guard statement.isReadOnly else {
            throw WarehouseError(
                code: .writeRefused,
                message: "only read-only statements may run here (SELECT or WITH); this one would change the database")
        }
        var result = QueryResult(columns: statement.columnNames, rows: [])
        var bytes = result.columns.reduce(16) { $0 + ResultSize.text($1) }
        while try statement.step() {
            if result.rows.count >= maxRows {
                result.isTruncated = true
                break
            }
            let row = statement.row
            bytes += ResultSize.row(row)
            if bytes > limits.maxResultBytes { throw tooLarge(atRow: result.rows.count + 1) }
            result.rows.append(row)
        }
        return result
    }

    private func tooLarge(atRow row: Int?) -> DashboardError {
        let place = row.map { " (at row \(ChartFormat.grouped(Int64($0))))" } ?? " (one value alone is too large)"
        return DashboardError(
            code: .resultTooLarge,
            message: "the result is larger than the limit of \(ChartFormat.bytes(limits.maxResultBytes))\(place); select fewer rows or columns, or leave out large values")
    }

    /// Runs a saved report under the same guards (no row cap below 100,000 rows).
    public func run(_ report: SavedReport) throws -> QueryResult {
        try query(report.sql, maxRows: max(limits.maxRows, 100_000))
    }

    /// `PRAGMA data_version`: changes whenever another connection commits to the database.
    public func dataVersion() throws -> Int64 {
        guard case .integer(let version)? = try query("PRAGMA data_version").rows.first?.first else { return 0 }
        return version
    }

    /// Whether a table of that name exists.
    public func hasTable(_ name: String) throws -> Bool {
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        return try !query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = \(quoted)").rows.isEmpty
    }

    private func translate(_ error: WarehouseError) -> DashboardError {
        if error.code == .writeRefused {
            return DashboardError(code: .writeRefused, message: "refused: \(error.message)")
        }
        guard let cause = error.cause else { return DashboardError(code: .sqlError, message: error.message) }
        // A denied action may surface as SQLITE_AUTH or as a plain error ("not authorized to use
        // function …"); the policy's record says which.
        if policy.lastRefusal != nil || cause.isAuthorizationDenied || cause.isReadOnly {
            let what = policy.lastRefusal ?? "the statement"
            return DashboardError(
                code: .writeRefused,
                message: "refused: \(what) is not allowed here; the dashboard only reads (SELECT, WITH … SELECT, reporting pragmas)")
        }
        if cause.code == 18 {  // SQLITE_TOOBIG: one value passed SQLITE_LIMIT_LENGTH
            return tooLarge(atRow: nil)
        }
        if cause.isInterrupted {
            return DashboardError(
                code: .timeLimit,
                message: "the query ran longer than \(limits.timeLimit) and was stopped; narrow it or add a LIMIT")
        }
        return DashboardError(code: .sqlError, message: cause.message)
    }
}

/// One owner at a time, like its connection.
@available(*, unavailable)
extension ReadOnlyWarehouse: Sendable {}
