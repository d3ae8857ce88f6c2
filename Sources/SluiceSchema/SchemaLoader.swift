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
        // Opened without blocking and checked with fstat: a FIFO named as the schema would
        // otherwise block every command (even the readers) until something writes to it.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            throw SchemaError(
                code: .unreadable, file: path, line: 0, column: 0,
                message: "cannot open the schema file for reading: \(String(cString: strerror(error.code.rawValue)))",
                cause: error)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            throw SchemaError(
                code: .unreadable, file: path, line: 0, column: 0,
                message: "the schema file is not a regular file (a FIFO, socket or device); it was not read")
        }
        let data: Data
        do {
            data = try handle.read(upToCount: YAMLDocument.maximumBytes + 1) ?? Data()
        } catch {
            throw SchemaError(
                code: .unreadable, file: path, line: 0, column: 0,
                message: "cannot read the schema file: \(systemReason(error))", cause: error)
        }
        return try load(bytes: [UInt8](data), file: path)
    }

    /// The operating system's words for a file error (`No such file or directory`), or Foundation's.
    private static func systemReason(_ error: any Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
            posix.domain == NSPOSIXErrorDomain,
            let text = strerror(Int32(posix.code))
        {
            return String(cString: text)
        }
        return error.localizedDescription
    }

    /// Loads a schema from YAML text; `file` names it in error messages.
    public static func load(yaml: String, file: String = "<string>") throws(SchemaError) -> Schema {
        try load(bytes: Array(yaml.utf8), file: file)
    }

    /// Parses YAML bytes and interprets the document as a schema.
    static func load(bytes: [UInt8], file: String) throws(SchemaError) -> Schema {
        guard let root = try YAMLDocument.parse(bytes, file: file), !root.isNull else {
            throw SchemaError(
                code: .notASchema, file: file, line: 1, column: 1,
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
                .notASchema, at: root,
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
            .notASchema, at: culprit,
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
/// Shaped like swift-nio's `FileSystemError`: a ``code`` for programs, the ``file`` (the path),
/// a position, a ``message`` for people and the underlying ``cause`` when there is one.
/// ``description`` is formatted like a compiler diagnostic so editors and terminals can
/// jump to it: `schema.yaml:4:9: error: expected a type (...), found 'VARCHR(10)'`.
public struct SchemaError: Error, Sendable, CustomStringConvertible, Hashable {
    /// What kind of mistake this is; stable for scripts and tests (compare with `==`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case unreadable, invalidYAML = "invalid-yaml", notASchema = "not-a-schema", missingKey = "missing-key"
            case unknownKey = "unknown-key", duplicateKey = "duplicate-key", invalidValue = "invalid-value"
            case conflict, reservedName = "reserved-name", limitExceeded = "limit-exceeded"
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The file cannot be opened or read (see ``SchemaError/cause``).
        public static var unreadable: Code { Code(.unreadable) }
        /// The bytes are not valid YAML, or use what a schema may not (aliases, several documents).
        public static var invalidYAML: Code { Code(.invalidYAML) }
        /// Valid YAML that is not a schema in any supported layout (empty, a list, plain text).
        public static var notASchema: Code { Code(.notASchema) }
        /// A required key is absent (`table`, `columns`, a column's `name` or `type`).
        public static var missingKey: Code { Code(.missingKey) }
        /// A key this version does not know.
        public static var unknownKey: Code { Code(.unknownKey) }
        /// A key, column name or alias given twice.
        public static var duplicateKey: Code { Code(.duplicateKey) }
        /// A value of the wrong kind or out of its range (a type, a number, a policy word …).
        public static var invalidValue: Code { Code(.invalidValue) }
        /// Settings that contradict each other (`min` above `max`, a word both true and false,
        /// a dialect set twice differently, `on_conflict` without `primary_key`).
        public static var conflict: Code { Code(.conflict) }
        /// A table or column name the warehouse reserves (`sluice_*`, `sqlite_*`, `_ingest_id`).
        public static var reservedName: Code { Code(.reservedName) }
        /// Over a limit: file size, YAML nesting or nodes, or SQLite's column count.
        public static var limitExceeded: Code { Code(.limitExceeded) }

        /// The stable kebab-case identifier, e.g. `missing-key`.
        public var description: String { kind.rawValue }
    }

    /// What kind of mistake this is.
    public var code: Code
    /// The file the schema came from (the path as given, or `<string>` for in-memory YAML).
    public var file: String
    /// 1-based line of the problem; 0 when the error concerns the whole file (e.g. unreadable).
    public var line: Int
    /// 1-based column of the problem; 0 when the error concerns the whole file.
    public var column: Int
    /// What was expected and what was found.
    public var message: String
    /// The error underneath (a file-system error for ``Code/unreadable``), never dropped when there is one.
    public var cause: (any Error & Sendable)?

    /// Creates an error at a position in `file`.
    public init(
        code: Code = .invalidValue, file: String, line: Int, column: Int, message: String,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.cause = cause
    }

    /// `file:line:column: error: message`, or `file: error: message` when there is no position.
    public var description: String {
        if line > 0 {
            return "\(file):\(line):\(column): error: \(message)"
        }
        return "\(file): error: \(message)"
    }

    /// Errors are equal when they say the same thing at the same place (the cause is not compared).
    public static func == (lhs: SchemaError, rhs: SchemaError) -> Bool {
        lhs.code == rhs.code && lhs.file == rhs.file && lhs.line == rhs.line && lhs.column == rhs.column
            && lhs.message == rhs.message
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
        hasher.combine(message)
    }
}
