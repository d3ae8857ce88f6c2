/// Where a data row sits in its file.
public struct RowLocation: Sendable, Hashable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// 1-based record number, the header being record 1 (differs from ``line`` when quoted
    /// fields hold line breaks or blank lines were skipped).
    public var record: Int
    /// 0-based byte offset of the record's first byte.
    public var byteOffset: Int

    /// Creates a location.
    public init(line: Int, record: Int, byteOffset: Int) {
        self.line = line
        self.record = record
        self.byteOffset = byteOffset
    }
}

/// What became of one data row.
public enum RowVerdict: Sendable, Hashable {
    /// Clean: kept.
    case accepted
    /// Dropped because a required value was missing (``MissingValuePolicy/dropRow``), counted.
    case droppedMissing
    /// Dropped because it repeats an earlier accepted row of the same file, counted.
    case droppedDuplicate
    /// Rejected: at least one issue.
    case rejected
}

/// The cleaned values of one column, in its storage type.
public enum TypedColumn: Sendable, Hashable {
    /// Values of an integer column; also of a date (days since 1970-01-01), timestamp
    /// (microseconds since 1970-01-01 00:00) or boolean (1/0) column.
    case integer([Int64])
    /// Values of a real column.
    case real([Double])
    /// Values of a text column (lower-cased unless disabled), dictionary-encoded.
    case text(TextColumn)

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

/// The values of a text column, dictionary-encoded: each distinct value once, and per row the
/// code (index) of its value. Reads as a collection of strings.
///
/// Categorical data repeats a few values, so this is what the warehouse binds and the columnar
/// writer encodes without hashing a string per row.
public struct TextColumn: Sendable, Hashable, RandomAccessCollection {
    /// The distinct values (possibly with some no row uses).
    public var dictionary: [String]
    /// Per row, the index of its value in ``dictionary``.
    public var codes: [UInt32]

    /// Creates a column from a dictionary and codes.
    /// - Precondition: every code is an index of `dictionary`.
    public init(dictionary: [String], codes: [UInt32]) {
        precondition(codes.allSatisfy { Int($0) < dictionary.count }, "TextColumn code out of range")
        self.dictionary = dictionary
        self.codes = codes
    }

    /// Creates a column holding `values`, encoding them.
    public init(_ values: [String]) {
        var builder = TextDictionary()
        codes = values.map { builder.code(for: $0) }
        dictionary = builder.values
    }

    /// The first row's index (0).
    public var startIndex: Int { 0 }
    /// The row count.
    public var endIndex: Int { codes.count }
    /// The value of row `position`.
    public subscript(position: Int) -> String { dictionary[Int(codes[position])] }

    /// Columns are equal when their rows hold the same values (byte for byte), whatever the encoding.
    public static func == (lhs: TextColumn, rhs: TextColumn) -> Bool {
        lhs.elementsEqual(rhs) { $0.utf8.elementsEqual($1.utf8) }
    }

    /// Hashes the values, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for value in self {  // by bytes, consistent with ==
            hasher.combine(value.utf8.count)
            for byte in value.utf8 { hasher.combine(byte) }
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
    /// Values that mean "missing" after trimming (the default is only the empty value).
    public var nullTokens: [String]

    /// Creates options; the defaults reproduce the original pipeline.
    public init(
        dropRowsWithMissingValues: Bool = true, dropDuplicateRows: Bool = true,
        lowercaseText: Bool = true, maxReportedIssues: Int = 100, nullTokens: [String] = [""]
    ) {
        self.nullTokens = nullTokens
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
    /// For each column, which accepted rows hold a value (`false` = `NULL`); `nil` when the
    /// column has no `NULL` at all.
    public var validity: [[Bool]?]
    /// The first ``CleaningOptions/maxReportedIssues`` issues, in file order.
    public var issues: [ValidationIssue]
    /// The exact number of issues per rule id.
    public var issueCountsByRule: [ValidationIssue.Rule: Int]
    /// The exact number of issues per error code.
    public var issueCountsByCode: [ValidationIssue.Code: Int]
    /// The exact number of issues, reported or not.
    public var totalIssues: Int

    /// The number of accepted rows.
    public var rowsAccepted: Int { sourceLines.count }

    /// Creates an outcome; ``RowValidator/finish()`` is the usual way to get one.
    public init(
        columns: [TypedColumn], sourceLines: [Int], rowsRead: Int, rowsDroppedMissing: Int,
        rowsDroppedDuplicate: Int, rowsInvalid: Int, issues: [ValidationIssue],
        issueCountsByRule: [ValidationIssue.Rule: Int], totalIssues: Int, validity: [[Bool]?] = [],
        issueCountsByCode: [ValidationIssue.Code: Int] = [:]
    ) {
        self.validity = validity.isEmpty ? Array(repeating: nil, count: columns.count) : validity
        self.issueCountsByCode = issueCountsByCode
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
