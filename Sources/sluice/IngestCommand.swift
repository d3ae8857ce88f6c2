import ArgumentParser
import Foundation
import Sluice

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

            One process writes to a workspace at a time: a second ingest (or an
            ingest while `watch` runs) waits its turn, or with --no-wait exits 4.

            Exit codes: 0 all files loaded (or already loaded), 3 some file was
            rejected, 5 some file was deferred by a transient failure (a full disk,
            an I/O error, a file that changed while read; it is taken again by the
            next run), 4 the workspace is locked (--no-wait), 2 usage or
            configuration error, 1 any other failure.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print one JSON object: {\"files\":[…],\"totals\":{…}}.")
    var json = false

    @Argument(help: ArgumentHelp("CSV files to load instead of the inbox.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var parallelism: ParallelismOptions

    @OptionGroup var lock: LockOptions

    func run() async throws {
        try await withExitCodesAsync {
            let workspace = try options.open()
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw CLIError(message: "\(path): no such file", exitCode: 2)
            }
            let started = Date()
            var outcome = Outcome(keepEveryRecord: json)
            let jobs = paths.map { IngestJob(url: URL(fileURLWithPath: $0), origin: .external) }
            let waiting =
                paths.isEmpty ? try workspace.waitingNames().count + workspace.claimedFiles().count : jobs.count
            let sizes = jobs.map { Self.fileSize($0.url.path) }
            let progress = ProgressLine(total: waiting, totalBytes: sizes.reduce(0, +))
            let warehouseBefore = Self.fileSize(workspace.layout.warehouse.path)
            // Memory stays flat: only what will be printed is kept (--json lists every file).
            let onRecord = { (record: IngestRecord) in
                progress.advance(rows: record.rowsRead, bytes: record.size)
                outcome.add(record)
            }
            let logger = workspaceLogger(workspace)
            if paths.isEmpty {
                try await workspace.ingestInbox(
                    workers: parallelism.workers, logger: logger, lock: lock.policy, onRecord: onRecord)
            } else {
                try await workspace.ingestEach(
                    jobs.map(\.url), workers: parallelism.workers, logger: logger, lock: lock.policy, onRecord: onRecord
                )
            }
            progress.finish()
            if json {
                struct Output: Encodable { let files: [IngestRecord]; let totals: IngestTotals }
                // In the order given (paths), or by name (the inbox), whatever order they committed in.
                let position = Dictionary(
                    paths.enumerated().map { (URL(fileURLWithPath: $1).path, $0) },
                    uniquingKeysWith: { first, _ in first })
                let files = outcome.kept.sorted {
                    position[$0.sourcePath] ?? 0 < position[$1.sourcePath] ?? 0
                        || (position[$0.sourcePath] == position[$1.sourcePath] && $0.source < $1.source)
                }
                print(ResultFormatter.json(Output(files: files, totals: outcome.totals)), terminator: "")
            } else {
                printSummary(
                    outcome, order: jobs.count <= Outcome.listAll ? jobs.map(\.url.path) : [], workspace: workspace)
                if outcome.totals.files > 1 {
                    let seconds = max(Date().timeIntervalSince(started), 0.001)
                    let warehouseGrowth =
                        Self.fileSize(workspace.layout.warehouse.path)
                        + Self.fileSize(workspace.layout.warehouse.path + "-wal") - warehouseBefore
                    print(
                        String(
                            format: "%.2f s: %.1f MB/s, %.0f rows/s, %.0f files/s; written: warehouse +%@, columnar %@",
                            seconds, Double(outcome.bytes) / seconds / 1e6, Double(outcome.totals.rowsRead) / seconds,
                            Double(outcome.totals.files) / seconds, Self.human(warehouseGrowth),
                            Self.human(outcome.columnarBytes)))
                }
            }
            if outcome.totals.rejected > 0 { throw ExitCode(3) }
            if outcome.totals.deferred > 0 { throw ExitCode(5) }
        }
    }

    /// What an ingest run keeps of its records: the totals, the byte counts, and the records
    /// worth printing (all of them for `--json` or up to ``listAll`` files; past that only the
    /// ones that were not simply loaded).
    private struct Outcome {
        /// Up to this many files, every one is listed.
        static let listAll = 20
        let keepEveryRecord: Bool
        var totals = IngestTotals()
        var kept: [IngestRecord] = []
        var bytes = 0
        var columnarBytes = 0

        mutating func add(_ record: IngestRecord) {
            totals.add(record)
            bytes += record.size
            if let columnar = record.columnarFile { columnarBytes += IngestCommand.fileSize(columnar) }
            if keepEveryRecord || totals.files <= Self.listAll || !record.isPlainLoad { kept.append(record) }
        }
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
    }

    static func human(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.1f KB", Double(bytes) / 1e3)
    }

    /// One line per kept file (all up to 20 files, in the order given; past that the refusals
    /// and partial loads), then the totals.
    private func printSummary(_ outcome: Outcome, order paths: [String], workspace: Workspace) {
        if outcome.totals.files == 0 {
            print("Nothing to ingest: \(workspace.layout.inbox.path) is empty.")
            return
        }
        let quiet = outcome.totals.files > Outcome.listAll
        var records = outcome.kept
        if !paths.isEmpty {
            let position = Dictionary(paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            records.sort { (position[$0.sourcePath] ?? -1) < (position[$1.sourcePath] ?? -1) }
        }
        for record in records where !(quiet && record.isPlainLoad) {
            print(IngestSummary.lines(for: record).joined(separator: "\n"))
        }
        let totals = outcome.totals
        print(
            "\(totals.files) file(s): \(totals.loaded) loaded, \(totals.rejected) rejected, \(totals.duplicate) duplicate"
                + (totals.deferred > 0 ? ", \(totals.deferred) deferred (taken again by the next run)" : "") + "; "
                + "\(totals.rowsRead) rows read = \(totals.rowsLoaded) loaded + \(totals.rowsDropped) dropped + \(totals.rowsRejected) rejected"
                + (totals.rowsIgnored > 0 ? " + \(totals.rowsIgnored) ignored (key loaded before)" : "")
                + (totals.rowsReplaced > 0
                    ? "; \(totals.rowsReplaced) loaded rows replaced earlier ones with the same key" : ""))
    }
}

extension IngestRecord {
    /// Loaded with nothing refused: not worth a line of its own among many files.
    var isPlainLoad: Bool { status == .loaded && rowsRejected == 0 }
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
        let counts = report.countsByCode.sorted { ($0.value, $1.key.description) > ($1.value, $0.key.description) }
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
