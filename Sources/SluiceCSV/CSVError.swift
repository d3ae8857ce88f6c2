/// A malformed-CSV error with its location.
///
/// The location points at the byte that made the input malformed: the opening quote of an
/// unterminated field, the stray quote inside an unquoted field, or the first byte after a
/// closing quote that is neither a delimiter nor a line end.
///
/// ```
/// students.csv:12:7: error: quote inside an unquoted field; …
/// ```
public struct CSVError: Error, Sendable, CustomStringConvertible {
    /// The kind of malformation, as an extensible set of values (new codes may be added
    /// without breaking `switch`-free callers; compare with `==`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The closed set of codes known to this version of the module.
        private enum Kind: Hashable, Sendable {
            case unterminatedQuote
            case unexpectedQuote
            case textAfterClosingQuote
            case fieldTooLarge
            case recordTooLarge
            case tooManyFields
            case binaryFile
            case invalidEncoding
            case dialectError
        }

        /// The underlying code.
        private let kind: Kind

        /// Wraps a private kind.
        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// A quoted field was opened and the input ended before its closing quote.
        public static var unterminatedQuote: Code { Code(.unterminatedQuote) }

        /// A quote character appeared inside a field that did not start with a quote.
        public static var unexpectedQuote: Code { Code(.unexpectedQuote) }

        /// A closing quote was followed by something other than a delimiter, a line end or
        /// the end of input, as in `"ab"c;`.
        public static var textAfterClosingQuote: Code { Code(.textAfterClosingQuote) }

        /// A field is longer than ``CSVReaderLimits/maxFieldBytes`` (`field-too-large`).
        public static var fieldTooLarge: Code { Code(.fieldTooLarge) }

        /// A record is longer than ``CSVReaderLimits/maxRecordBytes`` (`line-too-large`).
        public static var recordTooLarge: Code { Code(.recordTooLarge) }

        /// A record has more fields than ``CSVReaderLimits/maxFields`` (`too-many-columns`).
        public static var tooManyFields: Code { Code(.tooManyFields) }

        /// The input is not text: NUL bytes or the signature of a compressed or binary format (`binary-file`).
        public static var binaryFile: Code { Code(.binaryFile) }

        /// The bytes are not valid in the file's encoding (`invalid-encoding`).
        public static var invalidEncoding: Code { Code(.invalidEncoding) }

        /// The delimiter, quote or header cannot be told with confidence (`dialect-error`).
        public static var dialectError: Code { Code(.dialectError) }

        /// The stable kebab-case identifier of the code, e.g. `unterminated-quote`.
        public var description: String {
            switch kind {
            case .unterminatedQuote: "unterminated-quote"
            case .unexpectedQuote: "unexpected-quote"
            case .textAfterClosingQuote: "text-after-quote"
            case .fieldTooLarge: "field-too-large"
            case .recordTooLarge: "line-too-large"
            case .tooManyFields: "too-many-columns"
            case .binaryFile: "binary-file"
            case .invalidEncoding: "invalid-encoding"
            case .dialectError: "dialect-error"
            }
        }
    }

    /// What kind of malformation was found.
    public var code: Code

    /// The name of the file being read, or `nil` for anonymous input.
    public var file: String?

    /// The 1-based physical line of the offending byte.
    public var line: Int

    /// The 1-based byte column of the offending byte within its line (a byte order mark at the
    /// start of the input is not counted).
    public var column: Int

    /// The 0-based offset of the offending byte in the input.
    public var byteOffset: Int

    /// A human explanation of what went wrong and how to fix it.
    public var message: String

    /// What to do about it, when that is worth saying apart from the message.
    public var hint: String?

    /// Creates an error from its parts.
    public init(
        code: Code, file: String? = nil, line: Int, column: Int, byteOffset: Int, message: String, hint: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.message = message
        self.hint = hint
    }

    /// The error in compiler style: `students.csv:12:7: error: <message>`, with `<input>` as the
    /// file name when `file` is `nil`.
    public var description: String {
        "\(file ?? "<input>"):\(line):\(column): error: \(message)"
    }
}

extension CSVError {
    /// Builds the error for `code` with the standard message for the given quote and delimiter.
    static func make(
        _ code: Code, file: String?, line: Int, column: Int, byteOffset: Int, dialect: CSVDialect
    ) -> CSVError {
        let quote = Self.printable(dialect.quote)
        let delimiter = Self.printable(dialect.delimiter)
        let doubled = String(repeating: String(UnicodeScalar(dialect.quote)), count: 2)
        let message: String
        let hint: String
        switch code {
        case .unterminatedQuote:
            hint = "add the closing \(quote), and write any \(quote) inside the field twice (\(doubled))"
            message = "quoted field opened here is never closed (\(code)); " + hint
        case .unexpectedQuote:
            hint = "quote the whole field and write the inner \(quote) twice (\(doubled))"
            message = "\(quote) inside a field that does not start with \(quote) (\(code)); " + hint
        default:
            hint =
                "only \(delimiter) or a line end may follow it; write a \(quote) that is part of the data twice (\(doubled))"
            message = "unexpected text after the closing \(quote) of a quoted field (\(code)); " + hint
        }
        return CSVError(
            code: code, file: file, line: line, column: column, byteOffset: byteOffset, message: message, hint: hint)
    }

    /// A byte shown for messages: the ASCII character in single quotes, or its hex value.
    private static func printable(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\t"): "tab"
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
