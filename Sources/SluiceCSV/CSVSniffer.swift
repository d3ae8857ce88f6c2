/// Settings a user pins instead of letting the sniffer decide (`dialect:` in `sluice.yaml`).
public struct CSVDialectPins: Sendable, Hashable {
    /// The delimiter byte, or `nil` to detect among `;` `,` tab `|`.
    public var delimiter: UInt8?
    /// The quote byte, or `nil` to detect between `"` and `'`.
    public var quote: UInt8?
    /// Whether the first record is a header, or `nil` to detect.
    public var hasHeader: Bool?
    /// How quotes that break RFC 4180 are read; the sniffer reads its sample the same way.
    public var quotePolicy: CSVQuotePolicy = .strict

    /// Creates pins; `nil` everywhere means detect everything.
    public init(delimiter: UInt8? = nil, quote: UInt8? = nil, hasHeader: Bool? = nil) {
        self.delimiter = delimiter
        self.quote = quote
        self.hasHeader = hasHeader
    }
}

/// What the sniffer concluded about a file, with how sure it is and what came second.
public struct CSVSniffResult: Sendable, Hashable {
    /// The dialect to read the file with.
    public var dialect: CSVDialect
    /// Whether the first record is a header.
    public var hasHeader: Bool
    /// Fields in the first record.
    public var columnCount: Int
    /// 0…1: the share of sampled records with the first record's field count, lowered when
    /// another delimiter also splits the file consistently.
    public var confidence: Double
    /// The best other delimiter, when one also split the file into several columns.
    public var runnerUp: CSVSniffRunnerUp?
    /// Records looked at.
    public var sampledRecords: Int
    /// Which settings came from pins rather than detection.
    public var pinned: CSVDialectPins
}

/// The delimiter that came second in sniffing, and how good it looked.
public struct CSVSniffRunnerUp: Sendable, Hashable {
    /// Its delimiter byte.
    public var delimiter: UInt8
    /// Its confidence, on the same 0…1 scale as the winner's.
    public var confidence: Double
    /// How many columns it split the first record into.
    public var columnCount: Int
}

/// Detects delimiter, quote, line ending and header presence from a sample of the file, and
/// refuses to guess: ambiguous evidence or an inconsistent column count is a `dialect-error`.
///
/// Each candidate delimiter (`;` `,` tab `|`) and quote (`"` `'`) parses the first records of
/// the sample. A candidate's consistency is the share of data records with the same number of
/// fields as the first record. Among candidates that are at least 90% consistent, the one with
/// the most columns wins (as DuckDB's sniffer does); two winners with the same column count
/// are ambiguous. The header is taken as present unless the first record looks like data: in
/// every column whose sampled values are numbers, it holds a number too.
public enum CSVSniffer {
    /// How many bytes are sampled.
    public static let sampleBytes = 64 * 1024
    /// How many records are sampled.
    public static let sampleRecords = 64

    private struct Candidate {
        var delimiter: UInt8
        var quote: UInt8
        var columnCount: Int
        var consistency: Double
        var records: [CSVRecord]
        /// Whether the sample had a syntax error under this candidate (records stop before it).
        var failed: Bool
    }

