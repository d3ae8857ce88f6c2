import Foundation

/// Loads a ``Schema`` from YAML in any of the three supported layouts (see ``SchemaFormat``).
///
/// The layout is detected from the document's shape:
/// - a top-level mapping with a `columns` key whose value is a mapping → ``SchemaFormat/sluice``;
/// - a top-level mapping whose every value is a scalar → ``SchemaFormat/legacyFlat``;
/// - a top-level mapping with exactly one key whose value is a list of `{name, type}`
///   mappings → ``SchemaFormat/legacySQL`` (the key is the table name).
///
/// Type spellings are case-insensitive in every layout: `integer`/`int`/`BIGINT` → integer;
/// `real`/`float`/`double`/`NUMERIC`/`DECIMAL(p,s)` → real; `text`/`string`/`VARCHAR(n)`/`CHAR(n)`
/// → text, where `(n)` also sets ``ColumnSchema/maxLength``. Column names are trimmed and
/// lower-cased. Every problem is reported as a ``SchemaError`` pointing at the offending node.
public enum SchemaLoader {
    /// Reads and loads the schema file at `path`. Files larger than 16 MiB are rejected
    /// without being read in full.
    public static func load(contentsOf path: String) throws(SchemaError) -> Schema {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SchemaError(file: path, line: 0, column: 0, message: "cannot open the schema file for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: YAMLDocument.maximumBytes + 1) ?? Data()
        } catch {
            throw SchemaError(
                file: path, line: 0, column: 0,
                message: "cannot read the schema file: \(error.localizedDescription)")
        }
        return try load(bytes: [UInt8](data), file: path)
    }

    /// Loads a schema from YAML text; `file` names it in error messages.
    public static func load(yaml: String, file: String = "<string>") throws(SchemaError) -> Schema {
        try load(bytes: Array(yaml.utf8), file: file)
    }

    /// Parses YAML bytes and interprets the document as a schema.
    static func load(bytes: [UInt8], file: String) throws(SchemaError) -> Schema {
        guard let root = try YAMLDocument.parse(bytes, file: file), !root.isNull else {
            throw SchemaError(
                file: file, line: 1, column: 1,
                message: "empty document: expected a schema (a mapping with 'table' and 'columns')")
        }
        return try schema(from: root, file: file)
    }

    /// Interprets an already-parsed YAML node as a schema in any of the three formats
    /// (used for a schema written inline in a workspace's `sluice.yaml`).
    package static func schema(from root: YAMLNode, file: String) throws(SchemaError) -> Schema {
        let builder = SchemaBuilder(file: file)
        guard case .mapping(let pairs) = root.content else {
            // Never echo the content: the path may name any file (`schema: /etc/passwd`).
            let found = if case .sequence = root.content { "a list" } else { "plain text" }
            throw builder.error(
                at: root,
                "this is not a YAML schema: expected a mapping with 'table' and 'columns' at the top level, found \(found)"
            )
        }
        if let columns = pairs.first(where: { $0.key.scalarText == "columns" }),
            columns.value.isNull || columns.value.scalarText == nil
        {
            return try builder.buildSluice(root: root, pairs: pairs)
        }
        if pairs.allSatisfy({ $0.value.scalarText != nil }) {
            return try builder.buildLegacyFlat(pairs: pairs, root: root)
        }
        if pairs.count == 1, case .sequence(let items) = pairs[0].value.content {
            return try builder.buildLegacySQL(tableKey: pairs[0].key, items: items)
        }
        let culprit = pairs.first { $0.value.scalarText == nil }?.value ?? root
        throw builder.error(
            at: culprit,
            """
            unrecognised schema layout: expected a 'columns' mapping (Sluice format), \
            'column: TYPE' pairs (legacy flat format) or one 'table: [{name, type}, ...]' list \
            (legacy SQL format), found \(culprit.kindDescription)
            """)
    }
}

extension YAMLNode {
    /// The scalar's text, or `nil` for sequences and mappings (null scalars included as text).
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }
}

/// An error found while reading or interpreting a schema file, with the position of the
/// offending YAML node (1-based, from libyaml's marks).
///
/// ``description`` is formatted like a compiler diagnostic so editors and terminals can
/// jump to it: `schema.yaml:4:9: error: expected a type (...), found 'VARCHR(10)'`.
public struct SchemaError: Error, Sendable, CustomStringConvertible, Hashable {
    /// The file the schema came from (the path as given, or `<string>` for in-memory YAML).
    public var file: String
    /// 1-based line of the problem; 0 when the error concerns the whole file (e.g. unreadable).
    public var line: Int
    /// 1-based column of the problem; 0 when the error concerns the whole file.
    public var column: Int
    /// What was expected and what was found.
    public var message: String

    /// Creates an error at a position in `file`.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`, or `file: error: message` when there is no position.
    public var description: String {
        if line > 0 {
            return "\(file):\(line):\(column): error: \(message)"
        }
        return "\(file): error: \(message)"
    }
}
