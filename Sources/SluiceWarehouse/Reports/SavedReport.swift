import Foundation

/// A saved SQL report: one `.sql` file whose leading comment lines describe it.
///
/// ```sql
/// -- title: Most common travel time, rural students
/// -- description: The travel time shared by the most rural students.
/// -- index: address, traveltime
/// SELECT …;
/// ```
/// Every `-- key: value` line before the first SQL line becomes a property; `title` and
/// `description` have their own fields. The file is plain SQLite SQL: it runs unchanged in
/// the `sqlite3` shell.
public struct SavedReport: Sendable, Hashable {
    /// The file name without `.sql` (`q1_mother_jobs_of_young_male_students`).
    public var name: String
    /// The `-- title:` line, or the name when there is none.
    public var title: String
    /// The `-- description:` line, or an empty string.
    public var description: String
    /// Every `-- key: value` header property, keys lower-cased (includes title and description).
    public var properties: [String: String]
    /// The whole file text, comments included, as SQLite receives it.
    public var sql: String
    /// The indexes the report asks for, one per `-- index: column, column…` header line, to be
    /// built by `sluice index` after a bulk load (see ``ReportIndex``).
    public var indexes: [[String]]
    /// The file it was read from, when it came from one (for error messages).
    public var file: URL?

    /// Parses a report from its file name and text.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        var properties: [String: String] = [:]
        var indexes: [[String]] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("--") else { break }
            let comment = trimmed.dropFirst(2)
            guard let colon = comment.firstIndex(of: ":") else { continue }
            let key = comment[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = comment[comment.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, !key.contains(" "), properties[key] == nil { properties[key] = value }
            if key == "index" {
                let columns = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
                if !columns.isEmpty { indexes.append(columns) }
            }
        }
        self.properties = properties
        self.indexes = indexes
        self.title = properties["title"] ?? name
        self.description = properties["description"] ?? ""
    }

    /// Reads one report file.
    ///
    /// - Throws: ``WarehouseError`` `report-unreadable` when the file cannot be read as UTF-8.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw WarehouseError(
                code: .reportUnreadable, message: "cannot read report \(url.path): \(error.localizedDescription)")
        }
        self.init(name: url.deletingPathExtension().lastPathComponent, sql: text)
        file = url
    }

    /// The bounds this report runs under: `default`, with what its header sets instead —
    /// `-- time_limit: SECONDS` (0: none), `-- max_rows: N` (0: no cap), `-- max_bytes: N`.
    public func limits(default limits: ReadOnlyWarehouse.Limits) -> ReadOnlyWarehouse.Limits {
        var limits = limits
        if let seconds = properties["time_limit"].flatMap(Double.init), seconds >= 0 {
            limits.timeLimit = seconds == 0 ? nil : .milliseconds(Int64(seconds * 1000))
        }
        if let rows = properties["max_rows"].flatMap(Int.init), rows >= 0 { limits.maxRows = rows == 0 ? nil : rows }
        if let bytes = properties["max_bytes"].flatMap(Int.init), bytes > 0 { limits.maxResultBytes = bytes }
        return limits
    }

    /// Where a failure points: `queries/q1_x.sql, line 3` (the line when SQLite names a place).
    public func place(of error: WarehouseError) -> String {
        let file =
            self.file.map { "\($0.deletingLastPathComponent().lastPathComponent)/\($0.lastPathComponent)" } ?? name
        guard let line = error.cause?.line else { return file }
        return "\(file), line \(line)"
    }
}

/// The saved reports of a folder (`queries/`), in file-name order.
public struct ReportCatalog: Sendable {
    /// Every report, sorted by name (so `q1_…` comes before `q2_…`).
    public var reports: [SavedReport]

    /// Loads every `*.sql` file in `directory`.
    ///
    /// - Throws: ``WarehouseError`` `report-unreadable` if the folder or a file cannot be read.
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw WarehouseError(
                code: .reportUnreadable,
                message: "cannot list reports in \(directory.path): \(error.localizedDescription)")
        }
        reports = try names.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }.sorted().map { name in
            try SavedReport(contentsOf: directory.appendingPathComponent(name))
        }
    }

    /// Creates a catalog from reports already in memory.
    public init(reports: [SavedReport]) {
        self.reports = reports.sorted { $0.name < $1.name }
    }

    /// Picks reports by name with ``NameMatcher``: an exact name, or a unique prefix such as
    /// `q3` (a prefix never splits a number: `q1` does not match `q10_…`).
    ///
    /// - Returns: All reports when `names` is empty, else the chosen ones in the order given.
    /// - Throws: ``WarehouseError`` `report-not-found` listing the names that are available.
    public func select(_ names: [String]) throws(WarehouseError) -> [SavedReport] {
        guard !names.isEmpty else { return reports }
        var chosen: [SavedReport] = []
        for wanted in names {
            switch NameMatcher.match(wanted, in: reports.map(\.name)) {
            case .found(let index):
                chosen.append(reports[index])
            case .ambiguous(let candidates):
                throw WarehouseError(
                    code: .reportNotFound,
                    message:
                        "'\(wanted)' matches \(candidates.count) reports (\(candidates.joined(separator: ", "))); give more of the name"
                )
            case .none:
                let available = reports.map(\.name).joined(separator: ", ")
                throw WarehouseError(
                    code: .reportNotFound,
                    message: "no report named '\(wanted)'; available: \(available.isEmpty ? "none" : available)")
            }
        }
        return chosen
    }
}