    /// Sniffs `utf8` (decoded text, no byte order mark).
    ///
    /// - Throws: ``CSVError`` `dialect-error` when no candidate reads the sample consistently,
    ///   when two delimiters are equally good, or when the first line looks like data and no
    ///   pin says there is no header.
    public static func sniff(
        _ utf8: [UInt8], pins: CSVDialectPins = .init(), file: String? = nil,
        limits: CSVReaderLimits = .init()
    ) throws(CSVError) -> CSVSniffResult {
        let sample = utf8.count <= sampleBytes ? utf8 : Array(utf8.prefix(sampleBytes))
        let truncated = utf8.count > sample.count
        let delimiters = pins.delimiter.map { [$0] } ?? CSVDialect.candidateDelimiters
        // `'` is a candidate only when the sample holds one at all (most files hold none).
        let quotes =
            pins.quote.map { [$0] }
            ?? (occurs(UInt8(ascii: "'"), in: sample) ? [UInt8(ascii: "\""), UInt8(ascii: "'")] : [UInt8(ascii: "\"")])
        // A delimiter absent from the sample reads every record as one field: such a candidate
        // only counts when no clean candidate splits anything (see below), so it is read only then.
        var slots: [[Candidate]] = Array(repeating: [], count: delimiters.count)
        var skipped: [Int] = []
        for (slot, delimiter) in delimiters.enumerated() {
            guard occurs(delimiter, in: sample) else {
                skipped.append(slot)
                continue
            }
            slots[slot] = evaluate(
                sample, delimiter: delimiter, quotes: quotes, pins: pins, truncated: truncated, limits: limits)
        }
        if !slots.joined().contains(where: { !$0.failed && $0.records.contains { $0.count > 1 } }) {
            for slot in skipped {
                slots[slot] = evaluate(
                    sample, delimiter: delimiters[slot], quotes: quotes, pins: pins, truncated: truncated,
                    limits: limits)
            }
        }
        var candidates = Array(slots.joined())
        let lineEnding = CSVDialect.detect(in: sample).lineEnding
        guard !candidates.isEmpty else {
            throw dialectError(
                file: file, "the file has no records to sniff", hint: "deliver the file again once it has been written")
        }
        // A candidate that reads the sample without a syntax error beats one that does not; when
        // all fail, the best one is still chosen so that reading reports the error where it is.
        let clean = candidates.filter { !$0.failed }
        candidates = clean.isEmpty ? candidates : clean
        // A delimiter that never occurs proves nothing: a one-column reading only counts when no
        // candidate splits anything.
        let splitting = candidates.filter { $0.records.contains { $0.count > 1 } }
        candidates = splitting.isEmpty ? candidates : splitting
        let consistent = candidates.filter { $0.consistency >= 0.9 }
        let ranked = (consistent.isEmpty ? candidates : consistent).sorted {
            ($0.columnCount, $0.consistency) > ($1.columnCount, $1.consistency)
        }
        let best = ranked[0]
        guard best.consistency >= 0.5 || best.records.count < 3 else {
            throw dialectError(
                file: file,
                "the column count is inconsistent: with \(name(best.delimiter)) only \(percent(best.consistency)) of the first records have \(best.columnCount) fields like the first line",
                hint: "check the delimiter and quoting, or pin dialect.delimiter in sluice.yaml")
        }
        let others = ranked.dropFirst().filter { $0.columnCount > 1 && $0.delimiter != best.delimiter }
        if let rival = others.first, rival.columnCount == best.columnCount, rival.consistency == best.consistency,
            best.columnCount > 1
        {
            throw dialectError(
                file: file,
                "ambiguous delimiter: \(name(best.delimiter)) and \(name(rival.delimiter)) both split the file into \(best.columnCount) columns",
                hint: "pin dialect.delimiter in sluice.yaml")
        }
        var confidence = best.consistency
        if let rival = others.first, rival.consistency >= 0.9 {
            confidence *= Double(best.columnCount) / Double(best.columnCount + rival.columnCount)
        }
        let hasHeader = pins.hasHeader ?? firstRecordIsHeader(best.records)
        if !hasHeader, pins.hasHeader == nil {
            throw dialectError(
                file: file,
                "the first line looks like data, not a header: it holds numbers where the other rows hold numbers",
                hint: "add a header line, or set dialect.header: false in sluice.yaml to map columns by position")
        }
        var dialect = CSVDialect(delimiter: best.delimiter, quote: best.quote, lineEnding: lineEnding)
        dialect.quotePolicy = pins.quotePolicy
        var result = CSVSniffResult(
            dialect: dialect,
            hasHeader: hasHeader, columnCount: best.columnCount, confidence: confidence,
            runnerUp: nil, sampledRecords: best.records.count, pinned: pins)
        if let rival = others.first {
            let share = rival.consistency * Double(rival.columnCount) / Double(best.columnCount + rival.columnCount)
            result.runnerUp = CSVSniffRunnerUp(
                delimiter: rival.delimiter, confidence: share, columnCount: rival.columnCount)
        }
        return result
    }

    /// The candidates of one delimiter, one per quote that has evidence.
    private static func evaluate(
        _ sample: [UInt8], delimiter: UInt8, quotes: [UInt8], pins: CSVDialectPins, truncated: Bool,
        limits: CSVReaderLimits
    ) -> [Candidate] {
        var candidates: [Candidate] = []
        for (rank, quote) in quotes.enumerated() {
            guard
                let candidate = evaluate(
                    sample, delimiter: delimiter, quote: quote, quotePolicy: pins.quotePolicy, truncated: truncated,
                    limits: limits)
            else {
                continue
            }
            // Another quote than the first needs evidence: a field actually quoted with it.
            if rank > 0, pins.quote == nil,
                !candidate.records.contains(where: { record in
                    (0..<record.count).contains(where: record.isQuoted)
                })
            {
                continue
            }
            candidates.append(candidate)
        }
        return candidates
    }

