/// Normalises column names so that a header written by a person matches the schema:
/// `" Mother Job "` → `mother_job`, `"Pstatus"` → `pstatus`, `"G1"` → `g1`.
public enum HeaderNormalizer {
    /// Removes a leading byte-order mark, trims, lower-cases, and turns every run of spaces and
    /// punctuation into one `_`, dropping it at the ends (a leading `_` that was written is kept,
    /// so reserved names such as `_source_line` survive).
    public static func normalize(_ raw: String) -> String {
        var text = Substring(raw)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let trimmed = String(text).trimmingWhitespace().lowercased()
        var result = trimmed.hasPrefix("_") ? "_" : ""
        var pendingSeparator = false
        for scalar in trimmed.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if pendingSeparator, !result.isEmpty, result != "_" { result.append("_") }
                pendingSeparator = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
        }
        return result == "_" ? "" : result
    }
}

/// A header name matched to a column through the schema's `aliases`.
public struct HeaderRename: Sendable, Hashable, Codable {
    /// The name as written in the header.
    public var from: String
    /// The schema column it was mapped to.
    public var to: String

    /// Creates a rename record.
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// How the fields of a CSV header line map onto a schema's columns.
public struct HeaderMapping: Sendable, Hashable {
    /// The header names exactly as read.
    public var originalNames: [String]
    /// The header names after ``HeaderNormalizer/normalize(_:)``.
    public var normalizedNames: [String]
    /// For each field position, the index of its column in ``Schema/columns``, or
    /// ``HeaderMapping/ignoredField`` for a reserved column that is read past.
    public var schemaIndexForField: [Int]
    /// Header names mapped through an alias.
    public var renamed: [HeaderRename]
    /// Normalised header names the schema does not know, read past under `extra_columns: ignore`.
    public var ignored: [String] = []
    /// Schema column indices absent from the header, filled with `NULL` under `missing_columns: null`.
    public var absentColumns: [Int] = []

    /// Marks a field that belongs to no schema column (`_source_line` in a rejected-rows file).
    public static let ignoredField = -1

    /// Header names that are read past instead of being treated as unknown: the line-number
    /// column Sluice writes into `failed/<name>.rejected.csv`, so such a file can be fixed and
    /// delivered again as it is.
    public static let reservedNames: Set<String> = ["_source_line"]

    /// Creates a mapping; ``Schema/mapHeader(_:)`` is the usual way to get one.
    public init(
        originalNames: [String], normalizedNames: [String], schemaIndexForField: [Int], renamed: [HeaderRename] = []
    ) {
        self.originalNames = originalNames
        self.normalizedNames = normalizedNames
        self.schemaIndexForField = schemaIndexForField
        self.renamed = renamed
    }

    /// The number of fields a data row must have.
    public var fieldCount: Int { schemaIndexForField.count }
}

/// A header that does not match the schema. Every kind of mismatch is reported at once.
public struct HeaderMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// Schema columns absent from the header, in schema order.
    public var missing: [String]
    /// Normalised header names the schema does not know, in header order.
    public var unknown: [String]
    /// Normalised header names that occur more than once (directly or through an alias).
    public var duplicates: [String]
    /// 1-based positions of header fields that are empty after normalisation.
    public var blank: [Int]

    /// Creates a mismatch report.
    public init(missing: [String], unknown: [String], duplicates: [String], blank: [Int] = []) {
        self.missing = missing
        self.unknown = unknown
        self.duplicates = duplicates
        self.blank = blank
    }

    /// For example `header does not match the schema: missing columns: g3; unknown columns: g4`.
    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing columns: " + missing.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown columns: " + unknown.joined(separator: ", ")) }
        if !duplicates.isEmpty { parts.append("duplicate columns: " + duplicates.joined(separator: ", ")) }
        if !blank.isEmpty { parts.append("blank names at positions " + blank.map(String.init).joined(separator: ", ")) }
        return "header does not match the schema: " + parts.joined(separator: "; ")
    }
}

extension Schema {
    /// Matches raw header names against the columns under the schema's own header policy.
    public func mapHeader(_ rawNames: [String]) throws(HeaderMismatch) -> HeaderMapping {
        try mapHeader(rawNames, extraColumns: policy.extraColumns, missingColumns: policy.missingColumns)
    }

    /// Matches raw header names against the columns after normalisation and aliases. Columns may
    /// come in any order; each schema column must appear exactly once and nothing else may
    /// appear (reserved names such as `_source_line` are skipped), except as the header policy
    /// allows: unknown names are read past under ``ExtraColumnsPolicy/ignore``, and optional
    /// columns may be absent under ``MissingColumnsPolicy/null``. Missing, unknown, duplicate
    /// and blank names are all collected into one ``HeaderMismatch``.
    public func mapHeader(
        _ rawNames: [String], extraColumns: ExtraColumnsPolicy,
        missingColumns: MissingColumnsPolicy
    ) throws(HeaderMismatch) -> HeaderMapping {
        var indexByName: [String: Int] = [:]
        for (index, column) in columns.enumerated() { indexByName[column.name] = index }

        let normalized = rawNames.map(HeaderNormalizer.normalize)
        var seenColumns = Set<String>()
        var seenReserved = Set<String>()
        var unknown: [String] = []
        var duplicates: [String] = []
        var blank: [Int] = []
        var renamed: [HeaderRename] = []
        var mapping: [Int] = []
        mapping.reserveCapacity(normalized.count)
        for (position, name) in normalized.enumerated() {
            if name.isEmpty {
                blank.append(position + 1)
                mapping.append(HeaderMapping.ignoredField)
                continue
            }
            if HeaderMapping.reservedNames.contains(name) {
                if !seenReserved.insert(name).inserted, !duplicates.contains(name) { duplicates.append(name) }
                mapping.append(HeaderMapping.ignoredField)
                continue
            }
            let target = indexByName[name] != nil ? name : aliases[name]
            guard let column = target, let index = indexByName[column] else {
                unknown.append(name)
                mapping.append(HeaderMapping.ignoredField)
                continue
            }
            guard seenColumns.insert(column).inserted else {
                if !duplicates.contains(column) { duplicates.append(column) }
                mapping.append(HeaderMapping.ignoredField)
                continue
            }
            if column != name { renamed.append(HeaderRename(from: rawNames[position], to: column)) }
            mapping.append(index)
        }
        var ignored: [String] = []
        if extraColumns == .ignore {
            ignored = unknown
            unknown = []
        }
        var absent: [Int] = []
        var missing: [String] = []
        for (index, column) in columns.enumerated() where !seenColumns.contains(column.name) {
            if missingColumns == .null, !column.isRequired { absent.append(index) } else { missing.append(column.name) }
        }
        guard missing.isEmpty, unknown.isEmpty, duplicates.isEmpty, blank.isEmpty else {
            throw HeaderMismatch(missing: missing, unknown: unknown, duplicates: duplicates, blank: blank)
        }
        var result = HeaderMapping(
            originalNames: rawNames, normalizedNames: normalized, schemaIndexForField: mapping, renamed: renamed)
        result.ignored = ignored
        result.absentColumns = absent
        return result
    }

    /// The mapping for a file without a header: field *i* is column *i*.
    public var positionalMapping: HeaderMapping {
        let names = columns.map(\.name)
        return HeaderMapping(originalNames: names, normalizedNames: names, schemaIndexForField: Array(columns.indices))
    }
}
