/// One record (row) of a CSV file: where its fields lie in the input.
///
/// Reading a record copies nothing: each field is a byte range of the input the reader was
/// given (inside the quotes for a quoted field), so a record costs three small reused arrays,
/// not a string or a buffer per field. Only a quoted field holding escaped quotes (`""`) needs
/// unescaping, which ``subscript(_:)`` does on access; the zero-copy accessor
/// (``withFieldRanges(_:)``) is for callers that scan many records fast and check
/// ``containsEscapedQuotes`` first.
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

    /// The input the record was read from; fields are ranges of it. (Shared with the reader,
    /// not copied.)
    @usableFromInline var source: [UInt8]

    /// Per field slot: the offset in ``source`` of the field's first byte (after an opening
    /// quote). The slot arrays are longer than ``count`` once a record has had more fields: they
    /// keep their length between records, so the reader writes fields in place.
    @usableFromInline var starts: [Int]

    /// Per field slot: the offset just past the field's last byte (before a closing quote).
    @usableFromInline var ends: [Int]

    /// Per field slot: its ``FieldKind`` raw value.
    var kinds: [UInt8]

    /// The number of fields.
    public private(set) var count: Int

    /// The quote byte, for unescaping `""`.
    var quote: UInt8

    /// Whether some field of the record holds an escaped quote (`""`), or was read leniently
    /// with text after its closing quote, so that its range in the input is not its value.
    public internal(set) var containsEscapedQuotes: Bool

    /// How a field was written.
    enum FieldKind: UInt8 {
        /// Without quotes.
        case plain = 0
        /// In quotes, with no `""` inside: the range is the value.
        case quoted = 1
        /// In quotes, with `""` inside: the range is the escaped text.
        case quotedWithEscapes = 2
        /// Read under the lenient quote policy with text after its closing quote: the range
        /// starts at the opening quote (see ``CSVRecord/lenientValue(_:_:quote:)``).
        case lenientQuoted = 3
    }

    /// An empty record, to be filled by ``CSVReader/next(into:)``.
    public init() {
        line = 0
        byteOffset = 0
        endOffset = 0
        number = 0
        source = []
        starts = []
        ends = []
        kinds = []
        count = 0
        quote = UInt8(ascii: "\"")
        containsEscapedQuotes = false
    }

    /// An empty record with room for `fieldCount` fields.
    init(reservingFields fieldCount: Int) {
        self.init()
        starts.reserveCapacity(fieldCount)
        ends.reserveCapacity(fieldCount)
        kinds.reserveCapacity(fieldCount)
    }

    /// Empties the record for reuse, keeping its field slots.
    mutating func reset(source: [UInt8], quote: UInt8) {
        self.source = source
        self.quote = quote
        count = 0
        containsEscapedQuotes = false
    }

    /// Adds a field covering `source[start..<end]`.
    @inline(__always)
    mutating func appendField(start: Int, end: Int, kind: FieldKind) {
        if count < starts.count {
            starts[count] = start
            ends[count] = end
            kinds[count] = kind.rawValue
        } else {
            starts.append(start)
            ends.append(end)
            kinds.append(kind.rawValue)
        }
        count += 1
        if kind == .quotedWithEscapes || kind == .lenientQuoted { containsEscapedQuotes = true }
    }

    /// Makes the field slots at least `slots` long, so a reader can fill them in place.
    mutating func ensureSlots(_ slots: Int) {
        guard starts.count < slots else { return }
        let more = slots - starts.count
        starts.append(contentsOf: repeatElement(0, count: more))
        ends.append(contentsOf: repeatElement(0, count: more))
        kinds.append(contentsOf: repeatElement(0, count: more))
    }

    /// Sets the field count after a reader filled the slots in place.
    mutating func setFilledFields(_ fieldCount: Int) {
        precondition(fieldCount <= starts.count, "more fields than slots")
        count = fieldCount
    }

    /// The bytes of the field at `index` (0-based), quotes removed and `""` unescaped to `"`.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "CSVRecord field index out of range")
        let range = starts[index]..<ends[index]
        if kinds[index] == FieldKind.lenientQuoted.rawValue {
            return Self.lenientValue(source, range, quote: quote)[...]
        }
        guard kinds[index] == FieldKind.quotedWithEscapes.rawValue else { return source[range] }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = source[position]
            unescaped.append(byte)
            // Inside a quoted field a quote only ever appears doubled: keep one of the two.
            position += byte == quote ? 2 : 1
        }
        return unescaped[...]
    }

    /// Calls `body` with the input and the start and end offsets of the fields in it, all
    /// borrowed: the zero-copy way to visit a record's fields. A field's range is its value
    /// unless ``hasEscapedQuote(at:)`` (then use ``subscript(_:)``).
    /// Inlinable, so a caller's per-row closure is specialised into its loop (no context, no copies).
    @inlinable
    public func withFieldRanges<Result>(_ body: (Span<UInt8>, Span<Int>, Span<Int>) throws -> Result) rethrows -> Result
    {
        try body(source.span, starts.span.extracting(0..<count), ends.span.extracting(0..<count))
    }

    /// Whether the field at `index` (0-based) was written in quotes.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public func isQuoted(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "CSVRecord field index out of range")
        return kinds[index] != FieldKind.plain.rawValue
    }

    /// Whether the field at `index` (0-based) holds an escaped quote, so that its range in
    /// ``source`` is escaped text and only ``subscript(_:)`` gives its value.
    ///
    /// - Precondition: `index` is in `0..<count`.
    public func hasEscapedQuote(at index: Int) -> Bool {
        precondition(index >= 0 && index < count, "CSVRecord field index out of range")
        return kinds[index] == FieldKind.quotedWithEscapes.rawValue || kinds[index] == FieldKind.lenientQuoted.rawValue
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
        String(validating: bytes, as: UTF8.self)
    }
}
