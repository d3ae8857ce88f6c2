import Foundation

/// An index a saved report asks for (`-- index: sex, age, mjob`), built once after a bulk load.
///
/// Kept out of the load on purpose: maintaining five indexes row by row slows every insert,
/// while building them once over the loaded table is one sort each. Their names start with
/// ``namePrefix`` so they can be found and dropped again (before the next bulk load).
public struct ReportIndex: Sendable, Hashable, Codable {
    /// Every report index's name starts with this.
    public static let namePrefix = "sluice_report_"

    /// The index name: the prefix, the table and the columns (so equal requests share one).
    public var name: String
    /// The table indexed.
    public var table: String
    /// The indexed columns, in order.
    public var columns: [String]
    /// The reports that asked for it.
    public var reports: [String]

    /// The distinct indexes `reports` declare on `table`, in report order.
    public static func declared(by reports: [SavedReport], on table: String) -> [ReportIndex] {
        var indexes: [ReportIndex] = []
        for report in reports {
            for columns in report.indexes {
                let name = namePrefix + ([table] + columns).map(nameComponent).joined(separator: "_")
                if let existing = indexes.firstIndex(where: { $0.name == name }) {
                    indexes[existing].reports.append(report.name)
                } else {
                    indexes.append(ReportIndex(name: name, table: table, columns: columns, reports: [report.name]))
                }
            }
        }
        return indexes
    }

    /// `CREATE INDEX IF NOT EXISTS "name" ON "table" ("a", "b")`.
    public var createStatement: String {
        let list = columns.map(SQLiteIdentifier.quote).joined(separator: ", ")
        return
            "CREATE INDEX IF NOT EXISTS \(SQLiteIdentifier.quote(name)) ON \(SQLiteIdentifier.quote(table)) (\(list))"
    }

    /// A column name made safe for an index name: letters, digits and `_` only.
    private static func nameComponent(_ text: String) -> String {
        String(
            text.lowercased().unicodeScalars.map { scalar in
                CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII ? Character(scalar) : "_"
            })
    }
}

extension Warehouse {
    /// The report indexes that exist now (by name prefix).
    public func existingReportIndexes() throws(SQLiteError) -> [String] {
        let statement = try connection.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ? ESCAPE '\\' ORDER BY name")
        try statement.bind(ReportIndex.namePrefix.replacingOccurrences(of: "_", with: "\\_") + "%", at: 1)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(at: 0)) }
        return names
    }

    /// Builds `index` unless it exists; returns the seconds it took (0 when it existed).
    ///
    /// Run `ANALYZE` (``analyze()``) after building, so the planner knows the new indexes.
    public func build(_ index: ReportIndex) throws(SQLiteError) -> Double {
        let start = ContinuousClock.now
        try connection.execute(index.createStatement)
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Updates the planner's statistics (`ANALYZE`).
    public func analyze() throws(SQLiteError) {
        try connection.execute("ANALYZE")
    }

    /// Drops every report index; returns their names.
    public func dropReportIndexes() throws(SQLiteError) -> [String] {
        let names = try existingReportIndexes()
        for name in names { try connection.execute("DROP INDEX IF EXISTS \(SQLiteIdentifier.quote(name))") }
        return names
    }
}
