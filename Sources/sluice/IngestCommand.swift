import ArgumentParser
import Foundation
import SluicePipeline
import SluiceWarehouse

/// `sluice ingest [PATH...]`: loads files into the warehouse.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load CSV files into the warehouse; quarantine the ones that fail with a reason report.",
        discussion: """
            With no PATH, first finishes what an interrupted run left in the work area,
            then claims and loads every file waiting in inbox/: a loaded file moves to
            archive/ (or is deleted with `after_load: delete`), a rejected one moves to
            failed/ beside failed/<name>.errors.json. A file given by PATH is never
            modified, moved or deleted; a rejected one is copied to failed/. The same
            bytes are never loaded twice.

            Exit codes: 0 all files loaded (or already loaded), 3 some file was
            rejected, 2 usage or configuration error, 1 any other failure.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print one JSON object: {\"files\":[…],\"totals\":{…}}.")
    var json = false

    @Argument(help: ArgumentHelp("CSV files to load instead of the inbox.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var parallelism: ParallelismOptions

    func run() async throws {
        try await withExitCodesAsync {
            let workspace = try options.open()
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw CLIError(message: "\(path): no such file", exitCode: 2)
            }
            let ingestor = try Ingestor(workspace: workspace, logger: workspaceLogger(workspace))
            let started = Date()
            var records: [IngestRecord] = []
            let jobs: [IngestJob]
            if paths.isEmpty {
                records = try ingestor.recover()
                jobs = try workspace.waitingFiles().compactMap { try workspace.claim($0) }
            } else {
                jobs = paths.map { IngestJob(url: URL(fileURLWithPath: $0), origin: .external) }
            }
            let sizes = jobs.map { (try? FileManager.default.attributesOfItem(atPath: $0.url.path))?[.size] as? Int ?? 0 }
            let progress = ProgressLine(total: jobs.count, totalBytes: sizes.reduce(0, +))
            let warehouseBefore = Self.fileSize(workspace.layout.warehouse.path)
            records += try await ingestor.ingestConcurrently(jobs, workers: parallelism.workers) { record in
                progress.advance(rows: record.rowsRead, bytes: record.size)
            }
            progress.finish()
            if json {
                struct Output: Encodable { let files: [IngestRecord]; let totals: IngestTotals }
                print(ResultFormatter.json(Output(files: records, totals: IngestTotals(records))), terminator: "")
            } else {
                printSummary(records, workspace: workspace)
                if records.count > 1 {
                    let seconds = max(Date().timeIntervalSince(started), 0.001)
                    let bytes = records.reduce(0) { $0 + $1.size }
                    let rows = records.reduce(0) { $0 + $1.rowsRead }
                    let columnar = records.compactMap(\.columnarFile).reduce(0) { $0 + Self.fileSize($1) }
                    let warehouseGrowth = Self.fileSize(workspace.layout.warehouse.path) + Self.fileSize(workspace.layout.warehouse.path + "-wal") - warehouseBefore
                    print(String(format: "%.2f s: %.1f MB/s, %.0f rows/s, %.0f files/s; written: warehouse +%@, columnar %@",
                                 seconds, Double(bytes) / seconds / 1e6, Double(rows) / seconds, Double(records.count) / seconds,
                                 Self.human(warehouseGrowth), Self.human(columnar)))
                }
            }
            if records.contains(where: { $0.status == .rejected }) { throw ExitCode(3) }
        }
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
    }

    static func human(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.1f KB", Double(bytes) / 1e3)
    }

    private func printSummary(_ records: [IngestRecord], workspace: Workspace) {
        if records.isEmpty {
            print("Nothing to ingest: \(workspace.layout.inbox.path) is empty.")
            return
        }
        // Past 20 files, loaded ones are only counted: the lines worth reading are the refusals.
        let quiet = records.count > 20
        for record in records where !(quiet && record.status == .loaded && record.rowsRejected == 0) {
            print(IngestSummary.lines(for: record).joined(separator: "\n"))
        }
        let totals = IngestTotals(records)
        print("\(totals.files) file(s): \(totals.loaded) loaded, \(totals.rejected) rejected, \(totals.duplicate) duplicate; "
            + "\(totals.rowsRead) rows read = \(totals.rowsLoaded) loaded + \(totals.rowsDropped) dropped + \(totals.rowsRejected) rejected")
    }
}

/// The short human summary of one ingested file: its outcome, and for refusals the counts per
/// error code and the first problems with their hints, read back from the reason report.
enum IngestSummary {
    static func lines(for record: IngestRecord) -> [String] {
        var lines = ["\(record.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(record.message)"]
        guard let path = record.errorsReport,
              let data = FileManager.default.contents(atPath: path),
              let report = try? JSONDecoder().decode(ErrorReport.self, from: data)
        else { return lines }
        let indent = String(repeating: " ", count: 10)
        let counts = report.countsByCode.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        if !counts.isEmpty { lines.append(indent + counts) }
        for error in report.errors.prefix(3) {
            var where_ = "line \(error.line)"
            if let column = error.column { where_ += ", column \(column)" }
            lines.append(indent + "\(where_): \(error.message)")
            if let hint = error.hint { lines.append(indent + "  → \(hint)") }
        }
        if report.totalErrors > 3 { lines.append(indent + "… \(report.totalErrors - 3) more in the report") }
        if let rejected = record.rejectedRowsFile { lines.append(indent + "rejected rows: \(rejected)") }
        lines.append(indent + "reasons: \(path)")
        return lines
    }
}
