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
    /// The columns of its primary key (a `UNIQUE` index, see ``Warehouse/ensureUniqueKey(of:)``); empty for none.
    public var uniqueKey: [String] = []

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

/// Rows to insert, given column by column in the warehouse's own types.
///
/// Text columns come dictionary-encoded (each distinct value once, a code per row), so the
/// insert binds every value by address, without a string or a copy per row.
public struct ColumnBatch: Sendable {
    /// The values of one column.
    public enum Values: Sendable {
        /// 64-bit integers, one per row.
        case integers([Int64])
        /// Doubles, one per row.
        case reals([Double])
        /// Text: row `i` holds `dictionary[codes[i]]`.
        case texts(dictionary: [String], codes: [UInt32])
        /// The same value in every row.
        case constant(SQLiteValue)
    }

    /// One column: its values and, if it has `NULL`s, which rows hold a value.
    public struct Column: Sendable {
        /// The values (a `NULL` row holds a placeholder).
        public var values: Values
        /// `validity[row]` is `false` where the row holds `NULL`; `nil` when no row does.
        public var validity: [Bool]?

        /// Creates a column.
        public init(_ values: Values, validity: [Bool]? = nil) {
            self.values = values
            self.validity = validity
        }
    }

    /// The columns, in the order of the target ``WarehouseTable/columns``.
    public var columns: [Column]
    /// Number of rows.
    public var rowCount: Int

    /// Creates a batch of `rowCount` rows.
    /// - Precondition: every column and validity mask has `rowCount` entries, and every text
    ///   code is an index of its dictionary.
    public init(rowCount: Int, columns: [Column]) {
        for column in columns {
            precondition(
                column.validity.map { $0.count == rowCount } ?? true, "validity length must match the row count")
            switch column.values {
            case .integers(let values): precondition(values.count == rowCount, "column length must match the row count")
            case .reals(let values): precondition(values.count == rowCount, "column length must match the row count")
            case .texts(let dictionary, let codes):
                precondition(codes.count == rowCount, "column length must match the row count")
                precondition(codes.allSatisfy { Int($0) < dictionary.count }, "text code out of range")
            case .constant: break
            }
        }
        self.rowCount = rowCount
        self.columns = columns
    }
}
