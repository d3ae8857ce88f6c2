import Foundation
import SluiceCSV
import SluiceSchema

/// What happens to an inbox file once its rows are committed.
public enum AfterLoad: String, Sendable, Hashable {
    /// Move it to `archive/` (the default).
    case archive
    /// Delete it (the old pipeline's behaviour).
    case delete
}

/// Changes to the schema's row policy made in `sluice.yaml` (`cleaning:`); `nil` keeps the schema's.
public struct PolicyOverrides: Sendable, Hashable {
    /// `on_error`.
    public var onError: ErrorPolicy?
    /// `max_error_rate`.
    public var maxErrorRate: Double?
    /// `null_tokens`.
    public var nullTokens: [String]?
    /// `on_missing` (or the older `drop_rows_with_missing_values`).
    public var dropRowsWithMissingValues: Bool?
    /// `drop_duplicate_rows`.
    public var dropDuplicateRows: Bool?
    /// `lowercase_text`.
    public var lowercaseText: Bool?
    /// `max_reported_errors`.
    public var maxReportedErrors: Int?

    /// No overrides.
    public init() {}

    /// `policy` with these overrides applied.
    public func applied(to policy: SchemaPolicy) -> SchemaPolicy {
        var result = policy
        if let onError { result.onError = onError }
        if let maxErrorRate { result.maxErrorRate = maxErrorRate }
        if let nullTokens { result.cleaning.nullTokens = nullTokens }
        if let dropRowsWithMissingValues { result.cleaning.dropRowsWithMissingValues = dropRowsWithMissingValues }
        if let dropDuplicateRows { result.cleaning.dropDuplicateRows = dropDuplicateRows }
        if let lowercaseText { result.cleaning.lowercaseText = lowercaseText }
        if let maxReportedErrors { result.cleaning.maxReportedIssues = maxReportedErrors }
        return result
    }
}

/// The settings in a workspace's `sluice.yaml` (see ``template(schemaFile:table:)`` for the
/// annotated file `sluice init` writes).
public struct WorkspaceConfig: Sendable, Hashable {
    /// The schema file, relative to the workspace (nil when the schema is inline).
    public var schemaPath: String?
    /// The schema given inline in `sluice.yaml`, if it is.
    public var inlineSchema: Schema?
    /// Table name override.
    public var table: String?
    /// What to do with inbox files after loading.
    public var afterLoad: AfterLoad = .archive
    /// Inputs larger than this are refused unread.
    public var maxFileBytes: Int = 256 * 1024 * 1024
    /// Dialect settings pinned instead of detected.
    public var pins = CSVDialectPins()
    /// The configured encoding, or `nil` to read UTF-8 (or UTF-16 with a byte order mark).
    public var encoding: CSVEncoding?
    /// Size limits for fields, records and columns.
    public var limits = CSVReaderLimits()
    /// Changes to the schema's row policy.
    public var overrides = PolicyOverrides()
    /// Whether each accepted file is also written as `columnar/<name>-<sha8>.scol`.
    public var writeColumnar = true
    /// Whether a symbolic link in `inbox/` is read (the link, not its target, is moved);
    /// by default a link is refused without being followed.
    public var followSymlinks = false

    /// A configuration that points at a schema file.
    public init(schemaPath: String, table: String? = nil) {
        self.schemaPath = schemaPath
        self.table = table
    }

    /// Parses `sluice.yaml` text.
    ///
    /// - Throws: ``SchemaError`` with file, line and column for unknown keys and wrong values.
    public init(yaml: String, file: String) throws(SchemaError) {
        guard let root = try YAMLDocument.parse(Array(yaml.utf8), file: file), case .mapping(let pairs) = root.content
        else {
            throw SchemaError(
                code: .notASchema, file: file, line: 1, column: 1,
                message: "expected a mapping of settings (schema:, table:, …)")
        }
        for pair in pairs {
            let key = pair.key.settingText ?? ""
            let value = pair.value
            switch key {
            case "schema":
                if case .mapping = value.content {
                    inlineSchema = try SchemaLoader.schema(from: value, file: file)
                } else {
                    schemaPath = try value.requireString(file: file, what: "a schema file path or an inline schema")
                }
            case "table": table = try value.requireString(file: file, what: "a table name")
            case "after_load":
                let text = try value.requireString(file: file, what: "archive or delete")
                guard let choice = AfterLoad(rawValue: text) else {
                    throw value.error(file: file, expected: "archive or delete")
                }
                afterLoad = choice
            case "max_file_bytes": maxFileBytes = try value.requireInteger(file: file, range: 1...(1 << 40))
            case "columnar": writeColumnar = try value.requireBool(file: file)
            case "follow_symlinks": followSymlinks = try value.requireBool(file: file)
            case "dialect": try parseDialect(value, file: file); try checkDialectConflicts(value, file: file)
            case "limits": try parseLimits(value, file: file)
            case "cleaning": try parseCleaning(value, file: file)
            default:
                throw SchemaError(
                    code: .unknownKey, file: file, line: pair.key.line, column: pair.key.column,
                    message:
                        "unknown setting '\(key)'; expected schema, table, after_load, max_file_bytes, columnar, follow_symlinks, dialect, limits or cleaning"
                )
            }
        }
        guard schemaPath != nil || inlineSchema != nil else {
            throw SchemaError(
                code: .missingKey, file: file, line: root.line, column: root.column,
                message: "missing 'schema:' (a schema file path or an inline schema)")
        }
    }

