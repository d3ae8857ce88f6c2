import Foundation
import Mustache
import SluiceWarehouse

/// Renders a ``DashboardSnapshot`` as one HTML page with Mustache: each report as a chart and
/// a table with its SQL folded, the ingest totals, the rejected files with their first reason,
/// and the ingest history. All CSS and SVG are inline; nothing is fetched from anywhere.
///
/// Two flavours share one template: ``Mode/report`` is the static file of
/// `sluice report --format html` (no script at all); ``Mode/live`` is the `sluice serve`
/// dashboard, which adds a SQL box, an upload box and a small inline script that listens to
/// `/events` and swaps in fresh sections when the warehouse changes.
public struct PageRenderer: Sendable {
    /// Which page to render.
    public enum Mode: Sendable {
        /// A self-contained file: no script, no links.
        case report
        /// The served dashboard, updating itself over Server-Sent Events: with the upload box when
        /// the caller may upload, a "Log out" button when the server requires tokens, and `sql`
        /// (from a `/?sql=…` permalink) in the SQL box, run at once.
        case live(uploads: Bool, signsOut: Bool = false, sql: String? = nil)
    }

    private let library: MustacheLibrary
    /// The time zone whose local time the static report (``Mode/report``) shows beside each UTC
    /// time; the machine's own by default. The live page's script uses the browser's instead.
    public var reportTimeZone: TimeZone = .current

    /// Compiles the templates (they are Swift string constants in ``PageTemplates``).
    public init() {
        do {
            library = try MustacheLibrary(templates: [
                "page": MustacheTemplate(string: PageTemplates.page),
                "table": MustacheTemplate(string: PageTemplates.table),
            ])
        } catch {
            // The templates are constants compiled into the binary and covered by tests.
            preconditionFailure("a built-in Mustache template does not parse: \(error)")
        }
    }

    /// The page for `snapshot`.
    public func render(_ snapshot: DashboardSnapshot, mode: Mode) -> String {
        var view = PageView(snapshot, mode: mode)
        if case .report = mode { view.addLocalTimes(in: reportTimeZone) }
        return library.render(view, withTemplate: "page") ?? ""
    }
}

/// What the page template reads (through Mustache's reflection of stored properties).
struct PageView {
    struct Cell { var text: String; var numeric: Bool; var null: Bool }
    struct Row { var cells: [Cell] }
    struct Column { var name: String; var numeric: Bool }
    struct Table { var columns: [Column]; var rows: [Row]; var empty: Bool; var truncated: Bool; var compact: Bool }
    struct Card {
        var anchor: String, name: String, urlName: String, title: String, description: String?, sql: String
        var chart: String?, chartNote: String?, chartKind: String, rowCount: String
        var error: String?, table: Table?, showTable: Bool, urlSQL: String
    }
    struct Ingest {
        var id: Int64, source: String, status: String, reason: String?, message: String, hint: String?
        var firstError: String?, rowsRead: String, rowsLoaded: String, rowsRejected: String, ingestedAt: String
        var errorsReport: String?, storedAt: String?
    }
    struct Stat { var label: String; var value: String; var tone: String }
    struct Quarantined {
        var name: String, urlName: String, source: String?, badge: String, badgeLabel: String, problem: String
        var hint: String?, when: String, reportURL: String?, fileLabel: String, retry: Bool
    }

    var title: String, workspaceName: String, workspacePath: String, generatedAt: String, lastLoaded: String
    var live: Bool, uploads: Bool, signsOut: Bool, querySQL: String, queryURL: String, runQuery: Bool, css: String
    var script: String
    var notice: String?
    var stats: [Stat], cards: [Card], rejected: [Quarantined], ingests: [Ingest], hasRejected: Bool, hasIngests: Bool
    var rejectedCount: String, historyNote: String, newerLink: String?, olderLink: String?

