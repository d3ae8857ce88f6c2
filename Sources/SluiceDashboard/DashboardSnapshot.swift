import Foundation
import Synchronization
import Sluice
import SluicePipeline
import SluiceSchema
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
    /// The schema's `labels:` by column name, then by stored value, for chart categories and legends.
    public var valueLabels: [String: [String: String]] = [:]
    /// Why there is nothing to show yet, e.g. no warehouse.
    public var notice: String?
    /// When the snapshot was taken.
    public var takenAt: Date

    /// The snapshot of the self-contained HTML report: the reports as they ran (a failed one
    /// keeps its error), and the workspace's ledger.
    public static func load(workspace: Workspace, outcomes: [ReportOutcome], now: Date = Date()) -> DashboardSnapshot {
        let results = Dictionary(outcomes.map { ($0.report, $0.result) }, uniquingKeysWith: { first, _ in first })
        let hasWarehouse = FileManager.default.fileExists(atPath: workspace.layout.warehouse.path)
        return load(
            workspace: workspace, reports: outcomes.isEmpty ? nil : outcomes.map(\.report), hasWarehouse: hasWarehouse,
            ledger: try? workspace.ledger(), now: now
        ) { report throws(WarehouseError) in
            switch results[report] {
            case .success(let rows)?: return rows
            case .failure(let failure)?: throw WarehouseError(code: .sqlite, message: failure.description)
            case nil: return QueryResult(columns: [], rows: [])
            }
        }
    }

    /// The snapshot of the HTML report with every saved report run now (or, before anything
    /// was loaded, a page that says so).
    public static func load(workspace: Workspace, now: Date = Date()) -> DashboardSnapshot {
        load(workspace: workspace, outcomes: (try? workspace.runReportsNow()) ?? [], now: now)
    }

    /// Reads the reports through `run` (the server's ``WarehouseReader`` answers from its
    /// cache when nothing changed) and the ledger through its read model. A report that fails
    /// is kept with its error; the page still renders.
    ///
    /// - Parameters:
    ///   - reports: The reports to run; `nil` runs every report in the workspace's `queries/`.
    ///   - hasWarehouse: Whether anything was loaded yet (else the page says so).
    ///   - historyLimit: Most ledger entries listed (the totals cover all of them).
    ///   - historyOffset: Newest ledger entries skipped (paging).
    static func load(
        workspace: Workspace, reports: [SavedReport]? = nil, hasWarehouse: Bool, ledger: Ledger?,
        historyLimit: Int = 50,
        historyOffset: Int = 0, now: Date = Date(), run: (SavedReport) throws(WarehouseError) -> QueryResult
    ) -> DashboardSnapshot {
        var snapshot = DashboardSnapshot(
            workspaceName: workspace.layout.root.lastPathComponent, workspacePath: workspace.layout.root.path,
            reports: [], history: IngestHistory(), notice: nil, takenAt: now)
        for column in workspace.schema.columns {
            if let description = column.description, !description.isEmpty {
                snapshot.columnDescriptions[column.name] = description
            }
        }
        snapshot.valueLabels = workspace.schema.valueLabels(lowercasingText: workspace.policy.cleaning.lowercaseText)
        let saved: [SavedReport]
        do {
            saved = try reports ?? workspace.reports().reports
        } catch {
            snapshot.notice = "cannot read the saved reports: \(error)"
            saved = []
        }
        guard hasWarehouse else {
            snapshot.notice =
                snapshot.notice ?? "Nothing loaded yet: drop CSV files into \(workspace.layout.inbox.path)."
            snapshot.reports = saved.map { Report(report: $0, result: nil, error: "no data loaded yet") }
            return snapshot
        }
        snapshot.reports = saved.map { report in
            do throws(WarehouseError) {
                return Report(report: report, result: try run(report), error: nil)
            } catch {
                return Report(
                    report: report, result: nil,
                    error: error.code == .sqlite && error.cause == nil
                        ? error.message : report.place(of: error) + ": " + error.message)
            }
        }
        do {
            snapshot.history = try HistoryCache.shared.history(
                ledger: ledger, limit: historyLimit, offset: historyOffset)
        } catch {
            snapshot.notice = "cannot read the ingest ledger: \(error)"
        }
        do {
            snapshot.quarantine = try QuarantinedFile.list(in: workspace, ledger: ledger)
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

/// The page's ingest history, kept until another connection commits (`PRAGMA data_version` on
/// the ledger's connection moves): its totals sum the whole ledger, a scan of every entry
/// (about 90 MB at 100,000 deliveries) that would otherwise run on every page load.
private final class HistoryCache: Sendable {
    static let shared = HistoryCache()

    private struct Kept: @unchecked Sendable {
        /// The ledger read (weak: a new ledger object is never mistaken for it).
        weak var ledger: Ledger?
        var version: Int64
        var limit: Int
        var offset: Int
        var history: IngestHistory
    }

    private let kept = Mutex<Kept?>(nil)

    /// The history `IngestHistory(ledger:limit:offset:)` gives, from the cache when nothing was
    /// committed since it was read. The version is read first, so a commit during the read makes
    /// the next call read again.
    func history(ledger: Ledger?, limit: Int, offset: Int) throws -> IngestHistory {
        guard let ledger, let version = try? ledger.dataVersion() else {
            return try IngestHistory(ledger: ledger, limit: limit, offset: offset)
        }
        if let hit = kept.withLock({ kept -> IngestHistory? in
            guard let kept, kept.ledger === ledger, kept.version == version, kept.limit == limit,
                kept.offset == offset
            else { return nil }
            return kept.history
        }) {
            return hit
        }
        let history = try IngestHistory(ledger: ledger, limit: limit, offset: offset)
        kept.withLock { $0 = Kept(ledger: ledger, version: version, limit: limit, offset: offset, history: history) }
        return history
    }
}
