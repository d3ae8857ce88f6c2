import Foundation
import Sluice
import SluicePipeline
import SluiceSchema
import SluiceWarehouse

/// The server's one owner of the read-only warehouse connection: every request that reads
/// goes through this actor, one statement at a time.
///
/// Saved reports' results are kept until the data changes: a report runs again only when
/// `PRAGMA data_version` moved (another connection committed) or its SQL file changed, so a page
/// load between two ingests costs no query at all.
///
/// The actor runs on a thread of its own (``WarehouseThread``), so a slow query never holds a
/// thread of the shared pool that the other requests need.
///
/// The connection is opened on first use, so `sluice serve` can start before anything was
/// loaded (and pick the warehouse up once `--watch` or `sluice ingest` creates it).
public actor WarehouseReader {
    /// The workspace served.
    public let workspace: Workspace
    /// The bounds on every query.
    public let limits: ReadOnlyWarehouse.Limits
    private var warehouse: ReadOnlyWarehouse?
    private var ledgerReader: Ledger?
    private var lastVersion: Int64?
    private var generation = 0
    /// Report results valid for one `data_version`.
    private var cache: (version: Int64, results: [SavedReport: QueryResult])?
    /// How many times a saved report actually ran (for tests of the cache).
    private(set) var reportRuns = 0
    private let thread = WarehouseThread(name: "sluice-warehouse")

    /// The actor's executor: its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Creates a reader; nothing is opened yet.
    public init(workspace: Workspace, limits: ReadOnlyWarehouse.Limits = .init()) {
        self.workspace = workspace
        self.limits = limits
    }

    deinit {
        thread.shutDown()
    }

    private func open() throws(DashboardError) -> ReadOnlyWarehouse {
        if let warehouse { return warehouse }
        do {
            let opened = try ReadOnlyWarehouse(path: workspace.layout.warehouse.path, limits: limits)
            warehouse = opened
            return opened
        } catch {
            throw DashboardError(error)
        }
    }

    /// The ledger's read model, opened once the warehouse exists.
    private func ledger() -> Ledger? {
        if let ledgerReader { return ledgerReader }
        ledgerReader = try? workspace.ledger()
        return ledgerReader
    }

    /// Every saved report with its rows or its error: the content of `sluice report --format json`.
    /// One report that fails (a missing table, a statement that would write) fails alone.
    public func reports() throws -> [ReportOutcome] {
        let warehouse = try open()
        return try workspace.reports().reports.map { report in
            do throws(WarehouseError) {
                return ReportOutcome(report: report, result: .success(try run(report, on: warehouse)))
            } catch {
                return ReportOutcome(report: report, failing: error)
            }
        }
    }

    /// One saved report, by name or unique prefix (`q3`).
    ///
    /// - Throws: ``DashboardError`` `not-found` listing the available names, or the report's own failure.
    public func report(named name: String) throws -> ReportResult {
        let report = try savedReport(named: name)
        let warehouse = try open()
        do {
            return ReportResult(report: report, result: try run(report, on: warehouse))
        } catch {
            throw DashboardError(
                code: DashboardError(error).code, message: report.place(of: error) + ": " + error.message)
        }
    }

    private func savedReport(named name: String) throws -> SavedReport {
        do {
            guard let found = try workspace.reports().select([name]).first else {
                throw DashboardError(code: .notFound, message: name)
            }
            return found
        } catch let error as WarehouseError {
            throw DashboardError(code: .notFound, message: error.message)
        }
    }

    /// One ad-hoc read-only query, cut at `maxRows` (at most ``ReadOnlyWarehouse/Limits/maxRows``).
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        let cap = limits.maxRows ?? Int.max
        do {
            return try open().query(sql, maxRows: min(maxRows ?? cap, cap))
        } catch let error as WarehouseError {
            throw DashboardError(error)
        }
    }

    /// Every saved report as `sluice report --format json` prints them (a failed one with its `error`).
    func renderReports() throws -> String {
        struct Envelope: Encodable { let reports: [ReportOutcome] }
        return ResultFormatter.json(Envelope(reports: try reports()))
    }

    /// One saved report as JSON (`{"name","title","description","columns","rows"}`) or CSV, with
    /// its full name (for a download's file name).
    func renderReport(named name: String, as format: DownloadFormat) throws -> (name: String, body: String) {
        let deadline = ContinuousClock.now.advanced(by: limits.timeLimit ?? .seconds(86_400))
        let item = try report(named: name)
        let body = format == .csv ? ResultFormatter.render(item.result, as: .csv) : ResultFormatter.json(item)
        try check(deadline)
        return (item.report.name, body)
    }

    /// A saved report's SQL, as its file holds it.
    func sql(ofReportNamed name: String) throws -> String {
        try savedReport(named: name).sql
    }

    /// One ad-hoc query as JSON (`{"columns","rows","truncated","max_rows"}`) or CSV. The time
    /// limit covers running it and writing the answer.
    func render(query sql: String, maxRows: Int, as format: DownloadFormat) throws -> String {
        let deadline = ContinuousClock.now.advanced(by: limits.timeLimit ?? .seconds(86_400))
        let capped = min(max(1, maxRows), limits.maxRows ?? Int.max)
        let result = try query(sql, maxRows: capped)
        let body =
            format == .csv
            ? ResultFormatter.render(result, as: .csv)
            : ResultFormatter.json(QueryAnswer(result: result, maxRows: capped))
        try check(deadline)
        return body
    }

    /// One ad-hoc query drawn as bars (the chart ``ChartSpec/inferred(for:)`` picks), as SVG.
    ///
    /// - Throws: ``DashboardError`` `bad-request` when the result has no category and number
    ///   columns to draw, or the query's own errors.
    func chart(query sql: String, maxRows: Int) throws -> String {
        let deadline = ContinuousClock.now.advanced(by: limits.timeLimit ?? .seconds(86_400))
        let result = try query(sql, maxRows: min(max(1, maxRows), limits.maxRows ?? Int.max))
        let spec = ChartSpec.inferred(for: result)
        let schema = workspace.schema
        let descriptions = Dictionary(
            schema.columns.compactMap { column in column.description.map { (column.name, $0) } },
            uniquingKeysWith: { first, _ in first })
        let labels = schema.valueLabels(lowercasingText: workspace.policy.cleaning.lowercaseText)
        guard
            let svg = SVGChart.render(
                result, spec: spec, title: "Query result", axisTitles: descriptions, valueLabels: labels)
        else {
            let why = SVGChart.note(for: result, spec: spec) ?? "it needs a text column and a number column"
            throw DashboardError(code: .badRequest, message: "this result cannot be drawn as bars: \(why)")
        }
        try check(deadline)
        return svg
    }

    private func check(_ deadline: ContinuousClock.Instant) throws(DashboardError) {
        guard ContinuousClock.now <= deadline else {
            throw DashboardError(
                code: .timeLimit,
                message:
                    "the query and its answer took longer than \(limits.timeLimit ?? .seconds(86_400)); narrow it or add a LIMIT"
            )
        }
    }

    /// The ingest ledger, newest first; empty before anything was loaded.
    public func history(limit: Int = 100, offset: Int = 0) throws -> IngestHistory {
        try IngestHistory(ledger: ledger(), limit: limit, offset: offset)
    }

    /// The schema and the warehouse's tables, for `GET /schema`.
    public func schemaOverview() throws -> SchemaOverview {
        try SchemaOverview.load(workspace: workspace, warehouse: try? open())
    }

    /// Every file waiting in `failed/`, with what the ledger says about it.
    public func quarantine() throws -> [QuarantinedFile] {
        try QuarantinedFile.list(in: workspace, ledger: ledger())
    }

    /// Everything the dashboard page shows, with the ingest history from `historyOffset` on.
    public func snapshot(historyOffset: Int = 0) -> DashboardSnapshot {
        let warehouse = try? open()
        return DashboardSnapshot.load(
            workspace: workspace, hasWarehouse: warehouse != nil, ledger: ledger(), historyOffset: historyOffset
        ) { report throws(WarehouseError) in
            guard let warehouse else { return QueryResult(columns: [], rows: []) }
            return try run(report, on: warehouse)
        }
    }

    /// A saved report's result: from the cache when nothing was committed since it ran (and its
    /// SQL is the same), else run now and kept. Failures are not kept.
    private func run(_ report: SavedReport, on warehouse: ReadOnlyWarehouse) throws(WarehouseError) -> QueryResult {
        let version = try warehouse.dataVersion()
        if cache?.version != version { cache = (version, [:]) }
        if let result = cache?.results[report] { return result }
        reportRuns += 1
        let result = try warehouse.run(report)
        cache?.results[report] = result
        return result
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

/// The answer of `GET /api/query`: `{"columns","rows","truncated","max_rows"}`.
struct QueryAnswer: Encodable {
    let result: QueryResult
    let maxRows: Int
    private enum CodingKeys: String, CodingKey { case columns, rows, truncated, maxRows = "max_rows" }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.columns, forKey: .columns)
        try container.encode(result.rows, forKey: .rows)
        try container.encode(result.isTruncated, forKey: .truncated)
        try container.encode(maxRows, forKey: .maxRows)
    }
}
