/// What happens to a file when some of its rows break the schema's rules.
public enum ErrorPolicy: String, Sendable, Hashable, Codable {
    /// Any bad row refuses the whole file (the default, and the safest).
    case rejectFile = "reject_file"
    /// Good rows load; bad rows go to `failed/<name>.rejected.csv` with their reasons, unless
    /// more than ``SchemaPolicy/maxErrorRate`` of the rows are bad.
    case rejectRows = "reject_rows"
}

/// What happens to a row with a missing value (a null token) in a required column.
public enum MissingValuePolicy: String, Sendable, Hashable, Codable {
    /// Drop the row and count it (the original pipeline's `dropna()`, never silent here).
    case dropRow = "drop_row"
    /// Treat it as an error (`constraint-error`, rule `required`).
    case rejectRow = "reject_row"
}

/// What happens to a header column the schema does not know.
public enum ExtraColumnsPolicy: String, Sendable, Hashable, Codable {
    /// Refuse the file (`extra-label`), the default.
    case reject
    /// Read past the column; the reason report and the ingest record list it under `ignored`.
    case ignore
}

/// What happens when a schema column is absent from the header.
public enum MissingColumnsPolicy: String, Sendable, Hashable, Codable {
    /// Refuse the file (`missing-label`), the default.
    case reject
    /// Load the file with `NULL` in that column, for optional columns only (a required column
    /// is still refused); recorded under `filled_with_null`.
    case null
}

/// A schema's row-level policy: error handling, missing values, duplicates and case.
///
/// In a Sluice schema file these are top-level keys next to `table:` and `columns:`:
/// ```yaml
/// on_error: reject_rows        # reject_file (default) | reject_rows
/// max_error_rate: 0.05         # with reject_rows: refuse the file when more rows than this are bad
/// null_tokens: ["", NA, "null"] # values (after trimming) that mean "missing"
/// on_missing: drop_row         # drop_row (default) | reject_row, for required columns
/// drop_duplicate_rows: true
/// lowercase_text: true
/// ```
public struct SchemaPolicy: Sendable, Hashable {
    /// File or row level rejection.
    public var onError: ErrorPolicy
    /// With ``ErrorPolicy/rejectRows``: the largest share (0…1) of bad rows a file may have and still load.
    public var maxErrorRate: Double
    /// Cleaning switches applied to every row.
    public var cleaning: CleaningOptions
    /// What to do with header columns the schema does not know (`extra_columns:`).
    public var extraColumns: ExtraColumnsPolicy = .reject
    /// What to do with schema columns the header lacks (`missing_columns:`).
    public var missingColumns: MissingColumnsPolicy = .reject

    /// Creates a policy; the defaults reproduce the original pipeline, refusing any bad file.
    public init(onError: ErrorPolicy = .rejectFile, maxErrorRate: Double = 0.05, cleaning: CleaningOptions = .init()) {
        self.onError = onError
        self.maxErrorRate = maxErrorRate
        self.cleaning = cleaning
    }
}
