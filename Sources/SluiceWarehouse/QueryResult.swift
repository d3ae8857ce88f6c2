/// The rows of one query, fully read, with their column names.
public struct QueryResult: Sendable, Hashable, Encodable {
    /// Result column names, in order.
    public var columns: [String]
    /// Rows, each with one value per column.
    public var rows: [[SQLiteValue]]
    /// `true` when the query had more rows than the cap given to ``Warehouse/query(_:maxRows:)``.
    public var isTruncated: Bool

    /// Creates a result from its parts.
    public init(columns: [String], rows: [[SQLiteValue]], isTruncated: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.isTruncated = isTruncated
    }

    private enum CodingKeys: String, CodingKey { case columns, rows, isTruncated = "truncated" }
}

extension SQLiteStatement {
    /// Steps through every row and collects them, up to `maxRows` (then sets `isTruncated`).
    public func readAll(maxRows: Int? = nil) throws(SQLiteError) -> QueryResult {
        var result = QueryResult(columns: columnNames, rows: [])
        while try step() {
            if let maxRows, result.rows.count >= maxRows {
                result.isTruncated = true
                break
            }
            result.rows.append(row)
        }
        reset()
        return result
    }
}
