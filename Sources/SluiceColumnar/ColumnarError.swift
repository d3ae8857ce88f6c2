/// An error reading or writing a `.scol` file: a hostile or damaged file, a failed system call,
/// or data that does not match the schema.
///
/// Every failure while reading a file is one of these, never a trap. It names the file and,
/// when the problem is in the file's bytes, the byte offset where it was found:
///
/// ```
/// grades.scol: byte 1234: error: chunk checksum mismatch (row group 0, column 'age')
/// ```
public struct ColumnarError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case io, notColumnar = "not-columnar", unsupportedVersion = "unsupported-version", corrupt,
                checksumMismatch = "checksum-mismatch", limitExceeded = "limit-exceeded",
                invalidUTF8 = "invalid-utf8", invalidArgument = "invalid-argument",
                columnNotFound = "column-not-found", zstd
        }
        private let kind: Kind
        /// A system call failed (open, read, write, fsync, rename); see the message for `errno`.
        public static let io = Code(kind: .io)
        /// The file does not start and end with the `.scol` magic bytes.
        public static let notColumnar = Code(kind: .notColumnar)
        /// The file's major version is not one this reader understands.
        public static let unsupportedVersion = Code(kind: .unsupportedVersion)
        /// A size, count, offset or encoded value in the file is inconsistent.
        public static let corrupt = Code(kind: .corrupt)
        /// A chunk's or the footer's stored checksum does not match its bytes.
        public static let checksumMismatch = Code(kind: .checksumMismatch)
        /// A size or count in the file exceeds a ``ColumnarLimits`` bound.
        public static let limitExceeded = Code(kind: .limitExceeded)
        /// A string in the file is not valid UTF-8.
        public static let invalidUTF8 = Code(kind: .invalidUTF8)
        /// The caller passed data that does not fit the schema or the options.
        public static let invalidArgument = Code(kind: .invalidArgument)
        /// A column named in a scan or predicate is not in the schema.
        public static let columnNotFound = Code(kind: .columnNotFound)
        /// zstd refused to compress or decompress; see the message for zstd's error name.
        public static let zstd = Code(kind: .zstd)
        /// The stable kebab-case identifier.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file being read or written.
    public var file: String
    /// The byte offset in ``file`` where the problem was found, when it is in the file's bytes.
    public var byteOffset: Int?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(code: Code, file: String, byteOffset: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `file: byte N: error: message`, like a compiler diagnostic (`byte N:` only when known).
    public var description: String {
        let location = byteOffset.map { "byte \($0): " } ?? ""
        return "\(file): \(location)error: \(message)"
    }
}

/// A position-independent decoding failure, given its file and absolute offset by the caller.
///
/// Chunk and footer decoders work on one in-memory buffer and know only offsets inside it; the
/// reader adds the buffer's position in the file and the file name when it converts this to a
/// ``ColumnarError``.
struct DecodeFailure: Error {
    var code: ColumnarError.Code
    var offset: Int
    var message: String

    init(_ code: ColumnarError.Code = .corrupt, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// The public error, with the buffer's starting offset in `file` added.
    func error(file: String, base: Int) -> ColumnarError {
        let (absolute, overflow) = base.addingReportingOverflow(offset)
        return ColumnarError(code: code, file: file, byteOffset: overflow ? base : absolute, message: message)
    }
}
