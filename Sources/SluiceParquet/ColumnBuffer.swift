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
struct ColumnBuffer {
    /// The buffered values (nulls are not stored).
    enum Storage {
        case int64([Int64])
        case double([Double])
        /// Strings as codes into the chunk's own dictionary.
        case string(StringDictionary, codes: [UInt32])
    }

    var storage: Storage
    /// Per row: 1 when it holds a value, 0 when null; `nil` for a required column.
    var definitionLevels: [UInt8]?
    /// Rows buffered, nulls included.
    private(set) var rows = 0

    /// An empty buffer for `field`.
    init(field: ParquetField) {
        switch field.type {
        case .int64: storage = .int64([])
        case .double: storage = .double([])
        case .string: storage = .string(StringDictionary(), codes: [])
        }
        definitionLevels = field.isNullable ? [] : nil
    }

    /// The number of non-null values.
    var valueCount: Int {
        switch storage {
        case .int64(let values): values.count
        case .double(let values): values.count
        case .string(_, let codes): codes.count
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
        let isValid = { (row: Int) in validity?[row] ?? true }
        let allValid = validity.map { !$0[range].contains(false) } ?? true
        switch (storage, column.values) {
        case (.int64(var values), .int64(let new)):
            storage = .int64([])
            if allValid { values.append(contentsOf: new[range]) } else { for row in range where isValid(row) { values.append(new[row]) } }
            storage = .int64(values)
        case (.double(var values), .double(let new)):
            storage = .double([])
            if allValid { values.append(contentsOf: new[range]) } else { for row in range where isValid(row) { values.append(new[row]) } }
            storage = .double(values)
        case (.string(var dictionary, var codes), .string(let new)):
            storage = .int64([])
            for row in range where isValid(row) { codes.append(dictionary.code(of: new[row])) }
            storage = .string(dictionary, codes: codes)
        case (.string(var dictionary, var codes), .codedString(let local, let localCodes)):
            storage = .int64([])
            // Map only the local entries some non-null row uses, so the chunk's dictionary (and
            // its statistics) hold exactly the values present.
            var mapping = [UInt32](repeating: .max, count: local.count)
            codes.reserveCapacity(codes.count + range.count)
            for row in range where allValid || isValid(row) {
                let code = Int(localCodes[row])
                var global = mapping[code]
                if global == .max {
                    global = dictionary.code(of: local[code])
                    mapping[code] = global
                }
                codes.append(global)
            }
            storage = .string(dictionary, codes: codes)
        default:
            preconditionFailure("the column's values do not match its buffer (checked by the writer)")
        }
    }
}
