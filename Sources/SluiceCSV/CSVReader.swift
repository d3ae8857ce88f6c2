/// Reads records one at a time from a byte buffer, following RFC 4180.
///
/// - A UTF-8 byte order mark at the start is skipped.
/// - LF, CRLF and lone CR all end a record, in any mix; each counts as one line end.
/// - A field starting with the quote byte is quoted: `""` inside it is an escaped quote, and
///   delimiters and line ends inside it are data. Only a delimiter, a line end or the end of
///   input may follow the closing quote.
/// - Completely empty lines are skipped, so a trailing line end adds no record; a line holding
///   only delimiters is a record of empty fields.
/// - The last record needs no line end.
///
/// Hostile input stays bounded: a field, a record or a field count past ``CSVReaderLimits``
/// throws instead of growing without end (an unbalanced quote stops at the field limit, not at
/// the end of a large file).
///
/// After an error, every further call to `next()` throws the same error.
public struct CSVReader: Sendable {
    /// The dialect used to read: the one passed to `init`, or the detected one.
    public let dialect: CSVDialect

    /// The whole input.
    private let bytes: [UInt8]

    /// The file name reported in errors.
    private let file: String?

    /// The offset of the next unread byte.
    private var position: Int

    /// The 1-based line number of the byte at `position`.
    private var line = 1

    /// The offset of the first byte of the current line (after the BOM on line 1).
    private var lineStart: Int

    /// The error that stopped reading, rethrown by later calls.
    private var failure: CSVError?

    /// The size limits in force.
    public let limits: CSVReaderLimits

    /// How many records were returned (or skipped by ``skipMalformedRecord()``) so far.
    public private(set) var recordCount = 0

    /// How many fields were read under the lenient quote policy that strict reading refuses:
    /// a quote inside an unquoted field, text after a closing quote, or a quote never closed.
    public private(set) var lenientFieldCount = 0

    /// Under the lenient policy: the offset from which no quote has a closing quote (an
    /// opening quote there is a literal character).
    private var noClosingQuoteFrom = Int.max

    /// Where the record the careful path is reading started (for ``skipMalformedRecord()``).
    private var currentRecordLine = 1, currentRecordOffset = 0

    /// Creates a reader over `bytes`; with a `nil` dialect, `CSVDialect.detect(in:)` decides.
    /// `file` names the input in error messages. A byte order mark is skipped either way.
    public init(bytes: [UInt8], dialect: CSVDialect? = nil, file: String? = nil, limits: CSVReaderLimits = .init()) {
        self.bytes = bytes
        self.dialect = dialect ?? CSVDialect.detect(in: bytes)
        self.file = file
        self.limits = limits
        let start = CSVDialect.startsWithByteOrderMark(bytes) ? CSVDialect.byteOrderMark.count : 0
        self.position = start
        self.lineStart = start
    }

    /// The next record, or `nil` at end of input. Throws on malformed input.
    public mutating func next() throws(CSVError) -> CSVRecord? {
        var record = CSVRecord(reservingFields: lastFieldCount)
        guard try next(into: &record) else { return nil }
        lastFieldCount = record.count
        return record
    }

    /// The field count of the last record ``next()`` returned: room reserved in the next one, so
    /// a new record does not grow its arrays field by field.
    private var lastFieldCount = 0

    /// The most fields a record had so far: the fast path prepares one slot more than that.
    private var widestRecord = 0

    /// Reads the next record into `record`, reusing its buffers: no allocation per record once
    /// they have grown. Returns `false` at end of input.
    ///
    /// For the reuse to pay, drop any slices of the previous record (its field bytes) first.
    /// - Complexity: O(record length).
    public mutating func next(into record: inout CSVRecord) throws(CSVError) -> Bool {
        if let failure { throw failure }
        do {
            let found = try readRecord(into: &record)
            if found { recordCount += 1 }
            return found
        } catch {
            failure = error
            throw error
        }
    }

