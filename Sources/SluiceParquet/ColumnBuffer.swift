/// A string keyed by its UTF-8 bytes: Swift's `==` on `String` is canonical equivalence, which
/// would merge distinct byte sequences (`é` precomposed and decomposed) and change the data.
struct UTF8Key: Hashable {
    let string: String

    static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

    func hash(into hasher: inout Hasher) {
        var word: UInt64 = 0
        var shift: UInt64 = 0
        for byte in string.utf8 {
            word |= UInt64(byte) << shift
            shift += 8
            if shift == 64 {
                hasher.combine(word)
                word = 0
                shift = 0
            }
        }
        hasher.combine(word)
        hasher.combine(shift)
    }
}

/// The distinct strings of a column chunk, in first-seen order; a string's position is its code.
struct StringDictionary {
    /// The distinct strings (by bytes).
    private(set) var entries: [String] = []
    /// Each entry's code.
    private var codes: [UTF8Key: UInt32] = [:]

    /// The code of `string`, added if new.
    mutating func code(of string: String) -> UInt32 {
        let key = UTF8Key(string: string)
        if let code = codes[key] { return code }
        let code = UInt32(entries.count)
        codes[key] = code
        entries.append(string)
        return code
    }
}

/// One column's rows buffered for the row group being built: non-null values only, in row
/// order, plus a definition level per row for a nullable column.
///
/// The values live in plain stored arrays (not in an enum's payload), so appending mutates them
/// in place: a payload taken out of an enum may still be shared with a temporary, and appending
/// to it copies the whole buffer each time.
struct ColumnBuffer {
    /// The column's type: which of the arrays below is used.
    let type: ParquetColumnType
    /// The values of an `int64` column.
    var int64s: [Int64] = []
    /// The values of a `double` column.
    var doubles: [Double] = []
    /// The distinct strings of a `string` column.
    var dictionary = StringDictionary()
    /// The values of a `string` column as codes into ``dictionary``.
    var codes: [UInt32] = []
    /// Per row: 1 when it holds a value, 0 when null; `nil` for a required column.
    var definitionLevels: [UInt8]?
    /// Rows buffered, nulls included.
    private(set) var rows = 0

    /// An empty buffer for `field`.
    init(field: ParquetField) {
        type = field.type
        definitionLevels = field.isNullable ? [] : nil
    }

    /// The number of non-null values.
    var valueCount: Int {
        switch type {
        case .int64, .date, .timestamp, .boolean: int64s.count
        case .double: doubles.count
        case .string: codes.count
        }
    }

    /// Appends rows `range` of `column` (whose type matches), skipping null rows' placeholders.
    ///
    /// - Complexity: O(rows); a coded string batch costs one dictionary lookup per distinct code
    ///   it uses, not per row.
    mutating func append(_ column: ParquetColumn, range: Range<Int>) {
        let validity = column.validity
        if definitionLevels != nil {
            if let validity {
                definitionLevels!.append(contentsOf: validity[range].lazy.map { $0 ? 1 : 0 })
            } else {
                definitionLevels!.append(contentsOf: repeatElement(1, count: range.count))
            }
        }
        rows += range.count
        let allValid = validity.map { !$0[range].contains(false) } ?? true
        let isValid = { (row: Int) in allValid || validity![row] }
        switch column.values {
        case .int64(let new):
            if allValid {
                int64s.append(contentsOf: new[range])
            } else {
                for row in range where isValid(row) { int64s.append(new[row]) }
            }
        case .double(let new):
            if allValid {
                doubles.append(contentsOf: new[range])
            } else {
                for row in range where isValid(row) { doubles.append(new[row]) }
            }
        case .string(let new):
            for row in range where isValid(row) { codes.append(dictionary.code(of: new[row])) }
        case .codedString(let local, let localCodes):
            // Map only the local entries some non-null row uses, so the chunk's dictionary (and
            // its statistics) hold exactly the values present.
            var mapping = [UInt32](repeating: .max, count: local.count)
            for row in range where isValid(row) {
                let code = Int(localCodes[row])
                var global = mapping[code]
                if global == .max {
                    global = dictionary.code(of: local[code])
                    mapping[code] = global
                }
                codes.append(global)
            }
        }
    }
}
