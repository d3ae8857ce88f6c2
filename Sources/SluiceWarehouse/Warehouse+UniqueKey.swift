/// The `UNIQUE` index that enforces a table's primary key.
extension Warehouse {
    /// The name of the index that enforces `table`'s primary key: `<table>__primary_key`.
    public static func uniqueKeyIndexName(of table: String) -> String { "\(table)__primary_key" }

    /// The columns of `table`'s primary-key index, or `nil` when it has none.
    public func uniqueKeyColumns(of table: String) throws(SQLiteError) -> [String]? {
        let statement = try connection.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
        try statement.bind(Self.uniqueKeyIndexName(of: table), at: 1)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(at: 0)) }
        return names.isEmpty ? nil : names
    }

    /// Makes `table`'s primary-key index match ``WarehouseTable/uniqueKey``: created when
    /// missing (on an existing table too, if its rows allow it), rebuilt when the key changed,
    /// dropped when the schema no longer has a key. Runs in one transaction.
    ///
    /// - Returns: The keys that occur more than once when the existing rows do not allow the
    ///   index (at most 5, each as `column=value, …`); empty when the index is in place.
    /// - Throws: ``SQLiteError`` when SQLite refuses for another reason.
    @discardableResult
    public func ensureUniqueKey(of table: WarehouseTable) throws(SQLiteError) -> [String] {
        let existing = try uniqueKeyColumns(of: table.name)
        if existing == (table.uniqueKey.isEmpty ? nil : table.uniqueKey) { return [] }
        let index = SQLiteIdentifier.quote(Self.uniqueKeyIndexName(of: table.name))
        let quotedTable = SQLiteIdentifier.quote(table.name)
        let columns = table.uniqueKey.map(SQLiteIdentifier.quote).joined(separator: ", ")
        if !table.uniqueKey.isEmpty {
            let repeated = try repeatedKeys(table: quotedTable, columns: table.uniqueKey)
            if !repeated.isEmpty { return repeated }
        }
        do {
            try connection.withTransaction {
                try connection.execute("DROP INDEX IF EXISTS \(index)")
                if !table.uniqueKey.isEmpty {
                    try connection.execute("CREATE UNIQUE INDEX \(index) ON \(quotedTable) (\(columns))")
                }
            }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw SQLiteError(extendedCode: 1, message: "\(error)")
        }
        return []
    }

    /// Up to 5 key values held by more than one row, as `column=value, …`.
    private func repeatedKeys(table: String, columns: [String]) throws(SQLiteError) -> [String] {
        let list = columns.map(SQLiteIdentifier.quote).joined(separator: ", ")
        let statement = try connection.prepare(
            "SELECT \(list), count(*) FROM \(table) GROUP BY \(list) HAVING count(*) > 1 LIMIT 5")
        var keys: [String] = []
        while try statement.step() {
            let parts = columns.enumerated().map { index, name in "\(name)=\(statement.value(at: index).displayText)" }
            keys.append(parts.joined(separator: ", ") + " (\(statement.int64(at: columns.count)) rows)")
        }
        return keys
    }
}
