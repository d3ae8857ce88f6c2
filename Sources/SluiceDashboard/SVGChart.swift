import SluiceWarehouse

/// Draws a report result as a self-contained SVG bar chart: title, axes with labels, gridlines,
/// a value on each bar and a legend for grouped bars. No scripts, fonts or links: the SVG
/// element's namespace is the only URL in it.
///
/// It works for any result shape: an empty result draws a framed "no rows" message, one row
/// one bar, many groups a legend that wraps; long category labels are cut with an ellipsis
/// (the full text is the bar's tooltip) and slanted when they do not fit. Coded values are named
/// by the schema's `labels:`: the axis shows `living together`, the legend and the tooltips
/// `living together (t)`, so the code used in SQL stays in sight.
///
/// ```swift
/// let svg = SVGChart.render(result, spec: ChartSpec(kind: .bar, x: "fjob", y: "count", group: "pstatus"),
///                           title: "Top 3 fathers' jobs")
/// ```
public enum SVGChart {
    /// Colour-blind-safe colours (Okabe and Ito), one per series, all readable on white.
    public static let palette = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7A7A7A", "#332288",
    ]

    /// The drawing's size in SVG units (it scales to its container's width).
    static let width = 640.0
    static let height = 340.0

    /// Renders `result` as bars, or `nil` when the spec asks for a table or the result cannot be
    /// drawn as bars (then ``note(for:spec:)`` says why).
    ///
    /// - Parameters:
    ///   - axisTitles: Words for column names on the axes and the legend (the schema's
    ///     descriptions: `fjob` → `father's job`); a column without one is named as it is.
    ///   - valueLabels: Words for the values of a column, by column name then by the value as the
    ///     warehouse holds it (the schema's `labels:`, from
    ///     ``SluiceSchema/Schema/valueLabels(lowercasingText:)``); a value without one is shown as it is.
    public static func render(
        _ result: QueryResult, spec: ChartSpec, title: String, axisTitles: [String: String] = [:],
        valueLabels: [String: [String: String]] = [:]
    ) -> String? {
        guard case .bars(var data) = BarChartData.plan(for: result, spec: spec, labels: valueLabels) else {
            return nil
        }
        data.xLabel = axisTitles[data.xLabel] ?? data.xLabel
        data.yLabel = axisTitles[data.yLabel] ?? data.yLabel
        data.groupLabel = data.groupLabel.map { axisTitles[$0] ?? $0 }
        return render(data, title: title)
    }

    /// Why a result is shown as a table instead of bars, or what a reader should know about the
    /// bars drawn (rows skipped, categories cut); `nil` when there is nothing to say.
    public static func note(for result: QueryResult, spec: ChartSpec) -> String? {
        switch BarChartData.plan(for: result, spec: spec) {
        case .table(let note): return note
        case .bars(let data): return data.notes.isEmpty ? nil : data.notes.joined(separator: "; ")
        }
    }

    static func render(_ data: BarChartData, title: String) -> String {
        var svg = SVGCanvas(width: width, height: height, title: title)
        svg.text(ChartFormat.truncate(title, to: 80), x: 12, y: 22, size: 15, weight: "600")
        // A legend only when there is more than one series to tell apart; bars grouped by a column
        // that holds one value say which under the title instead.
        let grouped = data.series.count > 1
        var plotTop = 40.0
        if grouped {
            plotTop = legend(data, into: &svg, top: 34) + 14
        } else if let heading = data.groupLabel, let only = data.series.first {
            let text = ChartFormat.truncate(heading, to: 40) + ": " + ChartFormat.truncate(only.detail, to: 40)
            svg.text(text, x: 12, y: 40, size: 12, fill: "#374151")
            plotTop = 52
        }
        guard data.hasValues else {
            svg.rect(
                x: 12, y: plotTop, width: width - 24, height: height - plotTop - 12, fill: "#f9fafb", stroke: "#e5e7eb")
            svg.text(
                "No rows to chart", x: width / 2, y: (plotTop + height) / 2, size: 14, anchor: "middle", fill: "#6b7280"
            )
            return svg.finish()
        }

        let values = data.series.flatMap { $0.values.compactMap { $0 } }
        // A little headroom, so the value over the tallest bar stays inside the plot.
        let (lowest, highest) = (min(0, values.min()!), max(0, values.max()!))
        let headroom = (highest - lowest) * 0.08
        let ticks = ChartFormat.ticks(
            from: lowest < 0 ? lowest - headroom : 0, to: highest > 0 ? highest + headroom : 0)
        let tickLabels = ticks.map(ChartFormat.tick)
        let left = 34 + 7 * Double(tickLabels.map(\.count).max() ?? 1)
        let plotWidth = width - left - 16
        let slot = plotWidth / Double(data.categories.count)
        let longest = data.categories.map(\.count).max() ?? 1
        let labelLimit = 18
        let slanted = Double(min(longest, labelLimit)) * 7 + 6 > slot
        let labelHeight = slanted ? Double(min(longest, labelLimit)) * 4.6 + 14 : 18
        let plotBottom = height - 26 - labelHeight
        let (low, high) = (ticks.first!, ticks.last!)
        func yPosition(_ value: Double) -> Double { plotBottom - (value - low) / (high - low) * (plotBottom - plotTop) }

        for (tick, label) in zip(ticks, tickLabels) {
            let y = yPosition(tick)
            svg.line(x1: left, y1: y, x2: width - 16, y2: y, stroke: tick == 0 ? "#6b7280" : "#e5e7eb")
            svg.text(label, x: left - 6, y: y + 4, size: 11, anchor: "end", fill: "#4b5563")
        }
        svg.text(
            ChartFormat.truncate(data.yLabel, to: 40), x: 14, y: (plotTop + plotBottom) / 2, size: 12,
            anchor: "middle", fill: "#374151", rotate: -90)
        svg.text(
            ChartFormat.truncate(data.xLabel, to: 60), x: left + plotWidth / 2, y: height - 8, size: 12,
            anchor: "middle", fill: "#374151")

        // Bars no wider than 90 units: one bar should not look like a wall.
        let cluster = min(slot * (data.series.count == 1 ? 0.66 : 0.8), 90 * Double(data.series.count))
        let barWidth = cluster / Double(data.series.count)
        let gap = barWidth > 8 ? 2.0 : 0
        let every = max(1, Int((14 / slot).rounded(.up)))
        for (c, category) in data.categories.enumerated() {
            let center = left + slot * (Double(c) + 0.5)
            for (s, series) in data.series.enumerated() {
                guard let value = series.values[c] else { continue }
                let x = center - cluster / 2 + barWidth * Double(s) + gap / 2
                let (top, bottom) = (yPosition(max(value, 0)), yPosition(min(value, 0)))
                let label = ChartFormat.value(value)
                let detail = data.categoryDetails[c]
                let tooltip = grouped ? "\(detail) · \(series.detail): \(label)" : "\(detail): \(label)"
                svg.rect(
                    x: x, y: top, width: max(1, barWidth - gap), height: max(value == 0 ? 0 : 1, bottom - top),
                    fill: palette[s % palette.count], tooltip: tooltip)
                if Double(label.count) * 6.4 <= barWidth + 10 {
                    let labelY = value < 0 ? bottom + 13 : top - 4
                    svg.text(label, x: x + (barWidth - gap) / 2, y: labelY, size: 11, anchor: "middle", fill: "#111827")
                }
            }
            guard c % every == 0 else { continue }
            let text = ChartFormat.truncate(category, to: slanted ? labelLimit : max(2, Int(slot / 7)))
            if slanted {
                svg.text(
                    text, x: center + 4, y: plotBottom + 14, size: 11, anchor: "end", fill: "#374151",
                    rotate: -35, tooltip: data.categoryDetails[c])
            } else {
                svg.text(
                    text, x: center, y: plotBottom + 15, size: 11, anchor: "middle", fill: "#374151",
                    tooltip: data.categoryDetails[c])
            }
        }
        return svg.finish()
    }

    /// Draws the legend (group heading, then a swatch and name per series, wrapping) and returns its bottom.
    private static func legend(_ data: BarChartData, into svg: inout SVGCanvas, top: Double) -> Double {
        var x = 12.0
        var y = top + 10
        if let heading = data.groupLabel {
            let text = ChartFormat.truncate(heading, to: 40) + ":"
            svg.text(text, x: x, y: y + 4, size: 12, fill: "#374151", weight: "600")
            x += Double(text.count) * 7 + 8
        }
        for (s, series) in data.series.enumerated() {
            let name = ChartFormat.truncate(series.detail, to: 28)
            let itemWidth = 18 + Double(name.count) * 6.8 + 14
            if x + itemWidth > width - 12, x > 12 {
                x = 12
                y += 18
            }
            svg.rect(x: x, y: y - 6, width: 12, height: 12, fill: palette[s % palette.count])
            svg.text(name, x: x + 17, y: y + 4, size: 12, fill: "#1f2937", tooltip: series.detail)
            x += itemWidth
        }
        return y + 8
    }
}