    private mutating func parseDialect(_ node: YAMLNode, file: String) throws(SchemaError) {
        for (key, value) in try node.settings(
            file: file, allowed: ["delimiter", "quote", "header", "encoding", "quote_policy"])
        {
            switch key {
            case "delimiter":
                pins.delimiter = try value.requireSingleByte(
                    file: file, what: "one delimiter character such as ';' or '\\t'")
            case "quote": pins.quote = try value.requireSingleByte(file: file, what: "one quote character such as '\"'")
            case "header": pins.hasHeader = try value.requireBool(file: file)
            case "quote_policy":
                let name = try value.requireString(file: file, what: "strict or lenient")
                guard let policy = CSVQuotePolicy(rawValue: name) else {
                    throw value.error(file: file, expected: "strict or lenient")
                }
                pins.quotePolicy = policy
            default:
                let name = try value.requireString(file: file, what: "an encoding")
                guard
                    let parsed = CSVEncoding(rawValue: name.lowercased())
                        ?? (name.lowercased() == "latin-1" ? .latin1 : nil)
                else {
                    throw value.error(
                        file: file, expected: "one of " + CSVEncoding.allCases.map(\.rawValue).joined(separator: ", "))
                }
                encoding = parsed
            }
        }
    }

    private mutating func parseLimits(_ node: YAMLNode, file: String) throws(SchemaError) {
        for (key, value) in try node.settings(
            file: file, allowed: ["max_field_bytes", "max_record_bytes", "max_columns"])
        {
            let number = try value.requireInteger(file: file, range: 1...(1 << 34))
            switch key {
            case "max_field_bytes": limits.maxFieldBytes = number
            case "max_record_bytes": limits.maxRecordBytes = number
            default: limits.maxFields = number
            }
        }
    }

    private mutating func parseCleaning(_ node: YAMLNode, file: String) throws(SchemaError) {
        let allowed = [
            "on_error", "max_error_rate", "null_tokens", "on_missing", "drop_rows_with_missing_values",
            "drop_duplicate_rows", "lowercase_text", "max_reported_errors",
        ]
        for (key, value) in try node.settings(file: file, allowed: allowed) {
            switch key {
            case "on_error":
                let text = try value.requireString(file: file, what: "reject_file or reject_rows")
                guard let policy = ErrorPolicy(rawValue: text) else {
                    throw value.error(file: file, expected: "reject_file or reject_rows")
                }
                overrides.onError = policy
            case "max_error_rate":
                guard let rate = value.settingText.flatMap(Double.init), (0...1).contains(rate) else {
                    throw value.error(file: file, expected: "a share from 0 to 1 (0.05 is 5%)")
                }
                overrides.maxErrorRate = rate
            case "null_tokens":
                guard case .sequence(let items) = value.content else {
                    throw value.error(file: file, expected: "a list of strings")
                }
                overrides.nullTokens = items.map { item in
                    if case .scalar(let text, _) = item.content { return item.isNull && text == "~" ? "" : text }
                    return ""
                }
            case "on_missing":
                let text = try value.requireString(file: file, what: "drop_row or reject_row")
                guard let policy = MissingValuePolicy(rawValue: text) else {
                    throw value.error(file: file, expected: "drop_row or reject_row")
                }
                overrides.dropRowsWithMissingValues = policy == .dropRow
            case "drop_rows_with_missing_values":
                overrides.dropRowsWithMissingValues = try value.requireBool(file: file)
            case "drop_duplicate_rows": overrides.dropDuplicateRows = try value.requireBool(file: file)
            case "lowercase_text": overrides.lowercaseText = try value.requireBool(file: file)
            default: overrides.maxReportedErrors = try value.requireInteger(file: file, range: 0...1_000_000)
            }
        }
    }

