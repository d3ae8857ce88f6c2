import Foundation
import SluiceSchema

/// What happens to an inbox file once its rows are committed.
public enum AfterLoad: String, Sendable, Hashable {
    /// Move it to `archive/` (the default).
    case archive
    /// Delete it (the old pipeline's behaviour).
    case delete
}

/// The settings in a workspace's `sluice.yaml`.
///
/// ```yaml
/// schema: student.yaml          # a path (relative to this file), or an inline schema mapping
/// table: student_data           # optional: overrides the schema's table name
/// after_load: archive           # archive | delete
/// max_file_bytes: 268435456     # larger inputs are refused before they are read
/// cleaning:
///   drop_rows_with_missing_values: true
///   drop_duplicate_rows: true
///   lowercase_text: true
///   max_reported_errors: 100
/// ```
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
    /// Cleaning switches and the cap on reported errors.
    public var cleaning = CleaningOptions()

    /// A configuration that points at a schema file.
    public init(schemaPath: String, table: String? = nil) {
        self.schemaPath = schemaPath
        self.table = table
    }

    /// Parses `sluice.yaml` text.
    ///
    /// - Throws: ``SchemaError`` with file, line and column for unknown keys and wrong values.
    public init(yaml: String, file: String) throws(SchemaError) {
        guard let root = try YAMLDocument.parse(Array(yaml.utf8), file: file), case .mapping(let pairs) = root.content else {
            throw SchemaError(file: file, line: 1, column: 1, message: "expected a mapping of settings (schema:, table:, …)")
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
                guard let choice = AfterLoad(rawValue: text) else { throw value.error(file: file, expected: "archive or delete") }
                afterLoad = choice
            case "max_file_bytes": maxFileBytes = try value.requireInteger(file: file, range: 1...(1 << 40))
            case "cleaning": try parseCleaning(value, file: file)
            default:
                throw SchemaError(file: file, line: pair.key.line, column: pair.key.column,
                                  message: "unknown setting '\(key)'; expected schema, table, after_load, max_file_bytes or cleaning")
            }
        }
        guard schemaPath != nil || inlineSchema != nil else {
            throw SchemaError(file: file, line: root.line, column: root.column, message: "missing 'schema:' (a schema file path or an inline schema)")
        }
    }

    private mutating func parseCleaning(_ node: YAMLNode, file: String) throws(SchemaError) {
        guard case .mapping(let pairs) = node.content else { throw node.error(file: file, expected: "a mapping of cleaning switches") }
        for pair in pairs {
            let value = pair.value
            switch pair.key.settingText ?? "" {
            case "drop_rows_with_missing_values": cleaning.dropRowsWithMissingValues = try value.requireBool(file: file)
            case "drop_duplicate_rows": cleaning.dropDuplicateRows = try value.requireBool(file: file)
            case "lowercase_text": cleaning.lowercaseText = try value.requireBool(file: file)
            case "max_reported_errors": cleaning.maxReportedIssues = try value.requireInteger(file: file, range: 0...1_000_000)
            default:
                throw SchemaError(file: file, line: pair.key.line, column: pair.key.column, message:
                    "unknown cleaning switch '\(pair.key.settingText ?? "")'; expected drop_rows_with_missing_values, drop_duplicate_rows, lowercase_text or max_reported_errors")
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

        cleaning:
          drop_rows_with_missing_values: true   # the old pipeline's dropna(), counted
          drop_duplicate_rows: true             # identical rows within one file, counted
          lowercase_text: true                  # 'GP' -> 'gp', as the saved reports expect
          max_reported_errors: 100              # errors listed in full per file; totals stay exact

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

    func requireInteger(file: String, range: ClosedRange<Int>) throws(SchemaError) -> Int {
        guard let text = settingText, let number = Int(text), range.contains(number) else {
            throw error(file: file, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
