import Foundation

extension Workspace {
    /// Runs one saved report, by name or unique prefix (`"q5"`), on a read-only connection of
    /// its own under `ReadOnlyWarehouse.Limits.reports` (and what the report's
    /// header sets).
    ///
    /// The result encodes to exactly one element of `sluice report --format json`'s `reports`
    /// array: `{"name","title","description","columns","rows"}`, numbers as JSON numbers.
    /// - Throws: `WarehouseError` `report-not-found` (listing the names),
    ///   `no-warehouse` before anything was loaded, or `ReportOutcome.Failure`
    ///   (with the file and line) when the report fails.
    public func report(named name: String) async throws -> ReportResult {
        let outcome = try await runReports([name])[0]
        switch outcome.result {
        case .success(let rows): return ReportResult(report: outcome.report, result: rows)
        case .failure(let failure): throw failure
        }
    }

    /// Runs the saved reports named (all of them when `names` is empty), each on its own
    /// read-only connection: one that fails does not stop the others.
    ///
    /// - Parameters:
    ///   - names: Report names or unique prefixes; empty for all, in file-name order.
    ///   - limits: The bounds on each report, before what its header sets.
    /// - Throws: `WarehouseError` `report-not-found` for a name that matches
    ///   no report or several, `no-warehouse` before anything was loaded.
    public func runReports(
        _ names: [String] = [], limits: ReadOnlyWarehouse.Limits = .reports
    ) async throws -> [ReportOutcome] {
        let workspace = self
        return try await onOwnThread { try workspace.runReportsNow(names, limits: limits) }
    }

    /// ``runReports(_:limits:)`` on the caller's thread.
    public func runReportsNow(
        _ names: [String] = [], limits: ReadOnlyWarehouse.Limits = .reports
    ) throws -> [ReportOutcome] {
        let chosen = try reports().select(names)
        try requireWarehouse()
        return ReportOutcome.run(chosen, warehouse: layout.warehouse.path, limits: limits)
    }

    /// Runs one read-only SQL statement and returns every row (by default nothing is cut: no
    /// row cap, no time limit; with a row cap the result says `QueryResult.isTruncated`).
    ///
    /// Statements that would write are refused (`WarehouseError` `write-refused`);
    /// `median(x)`, `percentile(x, p)` and `mode(x)` are there beside SQLite's functions.
    ///
    /// - Parameters:
    ///   - sql: One read-only statement.
    ///   - limits: Time limit, row cap and byte cap (default: none of them).
    public func query(_ sql: String, limits: ReadOnlyWarehouse.Limits = .unlimited) async throws -> QueryResult {
        let workspace = self
        return try await onOwnThread { try workspace.reader(limits: limits).query(sql) }
    }

    /// A read-only, guarded connection to the warehouse for reading on the caller's thread: the
    /// way to stream a large result row by row (`ReadOnlyWarehouse.stream(_:maxRows:columns:row:)`).
    ///
    /// - Parameters:
    ///   - limits: The bounds on every statement (default: none).
    ///   - authorizer: Also refuse `ATTACH`, `load_extension()` and pragmas that set
    ///   something while statements compile (for SQL from strangers; see
    ///     `ReadOnlyWarehouse.init(path:limits:authorizer:)`).
    /// - Throws: `WarehouseError` `no-warehouse` before anything was loaded.
    public func reader(
        limits: ReadOnlyWarehouse.Limits = .unlimited, authorizer: Bool = false
    ) throws(WarehouseError) -> ReadOnlyWarehouse {
        try requireWarehouse()
        return try ReadOnlyWarehouse(path: layout.warehouse.path, limits: limits, authorizer: authorizer)
    }

    /// The ingest ledger, read-only (`nil` before anything was ingested): totals, recent
    /// entries, quarantined files.
    public func ledger() throws -> Ledger? {
        try Ledger.openReadOnly(self)
    }

    private func requireWarehouse() throws(WarehouseError) {
        guard FileManager.default.fileExists(atPath: layout.warehouse.path) else {
            throw WarehouseError(
                code: .noWarehouse, message: "no warehouse in \(layout.root.path) yet: nothing was loaded")
        }
    }
}

/// Runs blocking work (SQLite) on a thread of its own, so a long query never holds one of the
/// few threads the shared concurrency pool has.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "sluice-reader"
        thread.start()
    }
}