    init(_ snapshot: DashboardSnapshot, mode: PageRenderer.Mode) {
        title = "Sluice — \(snapshot.workspaceName)"
        workspaceName = snapshot.workspaceName
        workspacePath = snapshot.workspacePath
        generatedAt = Self.timestamp(snapshot.takenAt)
        let totals = snapshot.history.totals
        lastLoaded = totals.lastLoadedAt.map(Self.readableTimestamp) ?? "never"
        switch mode {
        case .report:
            (live, uploads, signsOut, querySQL, runQuery) = (false, false, false, "", false)
        case .live(let allowUploads, let showsSignOut, let sql):
            (live, uploads, signsOut) = (true, allowUploads, showsSignOut)
            querySQL = sql ?? Self.exampleSQL
            runQuery = sql != nil
        }
        queryURL = Self.queryEncoded(querySQL)
        css = PageTemplates.css
        script = PageTemplates.script
        notice = snapshot.notice
        stats = [
            Stat(label: "files", value: ChartFormat.grouped(totals.files), tone: ""),
            Stat(label: "loaded", value: ChartFormat.grouped(totals.loaded), tone: "good"),
            Stat(
                label: "rejected", value: ChartFormat.grouped(totals.rejected), tone: totals.rejected > 0 ? "bad" : ""),
            Stat(label: "duplicates", value: ChartFormat.grouped(totals.duplicate), tone: ""),
            Stat(label: "rows loaded", value: ChartFormat.grouped(totals.rowsLoaded), tone: ""),
            Stat(label: "rows dropped", value: ChartFormat.grouped(totals.rowsDropped), tone: ""),
            Stat(
                label: "rows refused in loaded files", value: ChartFormat.grouped(totals.rowsRejectedInLoadedFiles),
                tone: ""),
            Stat(
                label: "rows in rejected files", value: ChartFormat.grouped(totals.rowsInRejectedFiles),
                tone: totals.rowsInRejectedFiles > 0 ? "bad" : ""),
        ]
        let descriptions = snapshot.columnDescriptions
        let labels = snapshot.valueLabels
        cards = snapshot.reports.map { Self.card($0, axisTitles: descriptions, valueLabels: labels) }
        let mayRetry = uploads
        rejected = snapshot.quarantine.map { Self.quarantined($0, retry: mayRetry) }
        ingests = snapshot.history.ingests.map(Self.ingest)
        hasRejected = !rejected.isEmpty
        hasIngests = !ingests.isEmpty
        rejectedCount = rejected.isEmpty ? "" : "\(ChartFormat.grouped(Int64(rejected.count))) waiting in failed/"
        let offset = snapshot.history.offset
        let shown = snapshot.history.ingests.count
        historyNote =
            shown == 0
            ? ""
            : "\(ChartFormat.grouped(Int64(offset + 1)))–\(ChartFormat.grouped(Int64(offset + shown))) of \(ChartFormat.grouped(totals.files)) files, newest first"
        newerLink = live && offset > 0 ? (offset - 50 > 0 ? "/?history_offset=\(offset - 50)" : "/") : nil
        olderLink = live && Int64(offset + shown) < totals.files ? "/?history_offset=\(offset + shown)" : nil
    }

    /// Appends the local time in `zone` to every UTC time shown (for the report, which has no script).
    mutating func addLocalTimes(in zone: TimeZone) {
        lastLoaded += LocalTime.beside(lastLoaded, in: zone)
        for index in ingests.indices {
            ingests[index].ingestedAt += LocalTime.beside(ingests[index].ingestedAt, in: zone)
        }
        for index in rejected.indices {
            rejected[index].when += LocalTime.beside(rejected[index].when, in: zone)
        }
    }

    /// What the SQL box holds until someone types.
    static let exampleSQL =
        "SELECT school, sex, COUNT(*) AS students, ROUND(AVG(g3), 2) AS mean_g3 FROM student_data GROUP BY school, sex ORDER BY school, sex"

