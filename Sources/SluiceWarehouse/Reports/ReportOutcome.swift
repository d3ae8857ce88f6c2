import Foundation

/// One saved report after it ran: its rows, or why it failed. Reports stand alone: each runs on
/// a read-only connection of its own under its own limits, and one that fails (a missing table,
/// a statement that would write, a runaway query stopped by its time limit) leaves the others
/// running.
public struct ReportOutcome: Sendable, Hashable, Encodable {
    /// Why one report failed, with the place in its file.
    public struct Failure: Error, Sendable, Hashable, Encodable, CustomStringConvertible {
        /// The stable code: `sqlite`, `no-such-table`, `write-refused`, `time-limit`, `result-too-large`.
        public var code: String
        /// What went wrong (SQLite's message, or the guard's).
        public var message: String
        /// `queries/q1_x.sql, line 3`: the file, and the line when SQLite names a place.
        public var place: String
        /// The 1-based line in the report's file, when known.
        public var line: Int?

        /// `queries/q1_x.sql, line 3: no such table: student_data (tables: weather)`.
        public var description: String { "\(place): \(message)" }
    }

    /// The report that ran.
    public var report: SavedReport
    /// Its rows, or why it failed.
    public var result: Result<QueryResult, Failure>

    /// The rows when it ran, as ``ReportResult``.
    public var succeeded: ReportResult? {
        guard case .success(let rows) = result else { return nil }
        return ReportResult(report: report, result: rows)
    }

    /// The failure, when it failed.
    public var failure: Failure? {
        guard case .failure(let failure) = result else { return nil }
        return failure
    }

    /// Runs each of `reports` on a read-only connection of its own to the warehouse at `path`,
    /// under `limits` and what each report's header sets (``SavedReport/limits(default:)``).
    public static func run(
        _ reports: [SavedReport], warehouse path: String, limits: ReadOnlyWarehouse.Limits = .reports
    ) -> [ReportOutcome] {
        reports.map { report in
            do throws(WarehouseError) {
                let connection = try ReadOnlyWarehouse(
                    path: path, limits: report.limits(default: limits), authorizer: false)
                return ReportOutcome(report: report, result: .success(try connection.run(report)))
            } catch {
                return ReportOutcome(report: report, failing: error)
            }
        }
    }

    /// The outcome of a report that failed with `error`.
    public init(report: SavedReport, failing error: WarehouseError) {
        self.report = report
        result = .failure(
            Failure(
                code: error.code.description, message: error.message, place: report.place(of: error),
                line: error.cause?.line))
    }

    /// The outcome of a report that ran.
    public init(report: SavedReport, result: Result<QueryResult, Failure>) {
        self.report = report
        self.result = result
    }

    private enum CodingKeys: String, CodingKey { case name, title, description, error }

    /// A success encodes as ``ReportResult`` does (`{"name","title","description","columns","rows"}`);
    /// a failure as `{"name","title","description","error":{"code","message","place","line"}}`.
    public func encode(to encoder: any Encoder) throws {
        switch result {
        case .success(let rows):
            try ReportResult(report: report, result: rows).encode(to: encoder)
        case .failure(let failure):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report.name, forKey: .name)
            try container.encode(report.title, forKey: .title)
            try container.encode(report.description, forKey: .description)
            try container.encode(failure, forKey: .error)
        }
    }
}

extension ReadOnlyWarehouse.Limits {
    /// What a saved report runs under unless its header says otherwise: 60 s, every row, and a
    /// 256 MiB answer at most (a report is held whole in memory; an export streams with
    /// `sluice query`).
    public static let reports = ReadOnlyWarehouse.Limits(
        timeLimit: .seconds(60), maxRows: nil, maxResultBytes: 256 << 20)
}
