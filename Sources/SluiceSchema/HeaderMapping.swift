/// Normalises column names the way the original pipeline did, so `" Pstatus "` matches `pstatus`.
public enum HeaderNormalizer {
    /// Trims whitespace and newlines (and a leading byte-order mark), then lower-cases.
    public static func normalize(_ raw: String) -> String {
        var text = raw
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.trimmingWhitespace().lowercased()
    }
}

/// How the fields of a CSV header line map onto a schema's columns.
public struct HeaderMapping: Sendable, Hashable {
    /// The header names exactly as read.
    public var originalNames: [String]
    /// The header names after ``HeaderNormalizer/normalize(_:)``.
    public var normalizedNames: [String]
    /// For each field position, the index of its column in ``Schema/columns``.
    public var schemaIndexForField: [Int]

    /// Creates a mapping; ``Schema/mapHeader(_:)`` is the usual way to get one.
    public init(originalNames: [String], normalizedNames: [String], schemaIndexForField: [Int]) {
        self.originalNames = originalNames
        self.normalizedNames = normalizedNames
        self.schemaIndexForField = schemaIndexForField
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
    /// Normalised header names that occur more than once, in order of first repetition.
    public var duplicates: [String]

    /// Creates a mismatch report.
    public init(missing: [String], unknown: [String], duplicates: [String]) {
        self.missing = missing
        self.unknown = unknown
        self.duplicates = duplicates
    }

    /// For example `header does not match the schema: missing columns: g3; unknown columns: g4`.
    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing columns: " + missing.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown columns: " + unknown.joined(separator: ", ")) }
        if !duplicates.isEmpty { parts.append("duplicate columns: " + duplicates.joined(separator: ", ")) }
        return "header does not match the schema: " + parts.joined(separator: "; ")
    }
}

extension Schema {
    /// Matches raw header names against the columns after normalisation. Columns may come in
    /// any order; each schema column must appear exactly once and nothing else may appear.
    /// Missing, unknown and duplicate names are all collected into one ``HeaderMismatch``.
    public func mapHeader(_ rawNames: [String]) throws(HeaderMismatch) -> HeaderMapping {
        var indexByName: [String: Int] = [:]
        for (index, column) in columns.enumerated() { indexByName[column.name] = index }

        let normalized = rawNames.map(HeaderNormalizer.normalize)
        var seen = Set<String>()
        var unknown: [String] = []
        var duplicates: [String] = []
        var mapping: [Int] = []
        mapping.reserveCapacity(normalized.count)
        for name in normalized {
            if !seen.insert(name).inserted {
                if !duplicates.contains(name) { duplicates.append(name) }
                continue
            }
            if let index = indexByName[name] {
                mapping.append(index)
            } else {
                unknown.append(name)
            }
        }
        let missing = columns.map(\.name).filter { !seen.contains($0) }
        guard missing.isEmpty, unknown.isEmpty, duplicates.isEmpty else {
            throw HeaderMismatch(missing: missing, unknown: unknown, duplicates: duplicates)
        }
        return HeaderMapping(originalNames: rawNames, normalizedNames: normalized, schemaIndexForField: mapping)
    }
}