    /// Convenience: all remaining records.
    public mutating func readAll() throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }

    // MARK: - Parsing

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Parses one record starting at `position`, skipping empty lines before it.
    ///
    /// Everything the per-field loop reads is copied into locals first: calling a non-mutating
    /// method of `self` from here would copy the whole reader (176 bytes) once per field.
    private mutating func readRecord(into record: inout CSVRecord) throws(CSVError) -> Bool {
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        let bytes = self.bytes
        let count = bytes.count
        let (maxFields, maxRecordBytes, maxFieldBytes) = (limits.maxFields, limits.maxRecordBytes, limits.maxFieldBytes)
        while position < count, bytes[position] == Self.lf || bytes[position] == Self.cr {
            consumeLineEnd()
        }
        guard position < count else { return false }

        if readSimpleRecord(into: &record) { return true }

        // The careful path: every case, with exact errors.
        let recordLine = line
        let recordOffset = position
        (currentRecordLine, currentRecordOffset) = (recordLine, recordOffset)
        let lenient = dialect.quotePolicy == .lenient
        record.reset(source: bytes, quote: quote)
        var recordEnd = recordOffset
        while true {
            if record.count > maxFields || position - recordOffset > maxRecordBytes {
                throw limitError(recordOffset: recordOffset, fieldCount: record.count)
            }
            if position < count, bytes[position] == quote, !(lenient && position >= noClosingQuoteFrom) {
                let (opening, openingLine, openingLineStart) = (position, line, lineStart)
                let quoted: (start: Int, end: Int, escaped: Bool)?
                do throws(CSVError) {
                    quoted = try readQuotedField()
                } catch  where lenient && error.code == .unterminatedQuote {
                    // No quote closes it before the end: under the lenient policy it is a
                    // literal character, and so is any quote after it (remembered, so the
                    // rest of the file is not searched again for each one).
                    noClosingQuoteFrom = opening
                    (position, line, lineStart) = (opening, openingLine, openingLineStart)
                    quoted = nil
                }
                if let (start, end, escaped) = quoted {
                    guard position < count else {
                        record.appendField(start: start, end: end, kind: escaped ? .quotedWithEscapes : .quoted)
                        recordEnd = position
                        break
                    }
                    let byte = bytes[position]
                    if byte == delimiter || byte == Self.lf || byte == Self.cr {
                        record.appendField(start: start, end: end, kind: escaped ? .quotedWithEscapes : .quoted)
                        recordEnd = position
                        if byte == delimiter {
                            position += 1
                            continue
                        }
                        consumeLineEnd()
                        break
                    }
                    guard lenient else { throw error(.textAfterClosingQuote, at: position) }
                    // Lenient: the text after the closing quote belongs to the field.
                    let fieldEnd = Self.firstIndex(
                        in: bytes, from: position, ofAny: delimiter, Self.lf, Self.cr, delimiter)
                    try checkFieldLength(from: opening, to: fieldEnd)
                    record.appendField(start: opening, end: fieldEnd, kind: .lenientQuoted)
                    lenientFieldCount += 1
                    position = fieldEnd
                    recordEnd = fieldEnd
                    guard position < count else { break }
                    if bytes[position] == delimiter {
                        position += 1
                        continue
                    }
                    consumeLineEnd()
                    break
                }
            }
            var end = Self.firstIndex(in: bytes, from: position, ofAny: delimiter, quote, Self.lf, Self.cr)
            if lenient, end < count, bytes[end] == quote {
                // Lenient: a quote inside an unquoted field is a literal character.
                end = Self.firstIndex(in: bytes, from: end, ofAny: delimiter, Self.lf, Self.cr, delimiter)
                lenientFieldCount += 1
            }
            if end - position > maxFieldBytes {
                throw CSVError(
                    code: .fieldTooLarge, file: file, line: line, column: position - lineStart + 1,
                    byteOffset: position,
                    message: "field starting here is longer than \(limits.maxFieldBytes) bytes (field-too-large)",
                    hint:
                        "the file is probably not CSV; if the values really are this long, raise limits.max_field_bytes in sluice.yaml"
                )
            }
            record.appendField(start: position, end: end, kind: .plain)
            position = end
            recordEnd = end
            guard position < count else { break }
            let byte = bytes[position]
            if byte == delimiter {
                position += 1
                continue
            }
            if byte == quote {
                throw error(.unexpectedQuote, at: position)
            }
            consumeLineEnd()
            break
        }
        if record.count > maxFields || position - recordOffset > maxRecordBytes {
            throw limitError(recordOffset: recordOffset, fieldCount: record.count)
        }
        record.line = recordLine
        record.byteOffset = recordOffset
        record.endOffset = recordEnd
        record.number = recordCount + 1
        return true
    }

    /// The fast path for the common record: plain fields and quoted fields without escaped
    /// quotes or line ends inside, ending at LF or at the end of input, within the limits.
    /// Fields are written in place into the record's slots in one tight pass over the bytes.
    /// Anything else (a CR, `""`, a misplaced quote, a limit, more fields than slots) returns
    /// `false` having moved nothing, and the careful path reads the record with exact errors.
    private mutating func readSimpleRecord(into record: inout CSVRecord) -> Bool {
        let bytes = self.bytes
        record.reset(source: bytes, quote: dialect.quote)
        record.ensureSlots(max(16, widestRecord + 1))
        // Move the slot arrays out, so they can be written through spans while `record` is not.
        var (starts, ends, kinds) = (record.starts, record.ends, record.kinds)
        (record.starts, record.ends, record.kinds) = ([], [], [])
        let scanned = {
            var startSlots = starts.mutableSpan
            var endSlots = ends.mutableSpan
            var kindSlots = kinds.mutableSpan
            return Self.scanSimpleRecord(
                bytes.span, from: position, dialect: dialect, limits: limits,
                starts: &startSlots, ends: &endSlots, kinds: &kindSlots)
        }()
        (record.starts, record.ends, record.kinds) = (starts, ends, kinds)
        guard let scan = scanned else { return false }
        record.setFilledFields(scan.fields)
        record.line = line
        record.byteOffset = position
        record.endOffset = scan.end
        record.number = recordCount + 1
        widestRecord = max(widestRecord, scan.fields)
        position = scan.next
        if scan.endedLine {
            line += 1
            lineStart = position
        }
        return true
    }

    /// The scan behind ``readSimpleRecord(into:)``: fills the slots from `start`; `nil` when the
    /// record needs the careful path.
    private static func scanSimpleRecord(
        _ span: Span<UInt8>, from start: Int, dialect: CSVDialect, limits: CSVReaderLimits,
        starts: inout MutableSpan<Int>, ends: inout MutableSpan<Int>, kinds: inout MutableSpan<UInt8>
    ) -> (fields: Int, end: Int, next: Int, endedLine: Bool)? {
        let (delimiter, quote) = (dialect.delimiter, dialect.quote)
        let count = span.count
        let slots = min(starts.count, limits.maxFields)
        var position = start
        var fields = 0
        while true {
            guard fields < slots, position - start <= limits.maxRecordBytes else { return nil }
            let fieldEnd: Int
            if position < count, span[position] == quote {
                let stop = firstIndex(in: span, from: position + 1, ofAny: quote, lf, cr, quote)
                guard stop < count, span[stop] == quote, stop - position - 1 <= limits.maxFieldBytes else { return nil }
                if stop + 1 < count, span[stop + 1] == quote { return nil }  // an escaped quote
                starts[fields] = position + 1
                ends[fields] = stop
                kinds[fields] = CSVRecord.FieldKind.quoted.rawValue
                fieldEnd = stop + 1
            } else {
                let stop = firstIndex(in: span, from: position, ofAny: delimiter, quote, lf, cr)
                guard stop - position <= limits.maxFieldBytes else { return nil }
                starts[fields] = position
                ends[fields] = stop
                kinds[fields] = CSVRecord.FieldKind.plain.rawValue
                fieldEnd = stop
            }
            fields += 1
            guard fieldEnd < count else { return (fields, fieldEnd, fieldEnd, false) }
            let byte = span[fieldEnd]
            if byte == delimiter {
                position = fieldEnd + 1
                continue
            }
            guard byte == lf, fieldEnd - start <= limits.maxRecordBytes else { return nil }
            return (fields, fieldEnd, fieldEnd + 1, true)
        }
    }

    /// Throws `field-too-large` for a lenient field from `start` to `end` longer than the limit.
    private func checkFieldLength(from start: Int, to end: Int) throws(CSVError) {
        guard end - start > limits.maxFieldBytes else { return }
        throw CSVError(
            code: .fieldTooLarge, file: file, line: line, column: start - lineStart + 1, byteOffset: start,
            message: "field starting here is longer than \(limits.maxFieldBytes) bytes (field-too-large)",
            hint:
                "the file is probably not CSV; if the values really are this long, raise limits.max_field_bytes in sluice.yaml"
        )
    }

    /// After a syntax error that leaves the rest of its line readable (`unexpected-quote`,
    /// `text-after-quote` under the strict policy), skips the broken record up to the next line
    /// end so that reading can go on: the record counts as read (``recordCount``), and the
    /// next call to `next()` reads the line after it.
    ///
    /// - Returns: Where the skipped record lies (its first line, and its bytes
    ///   `byteOffset..<endOffset` before the line end), or `nil` when no error stopped the
    ///   reader or it cannot resynchronise (an unterminated quote, a size limit), so that
    ///   `next()` keeps throwing.
    /// - Complexity: O(length of the rest of the line).
    public mutating func skipMalformedRecord() -> (line: Int, byteOffset: Int, endOffset: Int)? {
        guard let failure, failure.code == .unexpectedQuote || failure.code == .textAfterClosingQuote,
            failure.byteOffset >= currentRecordOffset, failure.byteOffset < bytes.count
        else { return nil }
        let end = Self.firstIndex(in: bytes, from: failure.byteOffset, ofAny: Self.lf, Self.cr, Self.lf, Self.cr)
        let skipped = (line: currentRecordLine, byteOffset: currentRecordOffset, endOffset: end)
        position = end
        if position < bytes.count { consumeLineEnd() }
        self.failure = nil
        recordCount += 1
        return skipped
    }

    /// The error for a record past ``CSVReaderLimits/maxFields`` or ``CSVReaderLimits/maxRecordBytes``.
    private func limitError(recordOffset: Int, fieldCount: Int) -> CSVError {
        if fieldCount > limits.maxFields {
            return CSVError(
                code: .tooManyFields, file: file, line: line, column: position - lineStart + 1, byteOffset: position,
                message: "record has more than \(limits.maxFields) fields (too-many-columns)",
                hint: "check the delimiter; if the table really is this wide, raise limits.max_columns in sluice.yaml")
        }
        return CSVError(
            code: .recordTooLarge, file: file, line: line, column: position - lineStart + 1, byteOffset: position,
            message: "record is longer than \(limits.maxRecordBytes) bytes (line-too-large)",
            hint:
                "check for missing line ends; if the rows really are this long, raise limits.max_record_bytes in sluice.yaml"
        )
    }

    /// Scans a quoted field whose opening quote is at `position`, leaving `position` just past
    /// the closing quote.
    /// - Returns: The range of the field's text between the quotes, and whether it holds
    ///   escaped quotes (`""`).
    private mutating func readQuotedField() throws(CSVError) -> (start: Int, end: Int, escaped: Bool) {
        let quote = dialect.quote
        let bytes = self.bytes
        let maxFieldBytes = limits.maxFieldBytes
        let (openingOffset, openingLine, openingColumn) = (position, line, position - lineStart + 1)
        position += 1
        let start = position
        var escapes = 0
        while true {
            let stop = Self.firstIndex(in: bytes, from: position, ofAny: quote, Self.lf, Self.cr, quote)
            // The field's length once unescaped: each `""` so far counts once.
            if stop - start - escapes > maxFieldBytes {
                throw CSVError(
                    code: .fieldTooLarge, file: file, line: openingLine, column: openingColumn,
                    byteOffset: openingOffset,
                    message: "quoted field opened here runs past \(limits.maxFieldBytes) bytes (field-too-large)",
                    hint: "probably an unbalanced quote: close it, and write quotes inside a value twice")
            }
            position = stop
            guard stop < bytes.count else {
                throw CSVError.make(
                    .unterminatedQuote, file: file, line: openingLine, column: openingColumn,
                    byteOffset: openingOffset, dialect: dialect
                )
            }
            if bytes[stop] == quote {
                if stop + 1 < bytes.count, bytes[stop + 1] == quote {
                    escapes += 1
                    position = stop + 2
                    continue
                }
                position = stop + 1
                return (start, stop, escapes > 0)
            }
            // An embedded line end: kept as data, and counted so later lines are numbered right.
            consumeLineEnd()
        }
    }

    /// Steps over the LF, CR or CRLF at `position` and starts a new line.
    private mutating func consumeLineEnd() {
        if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
        lineStart = position
    }

    /// The error `code` located at byte `offset`, which lies on the current line.
    private func error(_ code: CSVError.Code, at offset: Int) -> CSVError {
        CSVError.make(
            code, file: file, line: line, column: offset - lineStart + 1,
            byteOffset: offset, dialect: dialect
        )
    }

    // MARK: - Scanning

    /// The offset of the first byte at or after `start` equal to any of `a`, `b`, `c`, `d`, or
    /// `bytes.count` if there is none.
    static func firstIndex(
        in bytes: [UInt8], from start: Int, ofAny a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8
    ) -> Int {
        firstIndex(in: bytes.span, from: start, ofAny: a, b, c, d)
    }

    /// The offset of the first byte at or after `start` equal to any of `a`, `b`, `c`, `d`, or
    /// `span.count` if there is none.
    ///
    /// This is the reader's only byte-scanning loop. It reads eight bytes at a time as one
    /// 64-bit word and finds the first match in all eight lanes at once (SWAR: SIMD within a
    /// register), falling back to one byte at a time for the last few bytes.
    @inline(__always)
    static func firstIndex(
        in span: Span<UInt8>, from start: Int, ofAny a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8
    ) -> Int {
        let raw = span.bytes
        let (wordA, wordB, wordC, wordD) = (splat(a), splat(b), splat(c), splat(d))
        var index = start
        while index + 8 <= span.count {
            let word = UInt64(littleEndian: raw.unsafeLoadUnaligned(fromByteOffset: index, as: UInt64.self))
            let matches =
                zeroLanes(word ^ wordA) | zeroLanes(word ^ wordB) | zeroLanes(word ^ wordC) | zeroLanes(word ^ wordD)
            if matches != 0 {
                return index + matches.trailingZeroBitCount >> 3
            }
            index += 8
        }
        while index < span.count {
            let byte = span[index]
            if byte == a || byte == b || byte == c || byte == d {
                return index
            }
            index += 1
        }
        return span.count
    }

    /// `byte` in all eight lanes of a word.
    @inline(__always)
    private static func splat(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// The high bit of each lane of `word` that is zero, exactly (no false positives from borrows).
    @inline(__always)
    private static func zeroLanes(_ word: UInt64) -> UInt64 {
        let low7 = 0x7F7F_7F7F_7F7F_7F7F as UInt64
        return ~(((word & low7) &+ low7) | word | low7)
    }
}

/// Size limits that keep a hostile file from growing a record without bound.
public struct CSVReaderLimits: Sendable, Hashable {
    /// Longest field, in bytes after unescaping (default 1 MiB).
    public var maxFieldBytes: Int
    /// Longest record, in bytes of input (default 4 MiB).
    public var maxRecordBytes: Int
    /// Most fields in one record (default 4,096).
    public var maxFields: Int

    /// Creates limits; the defaults suit tabular data with generous room.
    public init(maxFieldBytes: Int = 1 << 20, maxRecordBytes: Int = 4 << 20, maxFields: Int = 4_096) {
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }
}
