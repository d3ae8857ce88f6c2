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
    /// The ingest ledger.
    public var history: IngestHistory
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
    public static func load(
        workspace: Workspace, reports: [SavedReport]? = nil, warehouse: ReadOnlyWarehouse?, historyLimit: Int = 50,
        now: Date = Date()
    ) -> DashboardSnapshot {
        var snapshot = DashboardSnapshot(
            workspaceName: workspace.layout.root.lastPathComponent, workspacePath: workspace.layout.root.path,
            reports: [], history: IngestHistory(), notice: nil, takenAt: now)
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
                return Report(report: report, result: try warehouse.run(report), error: nil)
            } catch let error as DashboardError {
                return Report(report: report, result: nil, error: error.message)
            } catch {
                return Report(report: report, result: nil, error: "\(error)")
            }
        }
        do {
            snapshot.history = try IngestHistory(from: warehouse, limit: historyLimit, root: workspace.layout.root)
        } catch {
            snapshot.notice = "cannot read the ingest ledger: \(error)"
        }
        return snapshot
    }

    /// The reports that ran, in the shape of `sluice report --format json`.
    public var reportResults: [ReportResult] {
        reports.compactMap { item in item.result.map { ReportResult(report: item.report, result: $0) } }
    }
}
