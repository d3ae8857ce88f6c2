/// Line terminator style found in a file.
public enum CSVLineEnding: String, Sendable, Hashable {
    /// A line feed (`\n`), as on Unix.
    case lf
    /// A carriage return and line feed (`\r\n`), as on Windows and in RFC 4180.
    case crlf
    /// A lone carriage return (`\r`), as on classic Mac OS.
    case cr
}

/// How a CSV file is written.
public struct CSVDialect: Sendable, Hashable {
    /// The byte separating fields: one of `;` `,` tab `|`.
    public var delimiter: UInt8

    /// The byte enclosing quoted fields, `"` (0x22) by default.
    public var quote: UInt8

    /// The line terminator, detected from the first line end; `.lf` if the input has none.
    public var lineEnding: CSVLineEnding

    /// Whether the input starts with the UTF-8 byte order mark `EF BB BF`.
    public var hasByteOrderMark: Bool

    /// How quotes that break RFC 4180 are read (strict by default).
    public var quotePolicy: CSVQuotePolicy = .strict

    /// Creates a dialect; the defaults describe a plain RFC 4180 comma-separated file with
    /// LF line ends and no byte order mark.
    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        quote: UInt8 = UInt8(ascii: "\""),
        lineEnding: CSVLineEnding = .lf,
        hasByteOrderMark: Bool = false
    ) {
        self.delimiter = delimiter
        self.quote = quote
        self.lineEnding = lineEnding
        self.hasByteOrderMark = hasByteOrderMark
    }

    /// The delimiters `detect(in:)` chooses from, in tie-breaking order.
    static let candidateDelimiters: [UInt8] = [
        UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|"),
    ]

    /// The UTF-8 byte order mark.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Whether `bytes` starts with the UTF-8 byte order mark.
    static func startsWithByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// Detects the dialect from the header line (the bytes up to the first line end outside
    /// quotes, after a BOM and any empty lines, which the reader skips too).
    ///
    /// Delimiter: the candidate among `;` `,` tab `|` occurring most often outside quotes in the
    /// header line; ties broken in the order `;` `,` tab `|`. If none occurs, `,` (a one-column
    /// file). The quote is always `"`. The line ending is the one ending the header line (`.lf`
    /// when the header line has no terminator).
    public static func detect(in bytes: [UInt8]) -> CSVDialect {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let hasBOM = startsWithByteOrderMark(bytes)
        var counts = [Int](repeating: 0, count: candidateDelimiters.count)
        var lineEnding = CSVLineEnding.lf
        var inQuotes = false
        var index = hasBOM ? 3 : 0
        // The reader skips empty lines, so the header is the first non-empty line.
        while index < bytes.count, bytes[index] == lf || bytes[index] == cr {
            index += 1
        }
        scan: while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                // Toggling also handles "" escapes: two toggles leave the state unchanged.
                inQuotes.toggle()
            } else if !inQuotes {
                switch byte {
                case lf:
                    lineEnding = .lf
                    break scan
                case cr:
                    let next = index + 1
                    lineEnding = next < bytes.count && bytes[next] == lf ? .crlf : .cr
                    break scan
                default:
                    if let slot = candidateDelimiters.firstIndex(of: byte) {
                        counts[slot] += 1
                    }
                }
            }
            index += 1
        }
        var best = UInt8(ascii: ",")
        var bestCount = 0
        for (slot, candidate) in candidateDelimiters.enumerated() where counts[slot] > bestCount {
            best = candidate
            bestCount = counts[slot]
        }
        return CSVDialect(delimiter: best, quote: quote, lineEnding: lineEnding, hasByteOrderMark: hasBOM)
    }

    /// Human name of the delimiter for messages and JSON: "semicolon", "comma", "tab", "pipe",
    /// or the character itself for any other delimiter.
    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: "\t"): "tab"
        case UInt8(ascii: "|"): "pipe"
        default: String(Character(Unicode.Scalar(delimiter)))
        }
    }
}
