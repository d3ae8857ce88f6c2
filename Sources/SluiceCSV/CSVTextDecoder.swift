/// Text encodings Sluice reads. Everything is turned into UTF-8 before parsing.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable, Codable {
    /// UTF-8, with or without a byte order mark (the default).
    case utf8 = "utf-8"
    /// UTF-16 little-endian (detected from its byte order mark, or configured).
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian (detected from its byte order mark, or configured).
    case utf16BE = "utf-16be"
    /// Windows code page 1252 (Western European); only when configured.
    case windows1252 = "windows-1252"
    /// ISO 8859-1 (Latin-1); only when configured.
    case latin1 = "iso-8859-1"
}

/// A file's bytes turned into UTF-8, and what they were.
public struct DecodedText: Sendable {
    /// UTF-8 bytes without a byte order mark, ready for ``CSVReader``.
    public var utf8: [UInt8]
    /// The encoding the file was read as.
    public var encoding: CSVEncoding
    /// Whether the file started with a byte order mark.
    public var hadByteOrderMark: Bool
}

/// Turns a file's bytes into validated UTF-8, refusing what is not text.
///
/// UTF-8 (BOM or not) is validated; UTF-16 with a byte order mark is transcoded; Windows-1252
/// and Latin-1 are used only when configured, never guessed. Binary input (a NUL byte, or the
/// signature of gzip, zip, PDF, …) and invalid bytes throw ``CSVError`` naming the byte
/// offset and a fix. Nothing is ever replaced with U+FFFD.
public enum CSVTextDecoder {
    /// Decodes `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - encoding: A configured encoding, or `nil` to take UTF-8 unless a UTF-16 BOM says otherwise.
    ///   - file: The name used in errors.
    public static func decode(_ bytes: [UInt8], encoding: CSVEncoding? = nil, file: String? = nil) throws(CSVError)
        -> DecodedText
    {
        if let signature = BinarySignature.match(bytes) {
            throw CSVError(
                code: .binaryFile, file: file, line: 1, column: 1, byteOffset: 0,
                message: "this is \(signature.name), not CSV text (binary-file)", hint: signature.hint)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            if encoding == nil || encoding == .utf16LE || encoding == .utf16BE {
                return DecodedText(
                    utf8: try UTF16Transcoder.transcode(bytes, from: 2, littleEndian: littleEndian, file: file),
                    encoding: littleEndian ? .utf16LE : .utf16BE, hadByteOrderMark: true)
            }
        }
        switch encoding ?? .utf8 {
        case .utf8:
            let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            let body = hasBOM ? Array(bytes[3...]) : bytes
            try refuseNUL(body, offsetBase: hasBOM ? 3 : 0, file: file)
            if let bad = UTF8Validator.firstInvalidOffset(in: body) {
                throw invalidUTF8(at: bad + (hasBOM ? 3 : 0), in: bytes, file: file)
            }
            return DecodedText(utf8: body, encoding: .utf8, hadByteOrderMark: hasBOM)
        case .utf16LE, .utf16BE:
            return DecodedText(
                utf8: try UTF16Transcoder.transcode(bytes, from: 0, littleEndian: encoding == .utf16LE, file: file),
                encoding: encoding ?? .utf16LE, hadByteOrderMark: false)
        case .windows1252, .latin1:
            try refuseNUL(bytes, offsetBase: 0, file: file)
            return DecodedText(
                utf8: try SingleByteTranscoder.transcode(bytes, windows1252: encoding == .windows1252, file: file),
                encoding: encoding ?? .latin1, hadByteOrderMark: false)
        }
    }

    /// A NUL byte never appears in CSV text: refuse the file, pointing at it.
    private static func refuseNUL(_ bytes: [UInt8], offsetBase: Int, file: String?) throws(CSVError) {
        guard let offset = bytes.firstIndex(of: 0) else { return }
        let position = TextPosition(of: offset, in: bytes)
        let looksUTF16 = offset < 4 && bytes.count > 1
        throw CSVError(
            code: .binaryFile, file: file, line: position.line, column: position.column,
            byteOffset: offset + offsetBase,
            message: "NUL byte at offset \(offset + offsetBase): this is not CSV text (binary-file)",
            hint: looksUTF16
                ? "it may be UTF-16 without a byte order mark: save it with a BOM, or set dialect.encoding: utf-16le"
                : "check that the right file was delivered")
    }

    /// The error for invalid UTF-8 at `offset`, with a fix.
    private static func invalidUTF8(at offset: Int, in bytes: [UInt8], file: String?) -> CSVError {
        let position = TextPosition(of: offset, in: bytes)
        let byte = "0x" + String(bytes[offset], radix: 16, uppercase: true)
        return CSVError(
            code: .invalidEncoding, file: file, line: position.line, column: position.column, byteOffset: offset,
            message: "byte \(byte) at offset \(offset) is not valid UTF-8 (invalid-encoding)",
            hint:
                "save the file as UTF-8; if it is Windows-1252 or Latin-1 text, set `dialect: {encoding: windows-1252}` in sluice.yaml"
        )
    }
}

/// The 1-based line and column of a byte offset (lines end at LF, CR or CRLF).
struct TextPosition {
    var line = 1
    var column = 1

    init(of offset: Int, in bytes: [UInt8]) {
        var index = 0
        var lineStart = 0
        while index < offset, index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        column = offset - lineStart + 1
    }
}

/// Signatures of binary formats that are sometimes delivered by mistake.
struct BinarySignature {
    let name: String
    let hint: String
    let magic: [UInt8]

    static let known: [BinarySignature] = [
        BinarySignature(name: "a gzip-compressed file", hint: "decompress it first (gunzip)", magic: [0x1F, 0x8B]),
        BinarySignature(
            name: "a zip archive (or an Excel .xlsx workbook)", hint: "unzip it, or export the sheet as CSV",
            magic: [0x50, 0x4B, 0x03, 0x04]),
        BinarySignature(name: "a PDF document", hint: "export the table as CSV", magic: Array("%PDF".utf8)),
        BinarySignature(
            name: "a zstd-compressed file", hint: "decompress it first (unzstd)", magic: [0x28, 0xB5, 0x2F, 0xFD]),
        BinarySignature(
            name: "a bzip2-compressed file", hint: "decompress it first (bunzip2)", magic: Array("BZh".utf8)),
        BinarySignature(
            name: "an xz-compressed file", hint: "decompress it first (unxz)",
            magic: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
        BinarySignature(
            name: "a SQLite database", hint: "query it directly, or export a table as CSV",
            magic: Array("SQLite format 3".utf8)),
        BinarySignature(name: "a Parquet file", hint: "export it as CSV", magic: Array("PAR1".utf8)),
        BinarySignature(
            name: "a PNG image", hint: "check that the right file was delivered", magic: [0x89, 0x50, 0x4E, 0x47]),
        BinarySignature(
            name: "an old Excel .xls workbook", hint: "export the sheet as CSV", magic: [0xD0, 0xCF, 0x11, 0xE0]),
    ]

    static func match(_ bytes: [UInt8]) -> BinarySignature? {
        known.first { bytes.starts(with: $0.magic) }
    }
}
