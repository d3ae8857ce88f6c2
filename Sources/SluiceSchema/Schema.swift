/// Which on-disk layout a ``Schema`` was loaded from.
public enum SchemaFormat: String, Sendable {
    /// The Sluice format: `table:` plus a `columns:` mapping of name → spec (see `data/student.yaml`).
    case sluice
    /// The legacy flat format: a mapping of `column: TYPE` pairs, with no table name.
    case legacyFlat
    /// The legacy SQL format: `table_name: [{name: ..., type: ...}, ...]`.
    case legacySQL
}

/// A table schema: an optional table name and its columns in file order.
public struct Schema: Sendable, Hashable {
    /// The table name; `nil` for the flat legacy format, which has none.
    public var table: String?
    /// The columns, in the order the schema file lists them.
    public var columns: [ColumnSchema]
    /// The layout the schema was loaded from.
    public var format: SchemaFormat
    /// Other names a header may use for a column: normalised alias → column name
    /// (`aliases: {mother_job: mjob}`).
    public var aliases: [String: String]
    /// What to do with missing values and bad rows.
    public var policy: SchemaPolicy
    /// The columns that name a row, and what a second row with the same key does (`nil`: no key).
    public var primaryKey: PrimaryKey?

    /// Creates a schema. Column names should already be normalised (see ``HeaderNormalizer``).
    public init(
        table: String?, columns: [ColumnSchema], format: SchemaFormat,
        aliases: [String: String] = [:], policy: SchemaPolicy = .init()
    ) {
        self.table = table
        self.columns = columns
        self.format = format
        self.aliases = aliases
        self.policy = policy
    }

    /// The column called `named`, compared after normalisation (trim + lower-case), if any.
    public func column(named: String) -> ColumnSchema? {
        let wanted = HeaderNormalizer.normalize(named)
        return columns.first { $0.name == wanted }
    }

    /// The position of the column called `named` (normalised) in ``columns``, if any.
    public func columnIndex(named: String) -> Int? {
        let wanted = HeaderNormalizer.normalize(named)
        return columns.firstIndex { $0.name == wanted }
    }
}

/// The storage type of a column after cleaning.
public enum ColumnType: String, Sendable, Hashable, Codable {
    /// A signed 64-bit integer (optional sign and decimal digits only).
    case integer
    /// A finite double-precision number.
    case real
    /// UTF-8 text (lower-cased by default when cleaning).
    case text
    /// A calendar date (ISO 8601 `2012-01-31` by default, or a declared `format:`), kept as days
    /// since 1970-01-01 (an ``TypedColumn/integer(_:)`` column); stored in SQLite as ISO text.
    case date
    /// A date and time without a time zone (ISO 8601 `2012-01-31 13:45:00` by default, or a declared
    /// `format:`), kept as microseconds since 1970-01-01 00:00; stored in SQLite as ISO text.
    case timestamp
    /// true/false (also yes/no and 1/0, or declared spellings), kept and stored as 1/0.
    case boolean

    /// True for ``integer`` and ``real``.
    public var isNumeric: Bool { self == .integer || self == .real }

    /// True for ``date`` and ``timestamp``.
    public var isTemporal: Bool { self == .date || self == .timestamp }

    /// How values of this type are held in a ``TypedColumn``: dates, timestamps and booleans as integers.
    public var storage: ColumnStorage {
        switch self {
        case .integer, .date, .timestamp, .boolean: .integer
        case .real: .real
        case .text: .text
        }
    }
}

/// The in-memory representation of a column's values (see ``ColumnType/storage``).
public enum ColumnStorage: Sendable, Hashable {
    /// `Int64` values: integers, days, microseconds, or 0/1.
    case integer
    /// `Double` values.
    case real
    /// Dictionary-coded text.
    case text
}

/// A type as written in a schema file, resolved to a ``ColumnType`` plus any length limit
/// carried by the spelling (`VARCHAR(n)` / `CHAR(n)`).
struct TypeSpelling: Equatable {
    var type: ColumnType
    var maxLength: Int?

    /// The list shown when a spelling is not recognised.
    static let expected = "expected a type (integer, real, text, date, timestamp, boolean, VARCHAR(n), INTEGER)"

