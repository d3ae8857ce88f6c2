import Foundation
import SluiceCSV
import SluiceSchema

/// One problem in a file, as written to `failed/<name>.errors.json`.
public struct ErrorEntry: Sendable, Hashable, Codable {
    /// The error code: Frictionless and DuckDB names where they exist (`type-error`,
    /// `constraint-error`, `missing-cell`, `extra-cell`, `missing-label`, `extra-label`,
    /// `duplicate-label`, `blank-label`, `invalid-encoding`, `dialect-error`, `binary-file`,
    /// `unterminated-quote`, `field-too-large`, …).
    public var code: String
    /// The precise rule within the code (`minimum`, `allowed`, `required`, …); equals `code`
    /// when there is nothing more precise to say.
    public var rule: String
    /// 1-based physical line in the file.
    public var line: Int
    /// 1-based record number, the header being record 1 (differs from `line` when a quoted
    /// field holds line breaks); 0 when unknown.
    public var record: Int
    /// 0-based byte offset: of the offending byte for syntax and encoding errors, of the
    /// record's first byte for value errors.
    public var byteOffset: Int
    /// The schema column involved (normalised name), if any.
    public var column: String?
    /// 1-based field position in the record (for syntax errors: the byte column in the line), if known.
    public var field: Int?
    /// The raw value as it stood in the file (truncated to 200 characters), if any.
    public var value: String?
    /// What is wrong.
    public var message: String
    /// What to do about it.
    public var hint: String?

    private enum CodingKeys: String, CodingKey {
        case code, rule, line, record, byteOffset = "byte_offset", column, field, value, message, hint
    }

    /// Creates an entry.
    public init(
        code: String, rule: String? = nil, line: Int, record: Int = 0, byteOffset: Int = 0, column: String? = nil,
        field: Int? = nil, value: String? = nil, message: String, hint: String? = nil
    ) {
        self.code = code
        self.rule = rule ?? code
        self.line = line
        self.record = record
        self.byteOffset = byteOffset
        self.column = column
        self.field = field
        self.value = value
        self.message = message
        self.hint = hint
    }

    /// The entry for a schema rule violation.
    init(_ issue: ValidationIssue) {
        self.init(
            code: issue.code, rule: issue.rule, line: issue.line, record: issue.record, byteOffset: issue.byteOffset,
            column: issue.column.isEmpty ? nil : issue.column, field: issue.field == 0 ? nil : issue.field,
            value: issue.column.isEmpty ? nil : issue.value, message: issue.message,
            hint: issue.hint.isEmpty ? nil : issue.hint)
    }

    /// The entry for a CSV syntax, size, encoding or dialect error.
    init(_ error: CSVError) {
        self.init(
            code: error.code.description, line: error.line, byteOffset: error.byteOffset, field: error.column,
            message: error.message, hint: error.hint)
    }
}

/// Row counts that always add up: `read = loaded + dropped_missing + dropped_duplicate + rejected + ignored`
/// (`replaced` is a part of `loaded`).
public struct RowCounts: Sendable, Hashable, Codable {
    /// Data rows read (the header not counted).
    public var read = 0
    /// Rows written to the warehouse.
    public var loaded = 0
    /// Rows dropped because a required value was missing (`on_missing: drop_row`).
    public var droppedMissing = 0
    /// Rows dropped because they repeated an earlier row of the same file.
    public var droppedDuplicate = 0
    /// Rows refused: bad rows under `reject_rows`, or every remaining row of a rejected file.
    public var rejected = 0
    /// Of the loaded rows, those that replaced an earlier delivery's row with the same primary key.
    public var replaced = 0
    /// Rows not loaded because their primary key was loaded before (`on_conflict: ignore`).
    public var ignored = 0

    private enum CodingKeys: String, CodingKey {
        case read, loaded, droppedMissing = "dropped_missing", droppedDuplicate = "dropped_duplicate", rejected,
            replaced, ignored
    }

    /// Whether every row read is accounted for exactly once.
    public var balances: Bool { read == loaded + droppedMissing + droppedDuplicate + rejected + ignored }

    /// Creates counts.
    public init(
        read: Int = 0, loaded: Int = 0, droppedMissing: Int = 0, droppedDuplicate: Int = 0, rejected: Int = 0,
        replaced: Int = 0, ignored: Int = 0
    ) {
        self.read = read
        self.loaded = loaded
        self.droppedMissing = droppedMissing
        self.droppedDuplicate = droppedDuplicate
        self.rejected = rejected
        self.replaced = replaced
        self.ignored = ignored
    }

