import Foundation
import SluicePipeline
import SluiceWarehouse

/// The server's one owner of the read-only warehouse connection: every request that reads
/// goes through this actor, one statement at a time.
///
/// The connection is opened on first use, so `sluice serve` can start before anything was
/// loaded (and pick the warehouse up once `--watch` or `sluice ingest` creates it).
public actor WarehouseReader {
    /// The workspace served.
    public let workspace: Workspace
    /// The bounds on every query.
    public let limits: ReadOnlyWarehouse.Limits
    private var warehouse: ReadOnlyWarehouse?
    private var lastVersion: Int64?
    private var generation = 0

    /// Creates a reader; nothing is opened yet.
    public init(workspace: Workspace, limits: ReadOnlyWarehouse.Limits = .init()) {
        self.workspace = workspace
        self.limits = limits
    }

    private func open() throws -> ReadOnlyWarehouse {
        if let warehouse { return warehouse }
        let opened = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path, limits: limits)
        warehouse = opened
        return opened
    }

    /// Every saved report with its rows: the content of `sluice report --format json`.
    public func reports() throws -> [ReportResult] {
        let warehouse = try open()
        return try workspace.reports().reports.map { ReportResult(report: $0, result: try warehouse.run($0)) }
    }

    /// One saved report, by name or unique prefix (`q3`).
    ///
    /// - Throws: ``DashboardError`` `not-found` listing the available names.
    public func report(named name: String) throws -> ReportResult {
        let report: SavedReport
        do {
            guard let found = try workspace.reports().select([name]).first else { throw DashboardError(code: .notFound, message: name) }
            report = found
        } catch let error as WarehouseError {
            throw DashboardError(code: .notFound, message: error.message)
        }
        return ReportResult(report: report, result: try open().run(report))
    }

    /// One ad-hoc read-only query, cut at `maxRows` (at most ``ReadOnlyWarehouse/Limits/maxRows``).
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        try open().query(sql, maxRows: min(maxRows ?? limits.maxRows, limits.maxRows))
    }

    /// The ingest ledger, newest first; empty before anything was loaded.
    public func history(limit: Int = 100) throws -> IngestHistory {
        guard let warehouse = try? open() else { return IngestHistory() }
        return try IngestHistory(from: warehouse, limit: limit, root: workspace.layout.root)
    }

    /// Everything the dashboard page shows.
    public func snapshot() -> DashboardSnapshot {
        DashboardSnapshot.load(workspace: workspace, warehouse: try? open())
    }

    /// A number that grows whenever the warehouse changed since the last call: a commit by
    /// another connection (`PRAGMA data_version`), or the warehouse appearing for the first time.
    /// Cheap enough to poll twice a second.
    public func changeGeneration() -> Int {
        guard let warehouse = try? open(), let version = try? warehouse.dataVersion() else { return generation }
        if version != lastVersion {
            if lastVersion != nil || generation == 0 { generation += 1 }
            lastVersion = version
        }
        return generation
    }
}
