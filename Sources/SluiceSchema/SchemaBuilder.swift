/// Turns a parsed YAML tree into a ``Schema``, one layout at a time, reporting every problem
/// at the position of the node that caused it.
struct SchemaBuilder {
    let file: String

    /// The keys a column spec may use in the Sluice format.
    static let columnKeys =
        ["type", "min", "max", "allowed", "max_length", "description", "required"] + formatKeys + labelKeys

    /// The top-level keys of the Sluice format.
    static let topLevelKeys =
        ["table", "columns", "aliases", "primary_key", "on_conflict"] + policyKeys + headerPolicyKeys
        + numberFormatKeys

    /// The row-policy keys, allowed at the top of a schema and under `cleaning:` in `sluice.yaml`.
    static let policyKeys = [
        "on_error", "max_error_rate", "null_tokens", "on_missing", "drop_duplicate_rows", "lowercase_text",
    ]

    /// An error positioned at `node`; most schema mistakes are a value of the wrong kind.
    func error(_ code: SchemaError.Code = .invalidValue, at node: YAMLNode, _ message: String) -> SchemaError {
        SchemaError(code: code, file: file, line: node.line, column: node.column, message: message)
    }

    // MARK: Layouts

    /// The Sluice layout: `table:` and a `columns:` mapping of name → type or spec.
    func buildSluice(root: YAMLNode, pairs: [YAMLPair]) throws(SchemaError) -> Schema {
        let entries = try keyed(pairs, allowed: Self.topLevelKeys, context: "at the top level")
        guard let tableNode = entries["table"]?.value else {
            throw error(.missingKey, at: root, "missing key 'table' (the table name) at the top level")
        }
        let table = try text(tableNode, what: "a table name")
        guard let columnsNode = entries["columns"]?.value, !columnsNode.isNull else {
            throw error(
                .missingKey, at: entries["columns"]?.key ?? root, "expected at least one column under 'columns'")
        }
        guard case .mapping(let columnPairs) = columnsNode.content else {
            throw error(
                at: columnsNode,
                "expected a mapping of column name to type or spec under 'columns', found \(columnsNode.kindDescription)"
            )
        }
        let numbers = try numberFormat(entries, defaults: ValueFormat(), context: "at the top level")
        var names = NameRegistry()
        var columns: [ColumnSchema] = []
        for pair in columnPairs {
            let name = try names.register(pair.key, builder: self)
            columns.append(try columnSpec(pair.value, name: name, numbers: numbers))
        }
        guard !columns.isEmpty else {
            throw error(.missingKey, at: columnsNode, "expected at least one column under 'columns'")
        }
        var policy = SchemaPolicy()
        try applyPolicy(entries, to: &policy)
        try applyHeaderPolicy(entries, to: &policy)
        let aliases =
            try entries["aliases"].map { entry throws(SchemaError) in try aliasMap(entry.value, columns: columns) }
            ?? [:]
        var schema = try check(
            Schema(table: table, columns: columns, format: .sluice, aliases: aliases, policy: policy),
            root: root, tableNode: tableNode, columnNodes: columnPairs.map(\.key))
        schema.primaryKey = try primaryKey(entries, columns: columns)
        return schema
    }

    /// The legacy flat layout: `column: TYPE` pairs, no table name.
    func buildLegacyFlat(pairs: [YAMLPair], root: YAMLNode) throws(SchemaError) -> Schema {
        var names = NameRegistry()
        var columns: [ColumnSchema] = []
        for pair in pairs {
            let name = try names.register(pair.key, builder: self)
            let spelling = try typeSpelling(pair.value)
            columns.append(ColumnSchema(name: name, type: spelling.type, maxLength: spelling.maxLength))
        }
        guard !columns.isEmpty else { throw error(.missingKey, at: root, "expected at least one column") }
        return try check(
            Schema(table: nil, columns: columns, format: .legacyFlat), root: root, tableNode: nil,
            columnNodes: pairs.map(\.key))
    }

