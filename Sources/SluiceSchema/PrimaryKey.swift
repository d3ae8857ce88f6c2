/// What happens to a row whose primary key is already in the warehouse (or repeats in its file).
public enum ConflictPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The newer row wins: the warehouse row with the same key is deleted and the new one loaded
    /// (a corrected re-delivery); within one file the last row with a key wins.
    case replace
    /// The row already there wins: the new row is not loaded and is counted `rows_ignored`;
    /// within one file the first row with a key wins.
    case ignore
    /// A conflict is an error (`duplicate-key`): the conflicting rows are rejected under
    /// `on_error: reject_rows`, the whole file under `reject_file`; within one file every row
    /// of a repeated key is rejected.
    case reject
}

/// A schema's primary key: the columns whose values name a row, and what a conflict does.
///
/// ```yaml
/// primary_key: [station, date]
/// on_conflict: replace        # replace (default) | ignore | reject
/// ```
public struct PrimaryKey: Sendable, Hashable {
    /// The key columns (normalised names), in the order given.
    public var columns: [String]
    /// What a row with a key already loaded does.
    public var onConflict: ConflictPolicy

    /// Creates a key.
    public init(columns: [String], onConflict: ConflictPolicy = .replace) {
        self.columns = columns
        self.onConflict = onConflict
    }
}

extension SchemaBuilder {
    /// The `primary_key` list and its `on_conflict` policy from the top-level keys, checked
    /// against the columns: each named once, each a `required` column (a key is never `NULL`).
    func primaryKey(_ entries: [String: YAMLPair], columns: [ColumnSchema]) throws(SchemaError) -> PrimaryKey? {
        guard let keyEntry = entries["primary_key"] else {
            if let policy = entries["on_conflict"] {
                throw error(.conflict, at: policy.key, "'on_conflict' needs a 'primary_key' (e.g. primary_key: [id])")
            }
            return nil
        }
        let items: [YAMLNode]
        switch keyEntry.value.content {
        case .sequence(let nodes): items = nodes
        case .scalar where !keyEntry.value.isNull: items = [keyEntry.value]
        default:
            throw error(
                at: keyEntry.value,
                "expected a list of column names for 'primary_key', e.g. [station, date], found \(keyEntry.value.kindDescription)"
            )
        }
        guard !items.isEmpty else {
            throw error(.missingKey, at: keyEntry.value, "expected at least one column in 'primary_key'")
        }
        var names: [String] = []
        for item in items {
            let name = HeaderNormalizer.normalize(try text(item, what: "a column name in 'primary_key'"))
            guard let column = columns.first(where: { $0.name == name }) else {
                throw error(at: item, "'primary_key' names '\(name)', which is not a column of this schema")
            }
            guard !names.contains(name) else {
                throw error(.duplicateKey, at: item, "'primary_key' names '\(name)' twice")
            }
            guard column.isRequired else {
                throw error(
                    at: item,
                    "primary key column '\(name)' is optional; a key value may not be missing (remove 'required: false')"
                )
            }
            names.append(name)
        }
        var policy = ConflictPolicy.replace
        if let entry = entries["on_conflict"] {
            let raw = try text(entry.value, what: "replace, ignore or reject")
            guard let value = ConflictPolicy(rawValue: raw) else {
                throw error(at: entry.value, "expected replace, ignore or reject for 'on_conflict', found '\(raw)'")
            }
            policy = value
        }
        return PrimaryKey(columns: names, onConflict: policy)
    }
}
