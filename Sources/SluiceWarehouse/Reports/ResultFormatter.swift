import Foundation

/// Output formats for query and report results.
public enum ResultFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal, numbers as people read them (``ReadableNumber``: `1,226`,
    /// `10`, `3.33`); the other formats keep every value exact.
    case table
    /// Machine-readable JSON, numbers as JSON numbers.
    case json
    /// RFC 4180 CSV with a header line.
    case csv
    /// A GitHub-flavoured Markdown table.
    case markdown
}

/// A report together with its result, as printed or served.
public struct ReportResult: Sendable, Hashable, Encodable {
    /// The report that ran.
    public var report: SavedReport
    /// Its rows.
    public var result: QueryResult

    /// Pairs a report with its result.
    public init(report: SavedReport, result: QueryResult) {
        self.report = report
        self.result = result
    }

    private enum CodingKeys: String, CodingKey { case name, title, description, columns, rows }

    /// `{"name","title","description","columns","rows"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.name, forKey: .name)
        try container.encode(report.title, forKey: .title)
        try container.encode(report.description, forKey: .description)
        try container.encode(result.columns, forKey: .columns)
        try container.encode(result.rows, forKey: .rows)
    }
}

/// Renders results as text in each ``ResultFormat``.
public enum ResultFormatter {
    /// Renders reports: `{"reports":[…]}` for JSON, else each report under its title.
    public static func render(_ reports: [ReportResult], as format: ResultFormat) -> String {
        switch format {
        case .json:
            struct Envelope: Encodable { let reports: [ReportResult] }
            return json(Envelope(reports: reports))
        case .csv:
            // One report is plain CSV; several are blocks separated by a blank line, each
            // introduced by a `# name` line.
            guard reports.count > 1 else { return reports.first.map { streamed($0.result, as: .csv) } ?? "" }
            return reports.map { "# \($0.report.name)\n" + streamed($0.result, as: .csv) }.joined(separator: "\n")
        case .table, .markdown:
            return reports.map { item in
                let heading =
                    format == .markdown
                    ? "## \(item.report.title)\n\n" : "\(item.report.title)  [\(item.report.name)]\n"
                return heading + render(item.result, as: format)
            }.joined(separator: "\n")
        }
    }

    /// Renders one result.
    public static func render(_ result: QueryResult, as format: ResultFormat) -> String {
        switch format {
        case .json: return json(result)
        case .csv, .markdown: return streamed(result, as: format)
        case .table: return table(result)
        }
    }

    /// Encodes any value as compact JSON with sorted keys (stable output for scripts and diffs)
    /// and a trailing newline.
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Aligned columns with a rule under the header; numbers right-aligned and written as
    /// ``ReadableNumber`` does, like the HTML report and the dashboard.
    static func table(_ result: QueryResult) -> String {
        let cells = result.rows.map { $0.map(ReadableNumber.text(of:)) }
        var widths = result.columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        var lines = [zip(result.columns, widths).map { pad($0, $1, right: false) }.joined(separator: "  ")]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for (rowIndex, row) in cells.enumerated() {
            lines.append(
                row.enumerated().map { index, cell in
                    pad(cell, widths[index], right: result.rows[rowIndex][index].isNumber)
                }.joined(separator: "  "))
        }
        if result.rows.isEmpty { lines.append("(no rows)") }
        if result.isTruncated { lines.append("(more rows not shown)") }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }

    /// Every row through ``ResultStreamWriter`` (CSV, Markdown), as one string.
    static func streamed(_ result: QueryResult, as format: ResultFormat) -> String {
        var text = ""
        let writer = ResultStreamWriter(format: format) { text += $0 }
        writer.begin(columns: result.columns)
        result.rows.forEach(writer.add)
        writer.finish(truncated: result.isTruncated)
        return text
    }
}
