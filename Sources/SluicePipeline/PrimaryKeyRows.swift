import SluiceSchema
import SluiceWarehouse

/// A primary key's values as one text, the same from the validated rows, the warehouse and a
/// `.scol` file: a JSON array (`[12,"gp"]`; reals in Swift's shortest form).
enum KeyText {
    /// The text of one key.
    static func of(_ values: [SQLiteValue]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            switch value {
            case .null: text += "null"
            case .integer(let number): text += String(number)
            case .real(let number): text += number == 0 ? "0.0" : String(number)
            case .text(let string): text += quoted(string)
            case .blob(let bytes): text += quoted(bytes.map { String($0, radix: 16) }.joined())
            }
        }
        return text + "]"
    }

    private static func quoted(_ string: String) -> String {
        ResultStreamWriter.jsonString(string)
    }

    /// `column=value, …` for messages.
    static func display(_ values: [SQLiteValue], columns: [String]) -> String {
        zip(columns, values).map { "\($0)=\($1.displayText)" }.joined(separator: ", ")
    }
}

/// A schema's primary key, resolved to positions in the schema's (and a `.scol` file's) columns.
struct KeyColumns: Sendable {
    let key: PrimaryKey
    /// Positions of the key columns in the schema's columns.
    let positions: [Int]
    /// The key columns' types (dates and timestamps are keyed as the warehouse holds them: ISO text).
    let types: [ColumnType]

    /// The key of `schema`, or `nil` when it has none.
    init?(_ schema: Schema) {
        guard let key = schema.primaryKey else { return nil }
        let positions = key.columns.compactMap { name in schema.columns.firstIndex { $0.name == name } }
        guard positions.count == key.columns.count else { return nil }
        self.key = key
        self.positions = positions
        types = positions.map { schema.columns[$0].type }
    }

    /// The key values of accepted row `row` of `outcome`, as the warehouse holds them.
    func values(of outcome: ValidationOutcome, row: Int) -> [SQLiteValue] {
        zip(positions, types).map { position, type in
            if let validity = outcome.validity[position], !validity[row] { return .null }
            switch outcome.columns[position] {
            case .integer(let values) where type.isTemporal:
                return .text(CalendarValue.isoText(values[row], type: type))
            case .integer(let values): return .integer(values[row])
            case .real(let values): return .real(values[row])
            case .text(let values): return .text(values[row])
            }
        }
    }
}

extension ValidationOutcome {
    /// The outcome with only the accepted rows where `keep` is true (the counts are left to the caller).
    func keepingRows(_ keep: [Bool]) -> ValidationOutcome {
        var copy = self
        copy.columns = columns.map { column in
            switch column {
            case .integer(let values): .integer(values.indices.filter { keep[$0] }.map { values[$0] })
            case .real(let values): .real(values.indices.filter { keep[$0] }.map { values[$0] })
            case .text(let values):
                .text(
                    TextColumn(
                        dictionary: values.dictionary,
                        codes: values.codes.indices.filter { keep[$0] }.map { values.codes[$0] }))
            }
        }
        copy.validity = validity.map { mask in mask.map { mask in mask.indices.filter { keep[$0] }.map { mask[$0] } } }
        copy.sourceLines = sourceLines.indices.filter { keep[$0] }.map { sourceLines[$0] }
        return copy
    }

    /// Records an issue found after validation (a `duplicate-key`, a skipped malformed record);
    /// the row counts are left to the caller.
    mutating func addIssue(_ issue: ValidationIssue, cap: Int) {
        if issues.count < cap { issues.append(issue) }
        issueCountsByRule[issue.rule, default: 0] += 1
        issueCountsByCode[issue.code, default: 0] += 1
        totalIssues += 1
    }
}

/// An accepted row's place and text in its file, kept when `on_conflict: reject` may refuse it later.
struct AcceptedRowSource: Sendable {
    var line: Int
    var record: Int
    var byteOffset: Int
    var text: ArraySlice<UInt8>
}

/// Rows of one file with the same primary key: the last wins under `replace`, the first under
/// `ignore` (the others are dropped and counted as `dropped_duplicate`), and under `reject`
/// every one of them is refused (`duplicate-key`).
enum InFileKeys {
    /// The issue code and rule of a key conflict.
    static let code = ValidationIssue.Code.duplicateKey, rule = ValidationIssue.Rule.primaryKey

    /// Applies the key's policy to `outcome`'s accepted rows (and to `sources`, one per accepted
    /// row when kept). Returns the sources of the rows refused under `reject`.
    static func resolve(
        _ outcome: inout ValidationOutcome, key: KeyColumns, sources: inout [AcceptedRowSource], cap: Int
    ) -> [AcceptedRowSource] {
        let rows = outcome.rowsAccepted
        guard rows > 1 else { return [] }
        var firstRow: [String: Int] = [:]
        var keep = Array(repeating: true, count: rows)
        var repeated = false
        var winner: [String: Int] = [:]
        var texts: [String] = []
        texts.reserveCapacity(rows)
        for row in 0..<rows {
            let text = KeyText.of(key.values(of: outcome, row: row))
            texts.append(text)
            if let first = firstRow[text] {
                repeated = true
                switch key.key.onConflict {
                case .ignore: keep[row] = false
                case .replace:
                    keep[winner[text] ?? first] = false
                    winner[text] = row
                case .reject:
                    keep[first] = false
                    keep[row] = false
                }
            } else {
                firstRow[text] = row
                winner[text] = row
            }
        }
        guard repeated else { return [] }
        let removed = keep.lazy.filter { !$0 }.count
        var refused: [AcceptedRowSource] = []
        if key.key.onConflict == .reject {
            for row in 0..<rows where !keep[row] {
                let values = key.values(of: outcome, row: row)
                let first = firstRow[texts[row]] ?? row
                let source = row < sources.count ? sources[row] : nil
                let other = first == row ? "repeated later in the file" : "also on line \(outcome.sourceLines[first])"
                outcome.addIssue(
                    ValidationIssue(
                        code: code, rule: rule, line: outcome.sourceLines[row], record: source?.record ?? 0,
                        byteOffset: source?.byteOffset ?? 0,
                        column: key.key.columns.joined(separator: ","),
                        value: KeyText.display(values, columns: key.key.columns),
                        message: "primary key (\(KeyText.display(values, columns: key.key.columns))) is \(other)",
                        hint:
                            "keep one row per key, or set on_conflict: replace (last row wins) or ignore (first row wins)"
                    ), cap: cap)
                if let source { refused.append(source) }
            }
            outcome.issues.sort { $0.line < $1.line }
            outcome.rowsInvalid += removed
        } else {
            outcome.rowsDroppedDuplicate += removed
        }
        outcome = outcome.keepingRows(keep)
        if sources.count == rows { sources = sources.indices.filter { keep[$0] }.map { sources[$0] } }
        return refused
    }
}
