import SluiceWarehouse

/// The aggregate state a saved report keeps up to date at load, declared in its header:
///
/// ```sql
/// -- rollup: count by sex, famrel, absences where famrel in (1, 2, 3)
/// -- rollup: count, sum(absences) by school where age < 18 and address = 'r'
/// ```
///
/// Grammar: `count[, sum(column)…] by column[, column…] [where condition [and condition…]]`,
/// a condition being `column op literal` (`=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`) or
/// `column in (literal, …)`; a literal is an integer, a decimal or a `'quoted'` text. Keywords
/// and column names are case-insensitive. Sluice keeps it as the table
/// `sluice_rollup_<report name>`: the key columns, `count` (rows of the group), and per summed
/// column `sum_<column>` (SQL `SUM`, `NULL` when the group has no value) and `count_<column>`
/// (its values, SQL `COUNT(column)`). Groups whose count falls to zero are removed, so the table
/// holds exactly the rows of `SELECT keys, COUNT(*), … FROM table WHERE … GROUP BY keys`.
public struct RollupDefinition: Sendable, Hashable {
    /// The report that declares it.
    public var report: String
    /// The grouping columns, in order, as named in the schema.
    public var keys: [String]
    /// The integer columns summed.
    public var sums: [String]
    /// The conditions a row must meet, all of them (SQL semantics: a `NULL` value meets none).
    public var filters: [RollupFilter]

    /// The warehouse table that holds it: `sluice_rollup_<report>`.
    public var tableName: String { Self.tablePrefix + report }
    /// The prefix of every rollup table's name.
    public static let tablePrefix = "sluice_rollup_"
    /// Most grouping columns a rollup may have.
    public static let maxKeys = 8

    /// The definition in a canonical spelling (what the registry remembers, to notice a change).
    public var canonicalText: String {
        var text =
            (["count"] + sums.map { "sum(\($0))" }).joined(separator: ", ") + " by " + keys.joined(separator: ", ")
        if !filters.isEmpty { text += " where " + filters.map(\.sql).joined(separator: " and ") }
        return text
    }

    /// The rows the rollup must hold, computed from `table` by SQL: keys, `count`, then
    /// `sum_<c>`, `count_<c>` per summed column.
    public func groupingQuery(from table: String, extraCondition: String? = nil) -> String {
        let keyList = keys.map(SQLiteIdentifier.quote).joined(separator: ", ")
        let aggregates =
            ["COUNT(*)"]
            + sums.flatMap { ["SUM(\(SQLiteIdentifier.quote($0)))", "COUNT(\(SQLiteIdentifier.quote($0)))"] }
        let conditions = filters.map(\.sql) + (extraCondition.map { [$0] } ?? [])
        return "SELECT \(keyList), \(aggregates.joined(separator: ", ")) FROM \(SQLiteIdentifier.quote(table))"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " GROUP BY \(keyList)"
    }

    /// The rollup table's columns after the keys.
    public var aggregateColumns: [String] {
        ["count"] + sums.flatMap { ["sum_\($0)", "count_\($0)"] }
    }
}

/// One condition of a rollup's `where`.
public struct RollupFilter: Sendable, Hashable {
    /// A comparison.
    public enum Operator: String, Sendable, Hashable {
        /// `=` (also written `==`).
        case equal = "="
        /// `!=` (also written `<>`).
        case notEqual = "!="
        /// `<`.
        case less = "<"
        /// `<=`.
        case lessOrEqual = "<="
        /// `>`.
        case greater = ">"
        /// `>=`.
        case greaterOrEqual = ">="
        /// `in (…)`: equal to one of the literals.
        case isIn = "in"
    }

    /// The column compared, as named in the schema.
    public var column: String
    /// The comparison.
    public var op: Operator
    /// The literal(s): one, or the list of `in`.
    public var values: [RollupLiteral]

    /// The condition in SQL.
    public var sql: String {
        let name = SQLiteIdentifier.quote(column)
        if op == .isIn { return "\(name) IN (" + values.map(\.sql).joined(separator: ", ") + ")" }
        return "\(name) \(op.rawValue) \(values[0].sql)"
    }
}

/// A literal in a rollup's condition.
public enum RollupLiteral: Sendable, Hashable {
    /// An integer.
    case integer(Int64)
    /// A decimal.
    case real(Double)
    /// A quoted text.
    case text(String)

    /// The literal in SQL.
    public var sql: String {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        case .text(let value): "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}

/// Why a `-- rollup:` header cannot be kept.
public struct RollupDefinitionError: Error, Sendable, CustomStringConvertible {
    /// The report whose header it is.
    public var report: String
    /// What is wrong, and how to write it.
    public var message: String

    /// The report and the message.
    public var description: String { "report \(report): -- rollup: \(message)" }
}
