/// One problem found in one data row.
public struct ValidationIssue: Sendable, Hashable, Codable {
    /// The 1-based line of the row in its file.
    public var line: Int
    /// The normalised column name, or `""` for row-level issues (`field-count`).
    public var column: String
    /// The raw value as in the file (decoded for display, truncated to 200 characters);
    /// `""` for row-level issues.
    public var value: String
    /// A stable rule id: `type`, `minimum`, `maximum`, `allowed`, `max-length`, `field-count`
    /// or `encoding`.
    public var rule: String
    /// A human-readable explanation, e.g. `value 25 is above the maximum 22 for column 'age'`.
    public var message: String

    /// Creates an issue.
    public init(line: Int, column: String, value: String, rule: String, message: String) {
        self.line = line
        self.column = column
        self.value = value
        self.rule = rule
        self.message = message
    }
}

/// The cleaned values of one column, in its storage type.
public enum TypedColumn: Sendable, Hashable {
    /// Values of an integer column.
    case integer([Int64])
    /// Values of a real column.
    case real([Double])
    /// Values of a text column (lower-cased unless disabled).
    case text([String])

    /// The number of values.
    public var count: Int {
        switch self {
        case .integer(let values): values.count
        case .real(let values): values.count
        case .text(let values): values.count
        }
    }

    /// The column's storage type.
    public var type: ColumnType {
        switch self {
        case .integer: .integer
        case .real: .real
        case .text: .text
        }
    }
}

/// Switches for the cleaning steps the original pipeline applied.
public struct CleaningOptions: Sendable, Hashable {
    /// Drop any row with an empty value (after trimming), counting it, before other rules run.
    /// When off, an empty text value is kept as `""` and an empty numeric value is a `type` issue.
    public var dropRowsWithMissingValues: Bool
    /// Drop rows whose cleaned values equal an earlier accepted row of the same file (keep the first).
    public var dropDuplicateRows: Bool
    /// Lower-case text values (and compare them to lower-cased allowed values).
    public var lowercaseText: Bool
    /// How many issues are kept in full; the per-rule totals are always exact.
    public var maxReportedIssues: Int

    /// Creates options; the defaults reproduce the original pipeline.
    public init(
        dropRowsWithMissingValues: Bool = true, dropDuplicateRows: Bool = true,
        lowercaseText: Bool = true, maxReportedIssues: Int = 100
    ) {
        self.dropRowsWithMissingValues = dropRowsWithMissingValues
        self.dropDuplicateRows = dropDuplicateRows
        self.lowercaseText = lowercaseText
        self.maxReportedIssues = maxReportedIssues
    }
}

/// The result of cleaning and validating one file's rows.
public struct ValidationOutcome: Sendable {
    /// The accepted rows' values, one entry per schema column, in schema column order.
    public var columns: [TypedColumn]
    /// The 1-based line number of each accepted row.
    public var sourceLines: [Int]
    /// Data rows seen.
    public var rowsRead: Int
    /// Rows dropped because a value was empty.
    public var rowsDroppedMissing: Int
    /// Rows dropped because they repeated an earlier accepted row.
    public var rowsDroppedDuplicate: Int
    /// Rows rejected with at least one issue.
    public var rowsInvalid: Int
    /// The first ``CleaningOptions/maxReportedIssues`` issues, in file order.
    public var issues: [ValidationIssue]
    /// The exact number of issues per rule id.
    public var issueCountsByRule: [String: Int]
    /// The exact number of issues, reported or not.
    public var totalIssues: Int

    /// The number of accepted rows.
    public var rowsAccepted: Int { sourceLines.count }

    /// Creates an outcome; ``RowValidator/finish()`` is the usual way to get one.
    public init(
        columns: [TypedColumn], sourceLines: [Int], rowsRead: Int, rowsDroppedMissing: Int,
        rowsDroppedDuplicate: Int, rowsInvalid: Int, issues: [ValidationIssue],
        issueCountsByRule: [String: Int], totalIssues: Int
    ) {
        self.columns = columns
        self.sourceLines = sourceLines
        self.rowsRead = rowsRead
        self.rowsDroppedMissing = rowsDroppedMissing
        self.rowsDroppedDuplicate = rowsDroppedDuplicate
        self.rowsInvalid = rowsInvalid
        self.issues = issues
        self.issueCountsByRule = issueCountsByRule
        self.totalIssues = totalIssues
    }
}
