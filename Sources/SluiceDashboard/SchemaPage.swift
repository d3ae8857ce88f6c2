import Foundation
import SluicePipeline
import SluiceSchema
import SluiceWarehouse

/// What the data looks like: the schema files are checked against (each column's type, rules
/// and description) and the warehouse's tables (columns, types, rows). Served as `GET /schema`
/// (a page) and `GET /api/schema` (`{"schema":{"table","columns":[…]},"tables":[…]}`).
public struct SchemaOverview: Sendable, Hashable, Encodable {
    /// One column of the schema and its rules.
    public struct Column: Sendable, Hashable, Encodable {
        /// The column's name.
        public var name: String
        /// `integer`, `real` or `text`.
        public var type: String
        /// Whether a value must be present.
        public var required: Bool
        /// The rules in words: `15–22`, `one of: f, m`, `at most 20 characters`.
        public var rules: [String]
        /// The schema's description.
        public var description: String?
    }

    /// One warehouse table.
    public struct Table: Sendable, Hashable, Encodable {
        /// The table's name.
        public var name: String
        /// Its rows.
        public var rows: Int64
        /// Its columns as SQLite declares them: `[name, type]`.
        public var columns: [[String]]
    }

    /// The table the schema loads into.
    public var table: String
    /// The schema's columns, in file order.
    public var columns: [Column]
    /// The warehouse's tables (none before anything was loaded).
    public var tables: [Table]

    private enum CodingKeys: String, CodingKey { case schema, tables }
    private enum SchemaKeys: String, CodingKey { case table, columns }

    /// `{"schema":{"table","columns"},"tables"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var schema = container.nestedContainer(keyedBy: SchemaKeys.self, forKey: .schema)
        try schema.encode(table, forKey: .table)
        try schema.encode(columns, forKey: .columns)
        try container.encode(tables, forKey: .tables)
    }

    /// Reads the workspace's schema and, when there is one, the warehouse's tables.
    static func load(workspace: Workspace, warehouse: ReadOnlyWarehouse?) throws -> SchemaOverview {
        let schema = workspace.schema
        let columns = schema.columns.map { column in
            Column(
                name: column.name, type: column.type.rawValue, required: column.isRequired, rules: rules(of: column),
                description: column.description)
        }
        var tables: [Table] = []
        if let warehouse {
            // The data tables and the ledger; Sluice's other bookkeeping (rollups, replaced keys) is left out.
            for name in try warehouse.tableNames() where !name.hasPrefix("sluice_") || name == Ledger.tableName {
                let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let info = try warehouse.query("PRAGMA table_info(\(quoted))").rows
                let count = try warehouse.query("SELECT COUNT(*) FROM \(quoted)").rows.first?.first
                tables.append(
                    Table(
                        name: name, rows: { if case .integer(let n)? = count { n } else { 0 } }(),
                        columns: info.map {
                            [$0.count > 1 ? $0[1].displayText : "", $0.count > 2 ? $0[2].displayText : ""]
                        }))
            }
        }
        return SchemaOverview(table: schema.table ?? "", columns: columns, tables: tables)
    }

    /// A column's rules in words.
    static func rules(of column: ColumnSchema) -> [String] {
        var rules: [String] = []
        switch (column.minimum, column.maximum) {
        case let (low?, high?): rules.append("\(ChartFormat.value(low))–\(ChartFormat.value(high))")
        case let (low?, nil): rules.append("at least \(ChartFormat.value(low))")
        case let (nil, high?): rules.append("at most \(ChartFormat.value(high))")
        case (nil, nil): break
        }
        if let allowed = column.allowedValues { rules.append("one of: " + allowed.joined(separator: ", ")) }
        if let length = column.maxLength { rules.append("at most \(length) character\(length == 1 ? "" : "s")") }
        if !column.valueLabels.isEmpty {
            // Numbers in numeric order (2 before 10), other values alphabetically.
            let values = column.valueLabels.keys.sorted { left, right in
                switch (Double(left), Double(right)) {
                case let (l?, r?): l < r
                default: left < right
                }
            }
            rules.append("labels: " + values.map { "\($0) = \(column.valueLabels[$0]!)" }.joined(separator: ", "))
        }
        return rules
    }

    /// The page: the schema's columns, then each table, styled like the dashboard.
    func html(workspaceName: String) -> String {
        let e = ChartFormat.escape
        let schemaRows = columns.map { column in
            "<tr><td class=\"file\">\(e(column.name))</td><td>\(e(column.type))</td><td>\(column.required ? "yes" : "no")</td>"
                + "<td class=\"msg\">\(e(column.rules.joined(separator: "; ")))</td><td class=\"msg\">\(e(column.description ?? ""))</td></tr>"
        }.joined(separator: "\n")
        let tableSections = tables.map { table in
            let rows = table.columns.map { "<tr><td class=\"file\">\(e($0[0]))</td><td>\(e($0[1]))</td></tr>" }.joined(
                separator: "\n")
            return """
                <section class="panel"><h2>\(e(table.name)) <span class="count">\(ChartFormat.grouped(table.rows)) rows</span></h2>
                <div class="table-wrap"><table class="data"><thead><tr><th>column</th><th>type</th></tr></thead><tbody>
                \(rows)
                </tbody></table></div></section>
                """
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sluice — \(e(workspaceName)) — schema</title><link rel="icon" href="data:,">
            <style>\(PageTemplates.css)</style></head>
            <body><header class="top"><h1>Sluice <span class="ws">\(e(workspaceName))</span></h1>
            <p class="meta"><a class="back" href="/">← dashboard</a> · the schema files are checked against, and the warehouse's tables</p></header>
            <main>
            <section class="panel" id="schema-columns"><h2>Schema <span class="count">loads into \(e(table))</span></h2>
            <div class="table-wrap tall"><table class="data"><thead><tr><th>column</th><th>type</th><th>required</th><th>rules</th><th>description</th></tr></thead><tbody>
            \(schemaRows)
            </tbody></table></div></section>
            \(tables.isEmpty ? "<p class=\"empty\">Nothing loaded yet: no warehouse tables.</p>" : tableSections)
            </main><footer>Sluice · schema · <a href="/api/schema">JSON</a></footer></body></html>

            """
    }
}