    private static func card(
        _ item: DashboardSnapshot.Report, axisTitles: [String: String], valueLabels: [String: [String: String]]
    ) -> Card {
        let spec = item.chart
        var card = Card(
            anchor: "report-" + item.report.name, name: item.report.name,
            urlName: pathEncoded(item.report.name),
            title: item.report.title,
            description: item.report.description.isEmpty ? nil : item.report.description,
            sql: item.report.sql.trimmingCharacters(in: .whitespacesAndNewlines),
            chart: nil, chartNote: nil, chartKind: spec.headerText, rowCount: "", error: item.error, table: nil,
            showTable: false,
            urlSQL: queryEncoded(item.report.sql.trimmingCharacters(in: .whitespacesAndNewlines)))
        guard let result = item.result else { return card }
        let count = result.rows.count
        card.rowCount =
            "\(ChartFormat.grouped(Int64(count))) row\(count == 1 ? "" : "s")\(result.isTruncated ? "+" : "")"
        card.chart = SVGChart.render(
            result, spec: spec, title: item.report.title, axisTitles: axisTitles, valueLabels: valueLabels)
        card.chartNote = SVGChart.note(for: result, spec: spec)
        card.table = table(result, compact: card.chart == nil)
        card.showTable = true
        return card
    }

    private static func table(_ result: QueryResult, compact: Bool) -> Table {
        let rows = result.rows.map { row in
            Row(
                cells: row.map { value in
                    switch value {
                    case .integer, .real:
                        return Cell(text: ReadableNumber.text(of: value), numeric: true, null: false)
                    case .null: return Cell(text: "NULL", numeric: false, null: true)
                    default: return Cell(text: value.displayText, numeric: false, null: false)
                    }
                })
        }
        let columns = result.columns.indices.map { index in
            Column(name: result.columns[index], numeric: ChartSpec.isNumericColumn(index, in: result))
        }
        return Table(columns: columns, rows: rows, empty: rows.isEmpty, truncated: result.isTruncated, compact: compact)
    }

    private static func quarantined(_ file: QuarantinedFile, retry: Bool) -> Quarantined {
        let isRows = file.kind == "rejected-rows"
        return Quarantined(
            name: file.name, urlName: pathEncoded(file.name), source: file.source == file.name ? nil : file.source,
            badge: "rejected", badgeLabel: isRows ? "rows refused" : (file.reason ?? "rejected"),
            problem: file.firstError ?? file.message ?? "", hint: file.hint,
            when: file.ingestedAt.map(readableTimestamp) ?? "",
            reportURL: file.errorsReport.map { "/api/failed/" + pathEncoded($0) },
            fileLabel: isRows ? "refused rows (\(ChartFormat.grouped(file.rowsRejected)))" : "the file", retry: retry)
    }

    /// A name as one URL path segment.
    static func pathEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", ";"])) ?? name
    }

    private static func ingest(_ entry: IngestEntry) -> Ingest {
        Ingest(
            id: entry.id, source: entry.source, status: entry.status, reason: entry.reason, message: entry.message,
            hint: entry.hint, firstError: entry.firstError, rowsRead: ChartFormat.grouped(entry.rowsRead),
            rowsLoaded: ChartFormat.grouped(entry.rowsLoaded), rowsRejected: ChartFormat.grouped(entry.rowsRejected),
            ingestedAt: readableTimestamp(entry.ingestedAt), errorsReport: entry.errorsReport, storedAt: entry.storedAt)
    }

    /// Text as one URL query value: everything but `A–Z a–z 0–9 - . _ ~` percent-encoded.
    static func queryEncoded(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn:
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }

    /// `2026-11-26 22:24:22 UTC`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }

    /// The ledger's `2026-11-26T22:24:22.362Z` as `2026-11-26 22:24:22 UTC`.
    static func readableTimestamp(_ iso: String) -> String {
        guard iso.count >= 19 else { return iso }
        return iso.prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