    /// The `sluice.yaml` text `sluice init` writes, with every setting shown and explained.
    public static func template(schemaFile: String, table: String?) -> String {
        """
        # Sluice workspace configuration. Paths are relative to this file.
        # Folders: inbox/ (drop CSVs here), failed/ (quarantine + <name>.errors.json),
        # archive/ (loaded originals), columnar/, queries/ (saved reports);
        # warehouse.sqlite is the SQLite warehouse, sluice.log the event log.

        # The YAML schema every file is checked against (Sluice format, or the old
        # pipeline's flat schema.yaml / schema_sql.yaml). May also be given inline.
        schema: \(schemaFile)

        # Warehouse table name; when absent, the schema's own table name is used.
        \(table.map { "table: \($0)" } ?? "# table: data")

        # What happens to an inbox file once its rows are committed: archive | delete
        after_load: archive

        # Files larger than this many bytes are refused before they are read.
        max_file_bytes: 268435456

        # Also write each accepted file's rows as columnar/<name>-<sha8>.scol (Sluice's
        # zstd-compressed columnar format; see `sluice inspect` and `sluice cat`).
        columnar: true

        # A symbolic link in inbox/ is refused unless this is true (then its target is
        # read, and the link itself is moved).
        # follow_symlinks: false

        # How files are read. Everything is detected unless pinned here; a file whose
        # delimiter or header cannot be told with confidence is refused (dialect-error).
        # dialect:
        #   delimiter: ";"        # ; , tab ("\t") or |
        #   quote: '"'
        #   header: true          # false: columns are mapped by position, in schema order
        #   encoding: utf-8       # utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1
        #   quote_policy: strict  # lenient: a stray " is a literal character (37°36'37.8"N)

        # Hostile-input limits: larger fields or records, or more columns, refuse the file.
        limits:
          max_field_bytes: 1048576
          max_record_bytes: 4194304
          max_columns: 4096

        # Row policy. The schema sets it; anything given here overrides the schema.
        cleaning:
          max_reported_errors: 100              # errors listed in full per file; totals stay exact
          # on_error: reject_file               # reject_file | reject_rows (load good rows, quarantine bad ones)
          # max_error_rate: 0.05                # with reject_rows: refuse the file above this share of bad rows
          # null_tokens: ["", NA, "null"]       # values that mean "missing"
          # on_missing: drop_row                # drop_row (the old pipeline's dropna, counted) | reject_row
          # drop_duplicate_rows: true           # identical rows within one file, counted
          # lowercase_text: true                # 'GP' -> 'gp', as the saved reports expect

        """
    }
}

extension YAMLNode {
    /// The text of a non-null scalar, else nil.
    var settingText: String? {
        guard case .scalar(let text, _) = content, !isNull else { return nil }
        return text
    }

    func error(file: String, expected: String) -> SchemaError {
        SchemaError(file: file, line: line, column: column, message: "expected \(expected), found \(kindDescription)")
    }

    func requireString(file: String, what: String) throws(SchemaError) -> String {
        guard let text = settingText, !text.isEmpty else { throw error(file: file, expected: what) }
        return text
    }

    func requireBool(file: String) throws(SchemaError) -> Bool {
        switch settingText?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(file: file, expected: "true or false")
        }
    }

    func requireSingleByte(file: String, what: String) throws(SchemaError) -> UInt8 {
        guard case .scalar(let text, _) = content else { throw error(file: file, expected: what) }
        let resolved = text == "\\t" || text == "tab" ? "\t" : text
        guard resolved.utf8.count == 1, let byte = resolved.utf8.first, byte != 0x0A, byte != 0x0D else {
            throw error(file: file, expected: what)
        }
        return byte
    }

    /// The entries of a settings mapping, keys checked against `allowed`.
    func settings(file: String, allowed: [String]) throws(SchemaError) -> [(String, YAMLNode)] {
        guard case .mapping(let pairs) = content else { throw error(file: file, expected: "a mapping of settings") }
        var result: [(String, YAMLNode)] = []
        for pair in pairs {
            let key = pair.key.settingText ?? ""
            guard allowed.contains(key) else {
                throw SchemaError(
                    code: .unknownKey, file: file, line: pair.key.line, column: pair.key.column,
                    message: "unknown setting '\(key)'; expected " + allowed.joined(separator: ", "))
            }
            result.append((key, pair.value))
        }
        return result
    }

    func requireInteger(file: String, range: ClosedRange<Int>) throws(SchemaError) -> Int {
        guard let text = settingText, let number = Int(text), range.contains(number) else {
            throw error(file: file, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