    /// The legacy SQL layout: `table: [{name: ..., type: ...}, ...]`.
    func buildLegacySQL(tableKey: YAMLNode, items: [YAMLNode]) throws(SchemaError) -> Schema {
        let table = try text(tableKey, what: "a table name")
        var names = NameRegistry()
        var columns: [ColumnSchema] = []
        for item in items {
            guard case .mapping(let itemPairs) = item.content else {
                throw error(at: item, "expected a column mapping with 'name' and 'type', found \(item.kindDescription)")
            }
            let entries = try keyed(itemPairs, allowed: ["name", "type"], context: "in a column entry")
            guard let nameNode = entries["name"]?.value else {
                throw error(.missingKey, at: item, "missing key 'name' in a column entry")
            }
            let name = try names.register(nameNode, builder: self)
            guard let typeNode = entries["type"]?.value else {
                throw error(.missingKey, at: item, "missing key 'type' for column '\(name)'")
            }
            let spelling = try typeSpelling(typeNode)
            columns.append(ColumnSchema(name: name, type: spelling.type, maxLength: spelling.maxLength))
        }
        guard !columns.isEmpty else {
            throw error(.missingKey, at: tableKey, "expected at least one column under '\(table)'")
        }
        return try check(
            Schema(table: table, columns: columns, format: .legacySQL), root: tableKey, tableNode: tableKey,
            columnNodes: items)
    }

    // MARK: Column specs

    /// A Sluice column spec: a bare type, or a mapping of the keys in ``columnKeys``.
    func columnSpec(_ node: YAMLNode, name: String, numbers: ValueFormat = .init()) throws(SchemaError) -> ColumnSchema
    {
        if node.scalarText != nil {
            let spelling = try typeSpelling(node)
            var column = ColumnSchema(name: name, type: spelling.type, maxLength: spelling.maxLength)
            if column.type.isNumeric { column.valueFormat = numbers }
            return column
        }
        guard case .mapping(let pairs) = node.content else {
            throw error(
                at: node, "expected a type or a mapping of rules for column '\(name)', found \(node.kindDescription)")
        }
        let entries = try keyed(pairs, allowed: Self.columnKeys, context: "in column '\(name)'")
        guard let typeNode = entries["type"]?.value else {
            throw error(.missingKey, at: node, "missing key 'type' for column '\(name)'")
        }
        let spelling = try typeSpelling(typeNode)
        var column = ColumnSchema(name: name, type: spelling.type, maxLength: spelling.maxLength)
        column.valueFormat = try valueFormat(entries, type: column.type, name: name, numbers: numbers)

        for bound in ["min", "max"] {
            guard let entry = entries[bound] else { continue }
            let value: Double
            if column.type.isTemporal {
                value = try temporalBound(entry.value, type: column.type, what: "'\(bound)' of column '\(name)'")
            } else {
                guard column.type.isNumeric else {
                    throw error(
                        at: entry.key,
                        "'\(bound)' applies to integer, real, date and timestamp columns only; column '\(name)' is \(column.type.rawValue)"
                    )
                }
                value = try number(entry.value, what: "'\(bound)' of column '\(name)'")
            }
            if bound == "min" { column.minimum = value } else { column.maximum = value }
        }
        if let low = column.minimum, let high = column.maximum, low > high, let maxNode = entries["max"]?.value {
            let shown = { (value: Double) in
                column.type.isTemporal ? displayBound(value, type: column.type) : formatNumber(value)
            }
            throw error(
                .conflict, at: maxNode, "min \(shown(low)) is greater than max \(shown(high)) for column '\(name)'")
        }
        if let entry = entries["max_length"] {
            guard column.type == .text else {
                throw error(
                    at: entry.key,
                    "'max_length' applies to text columns only; column '\(name)' is \(column.type.rawValue)")
            }
            guard let text = entry.value.scalarText, let length = Int(text.trimmingWhitespace()), length > 0 else {
                throw error(
                    at: entry.value,
                    "expected a positive whole number for 'max_length' of column '\(name)', found \(entry.value.kindDescription)"
                )
            }
            column.maxLength = length
        }
        if let entry = entries["allowed"] {
            guard column.type.isNumeric || column.type == .text else {
                throw error(
                    at: entry.key,
                    "'allowed' applies to integer, real and text columns only; column '\(name)' is \(column.type.rawValue) (use min and max)"
                )
            }
            column.allowedValues = try allowedValues(entry.value, type: column.type, name: name)
        }
        if let entry = entries["labels"] {
            column.valueLabels = try valueLabels(entry, column: column)
        }
        if let entry = entries["description"] {
            column.description = try text(entry.value, what: "a description")
        }
        if let entry = entries["required"] {
            column.isRequired = try flag(entry.value, what: "'required' of column '\(name)'")
        }
        return column
    }

