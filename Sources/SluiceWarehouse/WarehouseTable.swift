/// SQLite storage type of a warehouse column; tables are `STRICT`, so SQLite enforces it.
public enum WarehouseColumnType: String, Sendable, Hashable {
    /// 64-bit integers.
    case integer = "INTEGER"
    /// Doubles.
    case real = "REAL"
    /// UTF-8 text.
    case text = "TEXT"
}

/// One column of a warehouse table.
public struct WarehouseColumn: Sendable, Hashable {
    /// Column name, used quoted in SQL.
    public var name: String
    /// Storage type.
    public var type: WarehouseColumnType
    /// Whether `NULL` is refused.
    public var isNotNull: Bool

    /// Creates a column definition.
    public init(name: String, type: WarehouseColumnType, isNotNull: Bool = true) {
        self.name = name
        self.type = type
        self.isNotNull = isNotNull
    }
}

/// A warehouse table definition: the name and columns in order, rendered as `STRICT` DDL.
public struct WarehouseTable: Sendable, Hashable {
    /// Table name, used quoted in SQL.
    public var name: String
    /// Columns, in insertion order.
    public var columns: [WarehouseColumn]

    /// Creates a table definition.
    public init(name: String, columns: [WarehouseColumn]) {
        self.name = name
        self.columns = columns
    }

    /// `CREATE TABLE IF NOT EXISTS "name" (…) STRICT`.
    public var createStatement: String {
        let body = columns.map { column in
            "\(SQLiteIdentifier.quote(column.name)) \(column.type.rawValue)\(column.isNotNull ? " NOT NULL" : "")"
        }.joined(separator: ",\n    ")
        return "CREATE TABLE IF NOT EXISTS \(SQLiteIdentifier.quote(name)) (\n    \(body)\n) STRICT"
    }

    /// `INSERT INTO "name" ("a", "b", …) VALUES (?, ?, …)`.
    public var insertStatement: String {
        let names = columns.map { SQLiteIdentifier.quote($0.name) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT INTO \(SQLiteIdentifier.quote(name)) (\(names)) VALUES (\(marks))"
    }
}

/// Rows to insert, read column by column: anything that can hand out a value per cell.
///
/// Column order matches the target ``WarehouseTable/columns``.
public protocol RowBatch {
    /// Number of rows.
    var rowCount: Int { get }
    /// The value at `row` (0-based) in table column `column` (0-based).
    func value(row: Int, column: Int) -> SQLiteValue
}
