import Foundation
import SluicePipeline
import SluiceWarehouse

/// Everything one page shows, read at one moment: each saved report with its rows (or why it
/// failed), the chart it asks for, and the ingest ledger.
public struct DashboardSnapshot: Sendable {
    /// One saved report and its outcome.
    public struct Report: Sendable {
        /// The report.
        public var report: SavedReport
        /// Its rows, when it ran.
        public var result: QueryResult?
        /// Why it did not run (no warehouse yet, a SQL error, a refused statement).
        public var error: String?
        /// How it is drawn.
        public var chart: ChartSpec {
            result.map { ChartSpec.forReport(report, result: $0) }
                ?? report.properties["chart"].flatMap(ChartSpec.init(parsing:)) ?? ChartSpec(kind: .table)
        }
    }

    /// The workspace folder's name, for the page title.
    public var workspaceName: String
    /// The workspace folder.
    public var workspacePath: String
    /// Every saved report, in file-name order.
    public var reports: [Report]
    /// The ingest ledger (one page of it, and the totals).
    public var history: IngestHistory
    /// Every file waiting in `failed/`, with its reason.
    public var quarantine: [QuarantinedFile] = []
    /// The schema's column descriptions by column name, for axis titles.
    public var columnDescriptions: [String: String] = [:]
    /// Why there is nothing to show yet, e.g. no warehouse.
    public var notice: String?
    /// When the snapshot was taken.
    public var takenAt: Date

    /// Reads the reports and the ledger through `warehouse` (or, with `nil`, records that nothing
    /// was loaded yet). A report that fails is kept with its error; the page still renders.
    ///
    /// - Parameters:
    ///   - reports: The reports to run; `nil` runs every report in the workspace's `queries/`.
    ///   - historyLimit: Most ledger entries listed (the totals cover all of them).
    ///   - historyOffset: Newest ledger entries skipped (paging).
    public static func load(
        workspace: Workspace, reports: [SavedReport]? = nil, warehouse: ReadOnlyWarehouse?, historyLimit: Int = 50,
        historyOffset: Int = 0, now: Date = Date()
    ) -> DashboardSnapshot {
        load(
            workspace: workspace, reports: reports, warehouse: warehouse, historyLimit: historyLimit,
            historyOffset: historyOffset, now: now
        ) {
            try warehouse?.run($0) ?? QueryResult(columns: [], rows: [])
        }
    }

    /// ``load(workspace:reports:warehouse:historyLimit:historyOffset:now:)`` with the reports run
    /// by `run` (the server's ``WarehouseReader`` answers from its cache when nothing changed).
    static func load(
        workspace: Workspace, reports: [SavedReport]? = nil, warehouse: ReadOnlyWarehouse?, historyLimit: Int = 50,
        historyOffset: Int = 0, now: Date = Date(), run: (SavedReport) throws -> QueryResult
    ) -> DashboardSnapshot {
        var snapshot = DashboardSnapshot(
            workspaceName: workspace.layout.root.lastPathComponent, workspacePath: workspace.layout.root.path,
            reports: [], history: IngestHistory(), notice: nil, takenAt: now)
        for column in workspace.schema.columns {
            if let description = column.description, !description.isEmpty { snapshot.columnDescriptions[column.name] = description }
        }
        let saved: [SavedReport]
        do {
            saved = try reports ?? workspace.reports().reports
        } catch {
            snapshot.notice = "cannot read the saved reports: \(error)"
            saved = []
        }
        guard let warehouse else {
            snapshot.notice = snapshot.notice ?? "Nothing loaded yet: drop CSV files into \(workspace.layout.inbox.path)."
            snapshot.reports = saved.map { Report(report: $0, result: nil, error: "no data loaded yet") }
            return snapshot
        }
        snapshot.reports = saved.map { report in
            do {
                return Report(report: report, result: try run(report), error: nil)
            } catch let error as DashboardError {
                return Report(report: report, result: nil, error: error.message)
            } catch {
                return Report(report: report, result: nil, error: "\(error)")
            }
        }
        do {
            snapshot.history = try IngestHistory(
                from: warehouse, limit: historyLimit, offset: historyOffset, root: workspace.layout.root)
        } catch {
            snapshot.notice = "cannot read the ingest ledger: \(error)"
        }
        do {
            snapshot.quarantine = try QuarantinedFile.list(in: workspace, warehouse: warehouse)
        } catch {
            snapshot.notice = "cannot list the quarantined files: \(error)"
        }
        return snapshot
    }

    /// The reports that ran, in the shape of `sluice report --format json`.
    public var reportResults: [ReportResult] {
        reports.compactMap { item in item.result.map { ReportResult(report: item.report, result: $0) } }
    }
}
