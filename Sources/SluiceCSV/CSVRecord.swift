/// One record (row) of a CSV file: its fields as unescaped bytes.
///
/// All fields share one contiguous byte buffer; the record keeps the end offset of each field in
/// that buffer and whether it was quoted, so reading a record allocates no strings.
public struct CSVRecord: Sendable {
    /// The 1-based physical line number where the record starts.
    public var line: Int

    /// The 0-based offset of the record's first byte in the input.
    public var byteOffset: Int

    /// The offset just past the record's last byte, before its line end: the record's original
    /// bytes are `input[byteOffset..<endOffset]`.
    public var endOffset: Int

    /// The 1-based position of the record in the file, the header being record 1. It differs
    /// from ``line`` when quoted fields hold line ends or blank lines were skipped.
    public var number: Int

    /// The unescaped bytes of all fields, one after another.
    var storage: [UInt8]

    /// For each field, the offset in `storage` just past its last byte.
    var fieldEnds: [Int]

    /// For each field, whether it was written in quotes.
    var quotedFlags: [Bool]

    /// Creates a record from its field buffer; `fieldEnds` and `quotedFlags` have one entry per
    /// field and `fieldEnds` is non-decreasing, ending at most at `storage.count`.
    /// An empty record, to be filled by ``CSVReader/next(into:)``.
    public init() {
        self.init(line: 0, byteOffset: 0, endOffset: 0, number: 0, storage: [], fieldEnds: [], quotedFlags: [])
    }

    init(line: Int, byteOffset: Int, endOffset: Int, number: Int, storage: [UInt8], fieldEnds: [Int], quotedFlags: [Bool]) {
        precondition(fieldEnds.count == quotedFlags.count, "one quoted flag per field")
        self.line = line
        self.byteOffset = byteOffset
        self.endOffset = endOffset
        self.number = number
        self.storage = storage
        self.fieldEnds = fieldEnds
        self.quotedFlags = quotedFlags
    }

    /// The number of fields.
    public var count: Int {
        fieldEnds.count
    }

    /// The bytes of the field at `index` (0-based), quotes removed and `""` unescaped to `"`.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < fieldEnds.count, "CSVRecord field index out of range")
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return storage[start..<fieldEnds[index]]
    }

    /// Whether the field at `index` (0-based) was written in quotes.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public func isQuoted(_ index: Int) -> Bool {
        precondition(index >= 0 && index < quotedFlags.count, "CSVRecord field index out of range")
        return quotedFlags[index]
    }

    /// The field at `index` (0-based) as a string, or `nil` if its bytes are not valid UTF-8.
    ///
    /// Invalid bytes are never replaced with U+FFFD; callers decide how to report them.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public func string(at index: Int) -> String? {
        Self.decodeUTF8(self[index])
    }

    /// All fields as strings; an element is `nil` where the field is not valid UTF-8.
    public var strings: [String?] {
        (0..<count).map { string(at: $0) }
    }

    /// Decodes strictly validated UTF-8 (no overlong forms, surrogates or values above
    /// U+10FFFF), returning `nil` instead of repairing invalid input.
    static func decodeUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break decoding
            case .error: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