    /// The `allowed` list, with numeric entries rewritten in canonical form.
    func allowedValues(_ node: YAMLNode, type: ColumnType, name: String) throws(SchemaError) -> [String] {
        guard case .sequence(let items) = node.content else {
            throw error(
                at: node, "expected a list of values for 'allowed' of column '\(name)', found \(node.kindDescription)")
        }
        guard !items.isEmpty else {
            throw error(at: node, "expected at least one value in 'allowed' of column '\(name)'")
        }
        var values: [String] = []
        for item in items {
            guard let raw = item.scalarText, !item.isNull else {
                throw error(
                    at: item, "expected a single value in 'allowed' of column '\(name)', found \(item.kindDescription)")
            }
            switch type {
            case .text:
                values.append(raw)
            case .integer:
                guard let value = Int64(raw.trimmingWhitespace()) else {
                    throw error(at: item, "expected an integer in 'allowed' of column '\(name)', found '\(raw)'")
                }
                values.append(String(value))
            case .real:
                guard let value = Double(raw.trimmingWhitespace()), value.isFinite else {
                    throw error(at: item, "expected a number in 'allowed' of column '\(name)', found '\(raw)'")
                }
                values.append(formatNumber(value))
            case .date, .timestamp, .boolean:
                throw error(at: item, "'allowed' does not apply to \(type.rawValue) column '\(name)'")
            }
        }
        return values
    }

    // MARK: Policy and aliases

    /// Sets every policy key present in `entries` (top-level schema keys, or `cleaning:` in `sluice.yaml`).
    func applyPolicy(_ entries: [String: YAMLPair], to policy: inout SchemaPolicy) throws(SchemaError) {
        if let entry = entries["on_error"] {
            let raw = try text(entry.value, what: "reject_file or reject_rows")
            guard let value = ErrorPolicy(rawValue: raw) else {
                throw error(at: entry.value, "expected reject_file or reject_rows for 'on_error', found '\(raw)'")
            }
            policy.onError = value
        }
        if let entry = entries["max_error_rate"] {
            let rate = try number(entry.value, what: "'max_error_rate'")
            guard (0...1).contains(rate) else {
                throw error(
                    at: entry.value,
                    "expected a share from 0 to 1 for 'max_error_rate' (0.05 is 5%), found \(formatNumber(rate))")
            }
            policy.maxErrorRate = rate
        }
        if let entry = entries["on_missing"] {
            let raw = try text(entry.value, what: "drop_row or reject_row")
            guard let value = MissingValuePolicy(rawValue: raw) else {
                throw error(at: entry.value, "expected drop_row or reject_row for 'on_missing', found '\(raw)'")
            }
            policy.cleaning.dropRowsWithMissingValues = value == .dropRow
        }
        if let entry = entries["null_tokens"] {
            guard case .sequence(let items) = entry.value.content else {
                throw error(at: entry.value, "expected a list of strings for 'null_tokens', e.g. [\"\", NA, \"null\"]")
            }
            var tokens: [String] = []
            for item in items {
                guard case .scalar(let token, _) = item.content else {
                    throw error(at: item, "expected a string in 'null_tokens', found \(item.kindDescription)")
                }
                tokens.append(item.isNull && token == "~" ? "" : token.trimmingWhitespace())
            }
            policy.cleaning.nullTokens = tokens
        }
        if let entry = entries["drop_duplicate_rows"] {
            policy.cleaning.dropDuplicateRows = try flag(entry.value, what: "'drop_duplicate_rows'")
        }
        if let entry = entries["lowercase_text"] {
            policy.cleaning.lowercaseText = try flag(entry.value, what: "'lowercase_text'")
        }
    }