    /// Decodes a report's counts; `replaced` and `ignored` are absent from reports written before keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        read = try container.decode(Int.self, forKey: .read)
        loaded = try container.decode(Int.self, forKey: .loaded)
        droppedMissing = try container.decode(Int.self, forKey: .droppedMissing)
        droppedDuplicate = try container.decode(Int.self, forKey: .droppedDuplicate)
        rejected = try container.decode(Int.self, forKey: .rejected)
        replaced = try container.decodeIfPresent(Int.self, forKey: .replaced) ?? 0
        ignored = try container.decodeIfPresent(Int.self, forKey: .ignored) ?? 0
    }
}

/// The reason report written to `failed/<name>.errors.json` when a file is refused, or when
/// some of its rows are (`on_error: reject_rows`).
///
/// A stable, documented JSON shape (see the README; `format_version` changes if it ever must).
public struct ErrorReport: Sendable, Hashable, Codable {
    /// The version of this JSON shape.
    public var formatVersion = 1
    /// The file name as delivered.
    public var source: String
    /// SHA-256 of its bytes.
    public var sha256: String
    /// Its size in bytes.
    public var size: Int
    /// `rejected` (nothing loaded) or `partially-loaded` (good rows loaded, bad rows in `rejected_rows`).
    public var status: String
    /// Why the file was refused (`invalid-values`, `dialect-error`, …), or `rejected-rows`.
    public var reason: String
    /// One line for a person.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// How the file was read, when it got that far.
    public var dialect: DialectSummary?
    /// The header as read, normalised and mapped, with any mismatch.
    public var header: HeaderReport?
    /// Where every row went.
    public var rows: RowCounts
    /// Exact number of problems per code.
    public var countsByCode: [String: Int]
    /// Exact number of problems per rule.
    public var countsByRule: [String: Int]
    /// Exact number of problems in all.
    public var totalErrors: Int
    /// How many are listed in ``errors`` (capped by `max_reported_errors`).
    public var errorsShown: Int
    /// The first problems, in file order.
    public var errors: [ErrorEntry]
    /// `failed/<name>.rejected.csv` holding the refused rows' original text, if written.
    public var rejectedRows: String?
    /// When the report was written (ISO 8601, UTC).
    public var createdAt: String

    /// The header's names and how they matched the schema.
    public struct HeaderReport: Sendable, Hashable, Codable {
        /// The names as read.
        public var original: [String]
        /// The names after normalisation.
        public var normalized: [String]
        /// Names matched through an alias.
        public var renamed: [HeaderRename]
        /// Schema columns the header lacks.
        public var missing: [String]
        /// Header names the schema does not know (first ones, capped).
        public var unknown: [String]
        /// Names that appear more than once.
        public var duplicates: [String]
        /// 1-based positions of blank names.
        public var blank: [Int]
        /// Header names read past under `extra_columns: ignore` (absent when none).
        public var ignored: [String]?
        /// Optional columns the header lacks, loaded as `NULL` under `missing_columns: null` (absent when none).
        public var filledWithNull: [String]?
        /// The header policy in force when it is not the default: `{extra_columns, missing_columns}`.
        public var policy: HeaderPolicy?

        private enum CodingKeys: String, CodingKey {
            case original, normalized, renamed, missing, unknown, duplicates, blank, ignored,
                filledWithNull = "filled_with_null", policy
        }
    }

    /// The header policy a file was read under (`extra_columns`, `missing_columns`).
    public struct HeaderPolicy: Sendable, Hashable, Codable {
        /// `reject` or `ignore`.
        public var extraColumns: ExtraColumnsPolicy
        /// `reject` or `null`.
        public var missingColumns: MissingColumnsPolicy

        private enum CodingKeys: String, CodingKey {
            case extraColumns = "extra_columns", missingColumns = "missing_columns"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", source, sha256, size, status, reason, message, hint, dialect, header,
            rows,
            countsByCode = "counts_by_code", countsByRule = "counts_by_rule", totalErrors = "total_errors",
            errorsShown = "errors_shown", errors, rejectedRows = "rejected_rows", createdAt = "created_at"
    }

    /// Pretty JSON with sorted keys (stable for diffs and scripts), ending in a newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
