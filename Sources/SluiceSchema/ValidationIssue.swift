import SluiceCSV

/// One problem found in a file: a value that breaks a schema rule, a row with the wrong number
/// of fields, a header that does not match, or a CSV syntax, size or encoding error.
///
/// The one shape for every layer: the validator reports these, and the reason report
/// (`failed/<name>.errors.json`) lists them as they are. Codes and rules are values of
/// ``Code`` and ``Rule``, compared with `==`; their text (``Code/description``) is the stable,
/// documented identifier in the JSON.
public struct ValidationIssue: Sendable, Hashable, Codable {
    /// The error code: Frictionless and DuckDB names where they exist (`type-error`,
    /// `constraint-error`, `missing-cell`, `missing-label`, `invalid-encoding`, …).
    public var code: Code
    /// The precise rule within the code (`minimum`, `allowed`, `required`, …); the code's own
    /// name when there is nothing more precise to say.
    public var rule: Rule
    /// 1-based physical line in the file; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based record number, the header being record 1 (differs from ``line`` when a quoted
    /// field holds line breaks); 0 when unknown.
    public var record: Int
    /// 0-based byte offset: of the offending byte for syntax and encoding errors, of the
    /// record's first byte for value errors.
    public var byteOffset: Int
    /// The schema column involved (normalised name); `nil` for row- and file-level problems.
    public var column: String?
    /// 1-based field position in the record (for syntax errors: the byte column in the line), if known.
    public var field: Int?
    /// The raw value as it stood in the file (decoded for display, truncated to 200 characters), if any.
    public var value: String?
    /// What is wrong, e.g. `value 25 is above the maximum 22 for column 'age'`.
    public var message: String
    /// What to do about it.
    public var hint: String?

    private enum CodingKeys: String, CodingKey {
        case code, rule, line, record, byteOffset = "byte_offset", column, field, value, message, hint
    }

    /// Creates an issue; `rule` defaults to the code's own name.
    public init(
        code: Code, rule: Rule? = nil, line: Int, record: Int = 0, byteOffset: Int = 0, column: String? = nil,
        field: Int? = nil, value: String? = nil, message: String, hint: String? = nil
    ) {
        self.code = code
        self.rule = rule ?? Rule(code)
        self.line = line
        self.record = record
        self.byteOffset = byteOffset
        self.column = column
        self.field = field
        self.value = value
        self.message = message
        self.hint = hint
    }

    /// The issue for a CSV syntax, size, encoding or dialect error, at the error's position.
    public init(_ error: CSVError) {
        self.init(
            code: Code(error.code), line: error.line, byteOffset: error.byteOffset, field: error.column,
            message: error.message, hint: error.hint)
    }
}

extension ValidationIssue {
    /// The kind of problem, as an extensible set of values: compare with `==`, and expect codes
    /// this version does not name (a report written by a later version keeps its own).
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The codes this version writes.
        private enum Known: String {
            case typeError = "type-error", constraintError = "constraint-error", dateError = "date-error"
            case timestampError = "timestamp-error", booleanError = "boolean-error"
            case missingCell = "missing-cell", extraCell = "extra-cell", invalidEncoding = "invalid-encoding"
            case missingLabel = "missing-label", extraLabel = "extra-label", duplicateLabel = "duplicate-label"
            case blankLabel = "blank-label", emptyFile = "empty-file", noDataRows = "no-data-rows"
            case duplicateKey = "duplicate-key", warehouseRefused = "warehouse-refused"
            case fileTooLarge = "file-too-large", unreadable, notARegularFile = "not-a-regular-file"
            case symbolicLink = "symbolic-link"
            case unterminatedQuote = "unterminated-quote", unexpectedQuote = "unexpected-quote"
            case textAfterQuote = "text-after-quote", fieldTooLarge = "field-too-large"
            case lineTooLarge = "line-too-large", tooManyColumns = "too-many-columns", binaryFile = "binary-file"
            case dialectError = "dialect-error"
        }

        /// The stable kebab-case identifier, e.g. `type-error`: what the reason report holds.
        public let description: String

        private init(known: Known) { description = known.rawValue }

        /// A code by its identifier (for a rule that says no more than its code).
        fileprivate init(name: String) { description = name }

