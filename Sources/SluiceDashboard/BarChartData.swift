import SluiceSchema
import SluiceWarehouse

/// The numbers one bar chart draws: categories along the x axis and one series per group, taken
/// from a query result by a ``ChartSpec``.
struct BarChartData: Sendable, Hashable {
    /// One coloured set of bars.
    struct Series: Sendable, Hashable {
        /// The group value, or its label (or the y column's name when there are no groups).
        var name: String
        /// One value per category; `nil` where the result has no row for that pair.
        var values: [Double?]
        /// The name with the value it stands for, `living together (t)`, or the name alone.
        var detail: String
    }

    /// The category values (or their labels), in the order the result lists them.
    var categories: [String]
    /// Each category with the value it stands for, `living together (t)`, or the value alone.
    var categoryDetails: [String]
    /// The series, in the order their group values first appear.
    var series: [Series]
    /// The x axis label (the category column).
    var xLabel: String
    /// The y axis label (the numeric column).
    var yLabel: String
    /// The legend heading (the group column), when bars are grouped.
    var groupLabel: String?
    /// Things a reader should know: rows skipped, categories cut off, values summed.
    var notes: [String] = []

    /// The most categories and series drawn; the rest are named in a note (the table has them all).
    static let maximumCategories = 40
    static let maximumSeries = 8

    /// What to draw for a result: bars, or a table with the reason bars were not possible.
    enum Plan: Sendable, Hashable {
        case bars(BarChartData)
        case table(note: String?)
    }

    /// Builds the chart data, or explains why the result is better shown as a table.
    ///
    /// - Parameter labels: Words for coded values by column name, then by value as the warehouse
    ///   holds it (a schema's `labels:`, see ``SluiceSchema/Schema/valueLabels(lowercasingText:)``);
    ///   they name the categories and groups of a result column with that name.
    static func plan(for result: QueryResult, spec: ChartSpec, labels: [String: [String: String]] = [:]) -> Plan {
        guard spec.kind == .bar else { return .table(note: nil) }
        let inferred = ChartSpec.inferred(for: result)
        guard let xName = spec.x ?? inferred.x, let yName = spec.y ?? inferred.y else {
            return .table(note: result.rows.isEmpty ? nil : "no numeric column to draw as bars")
        }
        let missing = [xName, yName, spec.group].compactMap { $0 }.filter { !result.columns.contains($0) }
        guard missing.isEmpty else {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            return .table(
                note:
                    "the chart names column \(names), which the result does not have (columns: \(result.columns.joined(separator: ", ")))"
            )
        }
        let xIndex = result.columns.firstIndex(of: xName)!
        let yIndex = result.columns.firstIndex(of: yName)!
        let groupIndex = spec.group.flatMap { result.columns.firstIndex(of: $0) }
        if !result.rows.isEmpty, !ChartSpec.isNumericColumn(yIndex, in: result) {
            return .table(note: "column '\(yName)' holds no numbers to draw as bars")
        }
        var data = collect(result, x: xIndex, y: yIndex, group: groupIndex, groupName: spec.group)
        data.applyLabels(categories: labels[xName], series: spec.group.flatMap { labels[$0] })
        return .bars(data)
    }

    /// Names categories and series by their labels, keeping each value in its detail.
    private mutating func applyLabels(
        categories categoryLabels: [String: String]?, series seriesLabels: [String: String]?
    ) {
        func named(_ value: String, _ labels: [String: String]?) -> (name: String, detail: String) {
            guard let label = labels?[value], label != value else { return (value, value) }
            return (label, "\(label) (\(value))")
        }
        let namedCategories = categories.map { named($0, categoryLabels) }
        categories = namedCategories.map(\.name)
        categoryDetails = namedCategories.map(\.detail)
        guard groupLabel != nil else { return }
        for index in series.indices {
            (series[index].name, series[index].detail) = named(series[index].name, seriesLabels)
        }
    }

    private static func collect(_ result: QueryResult, x: Int, y: Int, group: Int?, groupName: String?) -> BarChartData
    {
        var categories: [String] = []
        var categoryIndex: [String: Int] = [:]
        var seriesNames: [String] = []
        var seriesIndex: [String: Int] = [:]
        var cells: [Int: [Int: Double]] = [:]
        var skipped = 0
        var summed = false
        var extraCategories = 0
        var extraSeries = 0
        for row in result.rows {
            guard let value = number(row[y]) else { skipped += 1; continue }
            let category = label(row[x])
            let seriesName = group.map { label(row[$0]) } ?? result.columns[y]
            if categoryIndex[category] == nil {
                guard categories.count < maximumCategories else { extraCategories += 1; continue }
                categoryIndex[category] = categories.count
                categories.append(category)
            }
            if seriesIndex[seriesName] == nil {
                guard seriesNames.count < maximumSeries else { extraSeries += 1; continue }
                seriesIndex[seriesName] = seriesNames.count
                seriesNames.append(seriesName)
            }
            let (c, s) = (categoryIndex[category]!, seriesIndex[seriesName]!)
            if let earlier = cells[s]?[c] {
                cells[s]![c] = earlier + value
                summed = true
            } else {
                cells[s, default: [:]][c] = value
            }
        }
        let series = seriesNames.indices.map { s in
            Series(name: seriesNames[s], values: categories.indices.map { cells[s]?[$0] }, detail: seriesNames[s])
        }
        var data = BarChartData(
            categories: categories, categoryDetails: categories, series: series, xLabel: result.columns[x],
            yLabel: result.columns[y], groupLabel: groupName)
        if skipped > 0 { data.notes.append("\(skipped) row(s) without a number in '\(result.columns[y])' not drawn") }
        if extraCategories > 0 {
            data.notes.append("only the first \(maximumCategories) values of '\(result.columns[x])' drawn")
        }
        if extraSeries > 0, let groupName {
            data.notes.append("only the first \(maximumSeries) values of '\(groupName)' drawn")
        }
        if summed { data.notes.append("rows with the same \(result.columns[x]) and group were added together") }
        return data
    }

    /// A value as a bar height, or `nil` for text, blobs and `NULL`.
    static func number(_ value: SQLiteValue) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .real(let number): return number.isFinite ? number : nil
        default: return nil
        }
    }

    /// A value as a category or group name: text as it is, numbers in the canonical form a
    /// schema's `labels:` and `allowed:` use (`7`, `2.5`; never `7.0`), `NULL` as `(null)`.
    static func label(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "(null)"
        case .real(let number): number.isFinite ? ColumnSchema.canonicalText(of: number) : value.displayText
        default: value.displayText
        }
    }

    /// Whether any bar has a value.
    var hasValues: Bool { series.contains { $0.values.contains { $0 != nil } } }
}
