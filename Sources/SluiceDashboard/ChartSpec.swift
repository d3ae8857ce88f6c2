import SluiceWarehouse

/// How a saved report is best shown, from its `-- chart:` header line.
///
/// ```sql
/// -- chart: bar x=fjob y=count group=pstatus
/// -- chart: bar x=traveltime y=count
/// -- chart: table
/// ```
/// `bar` with a `group=` column draws grouped bars (one colour per group value, with a legend);
/// `grouped-bar` is accepted as a synonym. `table` is a compact table, for results that are a
/// list rather than numbers. Columns named in the line that the result lacks, or a `y` column
/// without numbers, make the chart fall back to the table with a note instead of failing.
public struct ChartSpec: Sendable, Hashable {
    /// The kinds of view.
    public enum Kind: String, Sendable, Hashable {
        /// Vertical bars, one per `x` value; with `group`, one bar per group within each `x` value.
        case bar
        /// A compact table.
        case table
    }

    /// What to draw.
    public var kind: Kind
    /// The category column (one bar, or one cluster of bars, per value).
    public var x: String?
    /// The numeric column (bar heights).
    public var y: String?
    /// The column whose values become the coloured groups, for grouped bars.
    public var group: String?

    /// Creates a spec from its parts.
    public init(kind: Kind, x: String? = nil, y: String? = nil, group: String? = nil) {
        self.kind = kind
        self.x = x
        self.y = y
        self.group = group
    }

    /// Parses a `-- chart:` value such as `bar x=fjob y=count group=pstatus`.
    ///
    /// - Returns: `nil` when the kind is not `bar`, `grouped-bar` or `table`, or a word is not `key=value`
    ///   with a known key (`x`, `y`, `group`).
    public init?(parsing text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first?.lowercased() else { return nil }
        switch first {
        case "bar", "grouped-bar", "grouped_bar", "groupedbar": kind = .bar
        case "table": kind = .table
        default: return nil
        }
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { return nil }
            switch parts[0].lowercased() {
            case "x": x = parts[1]
            case "y": y = parts[1]
            case "group", "series", "color", "colour": group = parts[1]
            default: return nil
            }
        }
    }

    /// The spec for a report: its `-- chart:` line when valid, otherwise one inferred from the result.
    public static func forReport(_ report: SavedReport, result: QueryResult) -> ChartSpec {
        if let line = report.properties["chart"], let spec = ChartSpec(parsing: line) { return spec }
        return inferred(for: result)
    }

    /// A sensible default: bars of the last numeric column over the first other column (grouped
    /// by a second other column when there is one), or a table when nothing is numeric.
    public static func inferred(for result: QueryResult) -> ChartSpec {
        let columns = result.columns
        guard columns.count >= 2, let numeric = columns.indices.last(where: { isNumericColumn($0, in: result) }) else {
            return ChartSpec(kind: .table)
        }
        let others = columns.indices.filter { $0 != numeric }
        return ChartSpec(
            kind: .bar, x: columns[others[0]], y: columns[numeric],
            group: others.count > 1 ? columns[others[1]] : nil)
    }

    /// Whether every non-`NULL` value of a column is a number (and there is at least one row).
    static func isNumericColumn(_ index: Int, in result: QueryResult) -> Bool {
        var sawNumber = false
        for row in result.rows where index < row.count {
            switch row[index] {
            case .integer, .real: sawNumber = true
            case .null: continue
            default: return false
            }
        }
        return sawNumber
    }

    /// The `-- chart:` text that reproduces this spec (`bar x=fjob y=count group=pstatus`).
    public var headerText: String {
        var words = [kind.rawValue]
        if let x { words.append("x=\(x)") }
        if let y { words.append("y=\(y)") }
        if let group { words.append("group=\(group)") }
        return words.joined(separator: " ")
    }
}
