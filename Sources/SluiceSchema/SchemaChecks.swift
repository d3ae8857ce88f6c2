/// Checks a schema must pass before any SQL is written from it: names the warehouse reserves,
/// and SQLite's column limit. Run on every load, so `init` and every later load refuse the same
/// schemas, with a message that points at the schema rather than a raw SQLite error.
public enum SchemaChecks {
    /// SQLite's default `SQLITE_MAX_COLUMN`: the most columns a table may have.
    public static let sqliteColumnLimit = 2000
    /// The most columns a schema may have: the warehouse table adds `_ingest_id`.
    public static let maximumColumns = sqliteColumnLimit - 1
    /// The column Sluice adds to every warehouse table.
    public static let ingestIDColumn = "_ingest_id"
    /// The longest column name, in UTF-8 bytes: a `.scol` file's footer holds names of 1–255 bytes.
    public static let maximumColumnNameBytes = 255

    /// Why `table` cannot name a warehouse table, or `nil`.
    public static func problem(withTable table: String) -> String? {
        let lowered = table.lowercased()
        for prefix in ["sluice_", "sqlite_"] where lowered.hasPrefix(prefix) {
            return
                "table name '\(table)' is reserved: names starting with \(prefix) belong to \(prefix == "sqlite_" ? "SQLite" : "Sluice's ledger"); choose another name"
        }
        return nil
    }

    /// Why `column` cannot name a column, or `nil`.
    public static func problem(withColumn column: String) -> String? {
        let lowered = column.lowercased()
        if lowered == ingestIDColumn {
            return
                "column name '\(column)' is reserved: Sluice adds \(ingestIDColumn) (the ledger entry of each row) to every table; rename it or map it with aliases"
        }
        for prefix in ["sluice_", "sqlite_"] where lowered.hasPrefix(prefix) {
            return
                "column name '\(column)' is reserved: names starting with \(prefix) are Sluice's and SQLite's; rename it or map it with aliases"
        }
        return nil
    }

    /// Why `column` is too long to name a column of the `.scol` files, or `nil`.
    public static func problem(withColumnNameLength column: String) -> String? {
        let length = column.utf8.count
        guard length > maximumColumnNameBytes else { return nil }
        return
            "column name '\(column.prefix(60))…' is \(length) UTF-8 bytes; the columnar files hold names of at most \(maximumColumnNameBytes); shorten it (aliases can map a long header name to a short column)"
    }

    /// Why a schema with `count` columns cannot become a warehouse table, or `nil`.
    public static func problem(withColumnCount count: Int) -> String? {
        guard count > maximumColumns else { return nil }
        return
            "the schema has \(count) columns; a SQLite table holds at most \(sqliteColumnLimit), and Sluice adds \(ingestIDColumn), so at most \(maximumColumns) are allowed"
    }
}

extension SchemaBuilder {
    /// Applies ``SchemaChecks`` to a built schema, pointing at the offending node.
    func check(_ schema: Schema, root: YAMLNode, tableNode: YAMLNode?, columnNodes: [YAMLNode]) throws(SchemaError)
        -> Schema
    {
        if let table = schema.table, let problem = SchemaChecks.problem(withTable: table) {
            throw error(.reservedName, at: tableNode ?? root, problem)
        }
        if let problem = SchemaChecks.problem(withColumnCount: schema.columns.count) {
            throw error(.limitExceeded, at: root, problem)
        }
        for (index, column) in schema.columns.enumerated() {
            if let problem = SchemaChecks.problem(withColumn: column.name) {
                throw error(.reservedName, at: index < columnNodes.count ? columnNodes[index] : root, problem)
            }
            if let problem = SchemaChecks.problem(withColumnNameLength: column.name) {
                throw error(.limitExceeded, at: index < columnNodes.count ? columnNodes[index] : root, problem)
            }
        }
        return schema
    }
}