    /// Whether `byte` occurs in `sample` (eight bytes at a time).
    private static func occurs(_ byte: UInt8, in sample: [UInt8]) -> Bool {
        CSVReader.firstIndex(in: sample, from: 0, ofAny: byte, byte, byte, byte) < sample.count
    }

    /// Parses the sample with one delimiter and quote, up to a syntax error (other than a quoted
    /// field cut off by the end of a truncated sample); `nil` when not even one record reads.
    private static func evaluate(
        _ sample: [UInt8], delimiter: UInt8, quote: UInt8, quotePolicy: CSVQuotePolicy, truncated: Bool,
        limits: CSVReaderLimits
    ) -> Candidate? {
        var dialect = CSVDialect(delimiter: delimiter, quote: quote)
        dialect.quotePolicy = quotePolicy
        var reader = CSVReader(bytes: sample, dialect: dialect, limits: limits)
        var records: [CSVRecord] = []
        var failed = false
        while records.count < sampleRecords {
            do {
                guard let record = try reader.next() else { break }
                records.append(record)
            } catch {
                // A record cut by the sample's end is not evidence against this candidate.
                if truncated, error.code == .unterminatedQuote || error.code == .textAfterClosingQuote { break }
                if error.code == .tooManyFields {
                    // This delimiter splits the file more than any sane table: it is the one to
                    // read with, so that reading reports too-many-columns where it happens.
                    return Candidate(
                        delimiter: delimiter, quote: quote, columnCount: limits.maxFields + 1, consistency: 1,
                        records: records, failed: false)
                }
                // A size limit is no evidence about the dialect; a syntax error is.
                failed = error.code != .fieldTooLarge && error.code != .recordTooLarge
                break
            }
        }
        if truncated, records.count > 1 { records.removeLast() }  // the last record may be cut short
        guard let first = records.first else {
            return failed
                ? nil
                : Candidate(
                    delimiter: delimiter, quote: quote, columnCount: 1, consistency: 0, records: [], failed: false)
        }
        let body = records.dropFirst()
        let matching = body.filter { $0.count == first.count }.count
        let consistency = body.isEmpty ? 1 : Double(matching) / Double(body.count)
        return Candidate(
            delimiter: delimiter, quote: quote, columnCount: first.count, consistency: consistency,
            records: records, failed: failed)
    }

    /// A header unless, in every column whose sampled values are all numbers, the first record
    /// holds a number too (and there is at least one such column).
    private static func firstRecordIsHeader(_ records: [CSVRecord]) -> Bool {
        guard let first = records.first, records.count > 1 else { return true }
        let body = records.dropFirst().filter { $0.count == first.count }
        guard !body.isEmpty else { return true }
        var numericColumns = 0
        for column in 0..<first.count {
            let values = body.map { $0[column] }.filter { !$0.isEmpty }
            guard !values.isEmpty, values.allSatisfy(looksNumeric) else { continue }
            numericColumns += 1
            if !looksNumeric(first[column]) { return true }
        }
        return numericColumns == 0
    }

    /// An optional sign, digits, at most one decimal point, optional exponent.
    static func looksNumeric(_ field: ArraySlice<UInt8>) -> Bool {
        var bytes = field.drop { $0 == 0x20 || $0 == 0x09 }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0
        var dots = 0
        var exponent = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "+"): exponent = true
            default: return false
            }
        }
        return digits > 0 && dots <= 1 && (!exponent || digits > 1)
    }

    private static func name(_ delimiter: UInt8) -> String {
        "'\(CSVDialect(delimiter: delimiter).delimiterName)'"
    }

    private static func percent(_ share: Double) -> String {
        "\(Int((share * 100).rounded()))%"
    }

    private static func dialectError(file: String?, _ message: String, hint: String) -> CSVError {
        CSVError(
            code: .dialectError, file: file, line: 1, column: 1, byteOffset: 0,
            message: message + " (dialect-error)", hint: hint)
    }
}
