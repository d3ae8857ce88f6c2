/// A condition on column values that a scan uses to skip row groups by their statistics.
///
/// It is a filter on row groups only: a row group is skipped when its min, max and null
/// counts prove no row can match; rows of the groups that are read are all returned, and
/// exact row filtering is the caller's.
///
/// ```swift
/// let predicate: ColumnPredicate = .and([.equals("school", .string("gp")), .between("age", .int64(15), .int64(17))])
/// ```
public indirect enum ColumnPredicate: Sendable, Hashable {
    /// The column equals the value.
    case equals(String, ColumnarScalar)
    /// The column lies in the inclusive range; a `nil` bound is open.
    case range(String, lower: ColumnarScalar?, upper: ColumnarScalar?)
    /// The column is null.
    case isNull(String)
    /// The column is not null.
    case isNotNull(String)
    /// All of the conditions hold.
    case and([ColumnPredicate])
    /// At least one of the conditions holds.
    case or([ColumnPredicate])

    /// `lower ≤ column ≤ upper`.
    public static func between(_ column: String, _ lower: ColumnarScalar, _ upper: ColumnarScalar) -> ColumnPredicate {
        .range(column, lower: lower, upper: upper)
    }

    /// The names of the columns the predicate refers to.
    public var columnNames: [String] {
        switch self {
        case .equals(let name, _), .range(let name, _, _), .isNull(let name), .isNotNull(let name): [name]
        case .and(let parts), .or(let parts): parts.flatMap(\.columnNames)
        }
    }

    /// Whether some row of a row group with these statistics could match; `false` only when
    /// the statistics prove that none can.
    ///
    /// - Parameters:
    ///   - rows: The row group's row count.
    ///   - statistics: The statistics of the chunk of the named column.
    public func mayMatch(rows: Int, statistics: (String) -> ColumnStatistics?) -> Bool {
        switch self {
        case .and(let parts): return parts.allSatisfy { $0.mayMatch(rows: rows, statistics: statistics) }
        case .or(let parts): return parts.contains { $0.mayMatch(rows: rows, statistics: statistics) }
        case .isNull(let name):
            guard let stats = statistics(name) else { return true }
            return stats.nullCount > 0
        case .isNotNull(let name):
            guard let stats = statistics(name) else { return true }
            return stats.nullCount < rows
        case .equals(let name, let value):
            return Self.rangeMayMatch(statistics(name), rows: rows, lower: value, upper: value)
        case .range(let name, let lower, let upper):
            return Self.rangeMayMatch(statistics(name), rows: rows, lower: lower, upper: upper)
        }
    }

    private static func rangeMayMatch(
        _ stats: ColumnStatistics?, rows: Int, lower: ColumnarScalar?, upper: ColumnarScalar?
    ) -> Bool {
        guard let stats else { return true }
        if stats.nullCount == rows { return false }  // only nulls: no value compares equal or in range
        if let lower, let maximum = stats.max, let order = lower.compare(maximum), order > 0 {
            if stats.boundsExact { return false }
            // A truncated max is a prefix of the true max: only a value that does not start
            // with it and sorts after it is proven larger than every value.
            if case .string(let text) = lower, case .string(let prefix) = maximum, !text.utf8.starts(with: prefix.utf8)
            {
                return false
            }
        }
        if let upper, let minimum = stats.min, let order = upper.compare(minimum), order < 0 { return false }
        return true
    }
}