    private static let integerNames: Set<String> = ["integer", "int", "bigint", "smallint", "int64"]
    private static let realNames: Set<String> = ["real", "float", "double", "double precision", "numeric", "decimal"]
    private static let textNames: Set<String> = ["text", "string", "varchar", "char"]
    private static let otherNames: [String: ColumnType] = [
        "date": .date, "timestamp": .timestamp, "datetime": .timestamp, "boolean": .boolean, "bool": .boolean,
    ]

    /// Resolves a spelling, case-insensitively: integer/int/BIGINT → integer;
    /// real/float/double/NUMERIC/DECIMAL(p,s) → real; text/string/VARCHAR(n)/CHAR(n) → text.
    /// Returns `nil` for anything else (including `VARCHAR(0)` or malformed parentheses).
    init?(_ raw: String) {
        let spelling = raw.trimmingWhitespace().lowercased()
        var name = Substring(spelling)
        var arguments: [Int] = []
        if let open = spelling.firstIndex(of: "(") {
            guard spelling.hasSuffix(")") else { return nil }
            name = spelling[..<open]
            let inner = spelling[spelling.index(after: open)..<spelling.index(before: spelling.endIndex)]
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = part.trimmingWhitespace()
                guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else { return nil }
                arguments.append(value)
            }
        }
        let base = String(name).trimmingWhitespace()
        if Self.integerNames.contains(base), arguments.isEmpty {
            self.init(type: .integer, maxLength: nil)
        } else if Self.realNames.contains(base),
            arguments.isEmpty
                || ((base == "decimal" || base == "numeric") && arguments.count <= 2 && arguments[0] > 0)
        {
            self.init(type: .real, maxLength: nil)
        } else if Self.textNames.contains(base), arguments.isEmpty {
            self.init(type: .text, maxLength: nil)
        } else if base == "varchar" || base == "char", arguments.count == 1, arguments[0] > 0 {
            self.init(type: .text, maxLength: arguments[0])
        } else if let type = Self.otherNames[base], arguments.isEmpty {
            self.init(type: type, maxLength: nil)
        } else {
            return nil
        }
    }

    init(type: ColumnType, maxLength: Int?) {
        self.type = type
        self.maxLength = maxLength
    }
}

/// One column of a ``Schema``: its name, type and the validation rules for its values.
public struct ColumnSchema: Sendable, Hashable {
    /// The normalised name (trimmed, lower-cased), matched against normalised CSV headers.
    public var name: String
    /// The type values are parsed into.
    public var type: ColumnType
    /// Inclusive lower bound, for numeric columns (for date and timestamp columns: in days or
    /// microseconds since 1970-01-01, written in the schema as ISO 8601 text).
    public var minimum: Double?
    /// Inclusive upper bound, like ``minimum``.
    public var maximum: Double?
    /// The permitted values, compared to the cleaned value's text: text columns after
    /// lower-casing (when enabled), numeric columns in canonical form (`7`, `2.5`).
    public var allowedValues: [String]?
    /// Longest permitted text, in Unicode characters (Swift `Character`s), for text columns.
    public var maxLength: Int?
    /// Free-form documentation of the column.
    public var description: String?
    /// Whether a value must be present. A missing value (a null token) in a required column
    /// follows the schema's ``MissingValuePolicy``; in an optional column it is stored as `NULL`.
    public var isRequired: Bool
    /// How the values of a date, timestamp, boolean or number column are written (`format:`,
    /// `true_values:`, `decimal_separator:`, …); the defaults read ISO 8601 and plain numbers.
    public var valueFormat: ValueFormat = .init()
    /// Words for coded values (`labels: {t: living together}`), keyed by the value as written in
    /// the schema (numbers canonical, booleans `1`/`0`); presentation only, see
    /// ``labelsByStoredValue(lowercasingText:)``.
    public var valueLabels: [String: String] = [:]

    /// Creates a column schema.
    public init(
        name: String, type: ColumnType, minimum: Double? = nil, maximum: Double? = nil,
        allowedValues: [String]? = nil, maxLength: Int? = nil, description: String? = nil, isRequired: Bool = true
    ) {
        self.isRequired = isRequired
        self.name = name
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.allowedValues = allowedValues
        self.maxLength = maxLength
        self.description = description
    }
}

/// Formats a number the way messages and canonical allowed values show it: integral values
/// without a fraction (`22`), others with Swift's shortest round-trip form (`2.5`).
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return String(value)
}

extension StringProtocol {
    /// The text without leading and trailing whitespace or newlines.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

extension Character {
    /// True for the ASCII digits 0–9 only.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
