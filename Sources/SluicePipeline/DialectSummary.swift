import SluiceCSV

/// How a file was read, as recorded in the ingest record, the ledger and the reason report.
public struct DialectSummary: Sendable, Hashable, Codable {
    /// `utf-8`, `utf-16le`, `utf-16be`, `windows-1252` or `iso-8859-1`.
    public var encoding: String
    /// Whether the file started with a byte order mark.
    public var bom: Bool
    /// The delimiter character.
    public var delimiter: String
    /// Its name: `semicolon`, `comma`, `tab`, `pipe`.
    public var delimiterName: String
    /// The quote character.
    public var quote: String
    /// `lf`, `crlf` or `cr` (the first line end).
    public var lineEnding: String
    /// Whether the first record was taken as the header.
    public var header: Bool
    /// The sniffer's confidence, 0…1 (1 when everything was pinned).
    public var confidence: Double
    /// The delimiter that came second, if another one also split the file.
    public var runnerUp: RunnerUp?
    /// Settings that came from `sluice.yaml` rather than detection.
    public var pinned: [String]
    /// `strict` or `lenient` (absent from records written before quote policies).
    public var quotePolicy: String?
    /// Fields read under the lenient policy that strict reading refuses (absent before quote policies).
    public var lenientFields: Int?

    /// The second-best delimiter.
    public struct RunnerUp: Sendable, Hashable, Codable {
        /// Its character.
        public var delimiter: String
        /// Its confidence.
        public var confidence: Double
        /// How many columns it gave.
        public var columns: Int
    }

    private enum CodingKeys: String, CodingKey {
        case encoding, bom, delimiter, delimiterName = "delimiter_name", quote, lineEnding = "line_ending", header,
            confidence, runnerUp = "runner_up", pinned, quotePolicy = "quote_policy", lenientFields = "lenient_fields"
    }

    init(sniff: CSVSniffResult, text: DecodedText) {
        encoding = text.encoding.rawValue
        bom = text.hadByteOrderMark
        delimiter = String(UnicodeScalar(sniff.dialect.delimiter))
        delimiterName = sniff.dialect.delimiterName
        quote = String(UnicodeScalar(sniff.dialect.quote))
        lineEnding = sniff.dialect.lineEnding.rawValue
        header = sniff.hasHeader
        confidence = (sniff.confidence * 1000).rounded() / 1000
        runnerUp = sniff.runnerUp.map {
            RunnerUp(
                delimiter: String(UnicodeScalar($0.delimiter)), confidence: ($0.confidence * 1000).rounded() / 1000,
                columns: $0.columnCount)
        }
        var pinned: [String] = []
        if sniff.pinned.delimiter != nil { pinned.append("delimiter") }
        if sniff.pinned.quote != nil { pinned.append("quote") }
        if sniff.pinned.hasHeader != nil { pinned.append("header") }
        if sniff.pinned.quotePolicy != .strict { pinned.append("quote_policy") }
        self.pinned = pinned
        quotePolicy = sniff.dialect.quotePolicy.rawValue
        lenientFields = 0
    }

    /// One line for logs and summaries: `utf-8, ';' semicolon, lf, header (confidence 1.0)`.
    public var shortDescription: String {
        "\(encoding)\(bom ? " (BOM)" : ""), '\(delimiter)' \(delimiterName), \(lineEnding), "
            + (header ? "header" : "no header") + ", confidence \(confidence)"
    }
}