    /// `aliases: {other_name: column}`: every target must be a column, no alias may be a column.
    func aliasMap(_ node: YAMLNode, columns: [ColumnSchema]) throws(SchemaError) -> [String: String] {
        guard case .mapping(let pairs) = node.content else {
            throw error(
                at: node, "expected a mapping of alias to column name under 'aliases', found \(node.kindDescription)")
        }
        let names = Set(columns.map(\.name))
        var aliases: [String: String] = [:]
        for pair in pairs {
            let alias = HeaderNormalizer.normalize(try text(pair.key, what: "an alias"))
            let target = HeaderNormalizer.normalize(try text(pair.value, what: "a column name"))
            guard names.contains(target) else {
                throw error(
                    at: pair.value, "alias '\(alias)' points at '\(target)', which is not a column of this schema")
            }
            guard !names.contains(alias) else {
                throw error(.duplicateKey, at: pair.key, "alias '\(alias)' is already a column name")
            }
            aliases[alias] = target
        }
        return aliases
    }

    /// true/false (also yes/no, on/off) from a scalar node.
    func flag(_ node: YAMLNode, what: String) throws(SchemaError) -> Bool {
        switch node.scalarText?.trimmingWhitespace().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(at: node, "expected true or false for \(what), found \(node.kindDescription)")
        }
    }

    // MARK: Scalars

    /// A type spelling from a scalar node.
    func typeSpelling(_ node: YAMLNode) throws(SchemaError) -> TypeSpelling {
        guard let raw = node.scalarText, !node.isNull, let spelling = TypeSpelling(raw) else {
            throw error(at: node, "\(TypeSpelling.expected), found \(node.kindDescription)")
        }
        return spelling
    }

    /// A finite number from a scalar node.
    func number(_ node: YAMLNode, what: String) throws(SchemaError) -> Double {
        guard let raw = node.scalarText, let value = Double(raw.trimmingWhitespace()), value.isFinite else {
            throw error(at: node, "expected a number for \(what), found \(node.kindDescription)")
        }
        return value
    }

    /// Non-empty trimmed text from a scalar node.
    func text(_ node: YAMLNode, what: String) throws(SchemaError) -> String {
        guard let raw = node.scalarText, !node.isNull, !raw.trimmingWhitespace().isEmpty else {
            throw error(at: node, "expected \(what), found \(node.kindDescription)")
        }
        return raw.trimmingWhitespace()
    }

    /// The pairs of a mapping keyed by their scalar keys; unknown and repeated keys are errors.
    func keyed(_ pairs: [YAMLPair], allowed: [String], context: String) throws(SchemaError) -> [String: YAMLPair] {
        var result: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalarText else {
                throw error(at: pair.key, "expected a key name \(context), found \(pair.key.kindDescription)")
            }
            guard allowed.contains(key) else {
                throw error(
                    .unknownKey, at: pair.key,
                    "unknown key '\(key)' \(context) (expected \(allowed.joined(separator: ", ")))")
            }
            if let first = result[key] {
                throw error(
                    .duplicateKey, at: pair.key,
                    "duplicate key '\(key)' \(context) (first given at line \(first.key.line))")
            }
            result[key] = pair
        }
        return result
    }
}

/// Tracks normalised column names to reject empties and duplicates.
private struct NameRegistry {
    private var firstLine: [String: Int] = [:]

    /// Normalises the name in `node` and records it, or throws if empty or already taken.
    mutating func register(_ node: YAMLNode, builder: SchemaBuilder) throws(SchemaError) -> String {
        guard let raw = node.scalarText, !node.isNull else {
            throw builder.error(at: node, "expected a column name, found \(node.kindDescription)")
        }
        let name = HeaderNormalizer.normalize(raw)
        guard !name.isEmpty else { throw builder.error(at: node, "expected a column name, found an empty one") }
        if let line = firstLine[name] {
            throw builder.error(
                .duplicateKey, at: node, "duplicate column name '\(name)' (first defined at line \(line))")
        }
        firstLine[name] = node.line
        return name
    }
}
