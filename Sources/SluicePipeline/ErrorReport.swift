import Foundation
import SluiceSchema

/// One problem in a rejected file, as written to `failed/<name>.errors.json`.
public struct ErrorEntry: Sendable, Hashable, Encodable {
    /// 1-based line in the file.
    public var line: Int
    /// The schema column involved (normalised name), or `nil` for a syntax error.
    public var column: String?
    /// 1-based byte position in the line, for CSV syntax errors.
    public var position: Int?
    /// The raw value as it stood in the file (truncated to 200 characters).
    public var value: String?
    /// The rule that failed: `type`, `minimum`, `maximum`, `allowed`, `max-length`, `field-count`,
    /// `encoding`, `header`, or a CSV syntax code such as `unterminated-quote`.
    public var rule: String
    /// What is wrong, in words.
    public var message: String

    /// Creates an entry.
    public init(line: Int, column: String? = nil, position: Int? = nil, value: String? = nil, rule: String, message: String) {
        self.line = line
        self.column = column
        self.position = position
        self.value = value
        self.rule = rule
        self.message = message
    }

    /// The entry for a schema rule violation.
    init(_ issue: ValidationIssue) {
        self.init(line: issue.line, column: issue.column.isEmpty ? nil : issue.column, value: issue.value, rule: issue.rule, message: issue.message)
    }
}

/// The reason report written beside a quarantined file: `failed/<name>.errors.json`.
///
/// A stable, documented JSON shape (see the README): the file's identity, why it was refused,
/// exact totals per rule, and the first problems in full.
public struct ErrorReport: Sendable, Hashable, Encodable {
    /// The file name as delivered.
    public var source: String
    /// SHA-256 of its bytes.
    public var sha256: String
    /// Its size in bytes.
    public var size: Int
    /// Why it was refused.
    public var reason: RejectionReason
    /// One-line summary.
    public var message: String
    /// CSV dialect used to read it (`delimiter`, `line_ending`, `bom`), when it got that far.
    public var dialect: [String: String]?
    /// Header problems, when the header did not match the schema.
    public var header: HeaderProblems?
    /// Data rows read.
    public var rowsRead: Int
    /// Rows with at least one problem.
    public var rowsInvalid: Int
    /// Exact number of problems of each rule.
    public var countsByRule: [String: Int]
    /// Exact number of problems in all.
    public var totalErrors: Int
    /// The first problems, in file order (at most the configured cap).
    public var errors: [ErrorEntry]
    /// When the report was written (ISO 8601, UTC).
    public var createdAt: String

    /// Missing, unknown and repeated header names.
    public struct HeaderProblems: Sendable, Hashable, Encodable {
        /// Schema columns the header lacks.
        public var missing: [String]
        /// Header names the schema does not know.
        public var unknown: [String]
        /// Header names that appear more than once.
        public var duplicates: [String]
    }

    private enum CodingKeys: String, CodingKey {
        case source, sha256, size, reason, message, dialect, header, rowsRead = "rows_read",
            rowsInvalid = "rows_invalid", countsByRule = "counts_by_rule", totalErrors = "total_errors",
            errorsShown = "errors_shown", errors, createdAt = "created_at"
    }

    /// Encodes with snake_case keys plus the derived `errors_shown`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(size, forKey: .size)
        try container.encode(reason, forKey: .reason)
        try container.encode(message, forKey: .message)
        try container.encode(dialect, forKey: .dialect)
        try container.encode(header, forKey: .header)
        try container.encode(rowsRead, forKey: .rowsRead)
        try container.encode(rowsInvalid, forKey: .rowsInvalid)
        try container.encode(countsByRule, forKey: .countsByRule)
        try container.encode(totalErrors, forKey: .totalErrors)
        try container.encode(errors.count, forKey: .errorsShown)
        try container.encode(errors, forKey: .errors)
        try container.encode(createdAt, forKey: .createdAt)
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
