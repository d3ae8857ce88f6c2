import Foundation
import SluiceCSV
import SluiceSchema

/// One problem in a file, as written to `failed/<name>.errors.json`: the validator's
/// ``ValidationIssue``, under the name the reason report has always used.
public typealias ErrorEntry = ValidationIssue

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
    /// Exact number of problems per code (a JSON object keyed by the code's identifier).
    public var countsByCode: [ValidationIssue.Code: Int]
    /// Exact number of problems per rule (a JSON object keyed by the rule's identifier).
    public var countsByRule: [ValidationIssue.Rule: Int]
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