        /// A value that is not of the column's type (`type` rule).
        public static var typeError: Code { Code(known: .typeError) }
        /// A value of the right type that breaks a constraint (`minimum`, `maximum`, `allowed`,
        /// `max-length`, `required`).
        public static var constraintError: Code { Code(known: .constraintError) }
        /// A value that is not a date in the column's format.
        public static var dateError: Code { Code(known: .dateError) }
        /// A value that is not a timestamp in the column's format.
        public static var timestampError: Code { Code(known: .timestampError) }
        /// A value that is none of the column's true or false words.
        public static var booleanError: Code { Code(known: .booleanError) }
        /// A row with fewer fields than the header.
        public static var missingCell: Code { Code(known: .missingCell) }
        /// A row with more fields than the header.
        public static var extraCell: Code { Code(known: .extraCell) }
        /// Bytes that are not valid in the file's encoding.
        public static var invalidEncoding: Code { Code(known: .invalidEncoding) }
        /// A schema column the header lacks.
        public static var missingLabel: Code { Code(known: .missingLabel) }
        /// A header name the schema does not know.
        public static var extraLabel: Code { Code(known: .extraLabel) }
        /// A header name given twice.
        public static var duplicateLabel: Code { Code(known: .duplicateLabel) }
        /// A blank header name.
        public static var blankLabel: Code { Code(known: .blankLabel) }
        /// A file that is empty or holds only whitespace.
        public static var emptyFile: Code { Code(known: .emptyFile) }
        /// A header and no data rows.
        public static var noDataRows: Code { Code(known: .noDataRows) }
        /// A row whose primary key repeats one in the file or one loaded before.
        public static var duplicateKey: Code { Code(known: .duplicateKey) }
        /// Rows the warehouse refused (a constraint).
        public static var warehouseRefused: Code { Code(known: .warehouseRefused) }
        /// A file over the size limit, refused unread.
        public static var fileTooLarge: Code { Code(known: .fileTooLarge) }
        /// A file that could not be opened for reading.
        public static var unreadable: Code { Code(known: .unreadable) }
        /// A FIFO, socket, device or other non-regular file.
        public static var notARegularFile: Code { Code(known: .notARegularFile) }
        /// A symbolic link that is not followed.
        public static var symbolicLink: Code { Code(known: .symbolicLink) }
        /// A quoted field still open at the end of the input.
        public static var unterminatedQuote: Code { Code(known: .unterminatedQuote) }
        /// A quote inside an unquoted field.
        public static var unexpectedQuote: Code { Code(known: .unexpectedQuote) }
        /// Text after a closing quote.
        public static var textAfterQuote: Code { Code(known: .textAfterQuote) }
        /// A field over the size limit.
        public static var fieldTooLarge: Code { Code(known: .fieldTooLarge) }
        /// A record over the size limit.
        public static var lineTooLarge: Code { Code(known: .lineTooLarge) }
        /// A record with more fields than the limit.
        public static var tooManyColumns: Code { Code(known: .tooManyColumns) }
        /// Input that is not text.
        public static var binaryFile: Code { Code(known: .binaryFile) }
        /// A delimiter, quote or header that cannot be told with confidence.
        public static var dialectError: Code { Code(known: .dialectError) }

        /// The code of a CSV reader error (the same identifier).
        public init(_ code: CSVError.Code) {
            description = code.description
        }

        /// Whether this version of Sluice names the code (false for one read from a later version's report).
        public var isKnown: Bool { Known(rawValue: description) != nil }

        /// Decodes the identifier, keeping one this version does not know as it was written.
        public init(from decoder: any Decoder) throws {
            self.init(name: try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the identifier as a string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    /// The precise rule an issue broke, within its ``Code``: an extensible set of values.
    public struct Rule: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The rules more precise than their code.
        private enum Known: String {
            case type, date, timestamp, boolean, minimum, maximum, allowed, maxLength = "max-length", required
            case encoding, primaryKey = "primary-key"
        }

        /// The stable kebab-case identifier, e.g. `max-length`.
        public let description: String

        private init(known: Known) { description = known.rawValue }

        /// A rule by its identifier (one read back from a report or a dictionary key).
        fileprivate init(name: String) { description = name }

        /// Not a value of the column's type.
        public static var type: Rule { Rule(known: .type) }
        /// Not a date in the column's format.
        public static var date: Rule { Rule(known: .date) }
        /// Not a timestamp in the column's format.
        public static var timestamp: Rule { Rule(known: .timestamp) }
        /// None of the column's true or false words.
        public static var boolean: Rule { Rule(known: .boolean) }
        /// Below the column's `min`.
        public static var minimum: Rule { Rule(known: .minimum) }
        /// Above the column's `max`.
        public static var maximum: Rule { Rule(known: .maximum) }
        /// Not one of the column's `allowed` values.
        public static var allowed: Rule { Rule(known: .allowed) }
        /// Longer than the column's `max_length`.
        public static var maxLength: Rule { Rule(known: .maxLength) }
        /// Missing in a required column (when such rows are not dropped).
        public static var required: Rule { Rule(known: .required) }
        /// Bytes that are not valid UTF-8.
        public static var encoding: Rule { Rule(known: .encoding) }
        /// A primary key repeated in the file or loaded before.
        public static var primaryKey: Rule { Rule(known: .primaryKey) }
        /// Too few fields in a row.
        public static var missingCell: Rule { Rule(Code.missingCell) }
        /// Too many fields in a row.
        public static var extraCell: Rule { Rule(Code.extraCell) }

        /// The rule that says no more than its code (e.g. `missing-label`).
        public init(_ code: Code) {
            description = code.description
        }

        /// The code the rule belongs to.
        public var code: Code {
            switch Known(rawValue: description) {
            case .type: .typeError
            case .minimum, .maximum, .allowed, .maxLength, .required: .constraintError
            case .encoding: .invalidEncoding
            case .date: .dateError
            case .timestamp: .timestampError
            case .boolean: .booleanError
            case .primaryKey: .duplicateKey
            case nil: Code(name: description)
            }
        }

        /// Decodes the identifier, keeping one this version does not know as it was written.
        public init(from decoder: any Decoder) throws {
            self.init(name: try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the identifier as a string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }
}

// Counts keyed by code or rule encode as JSON objects keyed by the identifier
// (`{"type-error": 3}`), as the reason report's `counts_by_code` and `counts_by_rule` are.
extension ValidationIssue.Code: CodingKeyRepresentable {
    /// The identifier as a dictionary key.
    public var codingKey: any CodingKey { IdentifierKey(stringValue: description) }

    /// The code a dictionary key names.
    public init?<T: CodingKey>(codingKey: T) {
        self.init(name: codingKey.stringValue)
    }
}

extension ValidationIssue.Rule: CodingKeyRepresentable {
    /// The identifier as a dictionary key.
    public var codingKey: any CodingKey { IdentifierKey(stringValue: description) }

    /// The rule a dictionary key names.
    public init?<T: CodingKey>(codingKey: T) {
        self.init(name: codingKey.stringValue)
    }
}

/// A dictionary key holding a code's or rule's identifier.
private struct IdentifierKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
