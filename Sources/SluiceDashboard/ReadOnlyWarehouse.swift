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
/// Every statement also runs under a time limit (a progress handler) and a row cap, and no
/// string or blob may grow past ``Limits/maxValueBytes``. Refusals are ``DashboardError``s
/// with code `write-refused` naming what was refused.
///
/// One owner at a time, like the connection it wraps (the server keeps it in ``WarehouseReader``).
public final class ReadOnlyWarehouse {
    /// Bounds on every query.
    public struct Limits: Sendable, Hashable {
        /// How long one statement may run before it is stopped.
        public var timeLimit: Duration
        /// Most rows returned by an ad-hoc query (the result says when more were cut).
        public var maxRows: Int
        /// Largest string or blob a query may build (`SQLITE_LIMIT_LENGTH`).
        public var maxValueBytes: Int32

        /// Creates limits; the defaults suit an interactive dashboard.
        public init(timeLimit: Duration = .seconds(5), maxRows: Int = 1_000, maxValueBytes: Int32 = 16 << 20) {
            self.timeLimit = timeLimit
            self.maxRows = maxRows
            self.maxValueBytes = maxValueBytes
        }
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
        warehouse.connection.setMaximumValueLength(limits.maxValueBytes)
        warehouse.connection.setAuthorizer { policy.decide($0) }
    }

    /// Runs one ad-hoc statement, cut at `maxRows` (default ``Limits/maxRows``).
    ///
    /// - Throws: ``DashboardError``: `write-refused` (HTTP 403) for anything but reading,
    ///   `time-limit` when it runs too long, `sql-error` when SQLite cannot compile or run it.
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        policy.reset()
        do {
            return try warehouse.connection.withTimeLimit(limits.timeLimit) {
                try warehouse.query(sql, maxRows: maxRows ?? limits.maxRows)
            }
        } catch let error as WarehouseError {
            throw translate(error)
        }
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
