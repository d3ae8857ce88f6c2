/// Writes a result row by row as it is read, in any ``ResultFormat``, so an export of millions
/// of rows takes constant memory: CSV, JSON and Markdown write every row; the table view (for
/// a terminal) shows the first ``tableRowLimit`` rows and then says how many it left out.
///
/// Text goes to `write` in chunks of about 64 KB. Call ``begin(columns:)`` once, ``add(_:)``
/// per row, then ``finish(truncated:)``.
public final class ResultStreamWriter {
    /// Most rows the table view shows (the rest are counted and reported, never dropped silently).
    public let tableRowLimit: Int
    private let format: ResultFormat
    private let write: (String) -> Void
    private var buffer = ""
    private var columns: [String] = []
    private var tableRows: [[SQLiteValue]] = []
    /// Rows added so far.
    public private(set) var rowCount = 0
    private var wroteMarkdownHeader = false

    /// Creates a writer that hands its text to `write`.
    public init(format: ResultFormat, tableRowLimit: Int = 1_000, write: @escaping (String) -> Void) {
        self.format = format
        self.tableRowLimit = max(1, tableRowLimit)
        self.write = write
    }

    /// Starts the result: its column names.
    public func begin(columns: [String]) {
        self.columns = columns
        switch format {
        case .csv: emit(columns.map(Self.csvField).joined(separator: ",") + "\n")
        case .json: emit("{\"columns\":[" + columns.map(Self.jsonString).joined(separator: ",") + "],\"rows\":[")
        case .markdown, .table: break
        }
    }

    /// Adds one row.
    public func add(_ row: [SQLiteValue]) {
        defer { rowCount += 1 }
        switch format {
        case .csv:
            emit(row.map { Self.csvField($0.displayText) }.joined(separator: ",") + "\n")
        case .json:
            emit((rowCount == 0 ? "\n[" : ",\n[") + row.map(Self.jsonValue).joined(separator: ",") + "]")
        case .markdown:
            if !wroteMarkdownHeader { writeMarkdownHeader(firstRow: row) }
            emit("| " + row.map { Self.markdownCell($0.displayText) }.joined(separator: " | ") + " |\n")
        case .table:
            if tableRows.count < tableRowLimit { tableRows.append(row) }
        }
    }

    /// Ends the result; `truncated` says a row cap stopped it early (JSON's `truncated`, a note
    /// in the table view).
    public func finish(truncated: Bool) {
        switch format {
        case .csv: break
        case .json: emit((rowCount == 0 ? "" : "\n") + "],\"truncated\":\(truncated)}\n")
        case .markdown: if !wroteMarkdownHeader { writeMarkdownHeader(firstRow: nil) }
        case .table:
            var text = ResultFormatter.table(QueryResult(columns: columns, rows: tableRows))
            if rowCount > tableRows.count {
                text +=
                    "(showing \(ReadableNumber.text(Int64(tableRows.count))) of \(ReadableNumber.text(Int64(rowCount)))\(truncated ? "+" : "") rows; --format csv or json writes every row)\n"
            } else if truncated {
                text += "(more rows not shown)\n"
            }
            emit(text)
        }
        flush()
    }

    private func writeMarkdownHeader(firstRow: [SQLiteValue]?) {
        wroteMarkdownHeader = true
        emit("| " + columns.map(Self.markdownCell).joined(separator: " | ") + " |\n")
        emit(
            "|"
                + columns.indices.map { index in
                    firstRow.map { index < $0.count && $0[index].isNumber } == true ? " ---: |" : " --- |"
                }.joined() + "\n")
    }

    private func emit(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        write(buffer)
        buffer = ""
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A Markdown table cell: `|` escaped, line breaks as spaces.
    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// One value as JSON: numbers as numbers (non-finite ones as null), blobs as their `x'…'` text.
    static func jsonValue(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number): number.isFinite ? "\(number)" : "null"
        case .text(let text): jsonString(text)
        case .blob: jsonString(value.displayText)
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    package static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension SQLiteValue {
    /// Whether this is an integer or a real.
    var isNumber: Bool {
        switch self {
        case .integer, .real: true
        default: false
        }
    }
}
