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

    /// How many records were returned so far.
    public private(set) var recordCount = 0

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
        var record = CSVRecord()
        return try next(into: &record) ? record : nil
    }

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
    private mutating func readRecord(into record: inout CSVRecord) throws(CSVError) -> Bool {
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        let count = bytes.count
        while position < count, bytes[position] == Self.lf || bytes[position] == Self.cr {
            consumeLineEnd()
        }
        guard position < count else { return false }

        let recordLine = line
        let recordOffset = position
        // Take the record's buffers (leaving it empty) so they are uniquely referenced here and
        // keep their capacity.
        var storage = record.storage
        var fieldEnds = record.fieldEnds
        var quotedFlags = record.quotedFlags
        record.storage = []
        record.fieldEnds = []
        record.quotedFlags = []
        storage.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        quotedFlags.removeAll(keepingCapacity: true)

        var recordEnd = recordOffset
        while true {
            try checkLimits(recordOffset: recordOffset, fieldCount: fieldEnds.count)
            if position < count, bytes[position] == quote {
                try readQuotedField(into: &storage)
                quotedFlags.append(true)
                fieldEnds.append(storage.count)
                recordEnd = position
                guard position < count else { break }
                let byte = bytes[position]
                if byte == delimiter {
                    position += 1
                    continue
                }
                if byte == Self.lf || byte == Self.cr {
                    consumeLineEnd()
                    break
                }
                throw error(.textAfterClosingQuote, at: position)
            }
            let end = Self.firstIndex(in: bytes, from: position, ofAny: delimiter, quote, Self.lf, Self.cr)
            if end - position > limits.maxFieldBytes {
                // Refuse before copying: a hostile field must not grow memory.
                throw CSVError(
                    code: .fieldTooLarge, file: file, line: line, column: position - lineStart + 1, byteOffset: position,
                    message: "field starting here is longer than \(limits.maxFieldBytes) bytes (field-too-large)",
                    hint: "the file is probably not CSV; if the values really are this long, raise limits.max_field_bytes in sluice.yaml")
            }
            storage.append(contentsOf: bytes[position..<end])
            quotedFlags.append(false)
            fieldEnds.append(storage.count)
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
        try checkLimits(recordOffset: recordOffset, fieldCount: fieldEnds.count)
        record = CSVRecord(
            line: recordLine, byteOffset: recordOffset, endOffset: recordEnd, number: recordCount + 1,
            storage: storage, fieldEnds: fieldEnds, quotedFlags: quotedFlags
        )
        return true
    }

    /// Throws when the record being read has grown past a limit: too many fields, or the record
    /// as a whole too long. (A field's own length is checked before its bytes are copied, in the
    /// two places that copy them.)
    private func checkLimits(recordOffset: Int, fieldCount: Int) throws(CSVError) {
        if fieldCount > limits.maxFields {
            throw CSVError(
                code: .tooManyFields, file: file, line: line, column: position - lineStart + 1, byteOffset: position,
                message: "record has more than \(limits.maxFields) fields (too-many-columns)",
                hint: "check the delimiter; if the table really is this wide, raise limits.max_columns in sluice.yaml")
        }
        if position - recordOffset > limits.maxRecordBytes {
            throw CSVError(
                code: .recordTooLarge, file: file, line: line, column: position - lineStart + 1, byteOffset: position,
                message: "record is longer than \(limits.maxRecordBytes) bytes (line-too-large)",
                hint: "check for missing line ends; if the rows really are this long, raise limits.max_record_bytes in sluice.yaml")
        }
    }

    /// Reads a quoted field whose opening quote is at `position`, appending its unescaped bytes
    /// to `storage` and leaving `position` just past the closing quote.
    private mutating func readQuotedField(into storage: inout [UInt8]) throws(CSVError) {
        let quote = dialect.quote
        let (openingOffset, openingLine, openingColumn) = (position, line, position - lineStart + 1)
        let fieldStart = storage.count
        position += 1
        while true {
            let stop = Self.firstIndex(in: bytes, from: position, ofAny: quote, Self.lf, Self.cr, quote)
            if storage.count - fieldStart + (stop - position) > limits.maxFieldBytes {
                throw CSVError(
                    code: .fieldTooLarge, file: file, line: openingLine, column: openingColumn, byteOffset: openingOffset,
                    message: "quoted field opened here runs past \(limits.maxFieldBytes) bytes (field-too-large)",
                    hint: "probably an unbalanced quote: close it, and write quotes inside a value twice")
            }
            storage.append(contentsOf: bytes[position..<stop])
            position = stop
            guard stop < bytes.count else {
                throw CSVError.make(
                    .unterminatedQuote, file: file, line: openingLine, column: openingColumn,
                    byteOffset: openingOffset, dialect: dialect
                )
            }
            let byte = bytes[stop]
            if byte == quote {
                if stop + 1 < bytes.count, bytes[stop + 1] == quote {
                    storage.append(quote)
                    position = stop + 2
                    continue
                }
                position = stop + 1
                return
            }
            // An embedded line end: kept as data, and counted so later lines are numbered right.
            storage.append(byte)
            if byte == Self.cr, stop + 1 < bytes.count, bytes[stop + 1] == Self.lf {
                storage.append(Self.lf)
            }
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
    ///
    /// This is the reader's only byte-scanning loop; it can be replaced with a SIMD search
    /// without changing anything else.
    static func firstIndex(
        in bytes: [UInt8], from start: Int, ofAny a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8
    ) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index < buffer.count {
                let byte = buffer[index]
                if byte == a || byte == b || byte == c || byte == d {
                    return index
                }
                index += 1
            }
            return buffer.count
        }
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
