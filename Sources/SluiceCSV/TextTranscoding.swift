/// Strict UTF-8 validation: no overlong forms, no surrogates, nothing above U+10FFFF.
enum UTF8Validator {
    /// The offset of the first byte that starts an invalid sequence, or `nil` if all is valid.
    /// - Complexity: O(n); ASCII runs cost one comparison a byte.
    static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowerSecond: UInt8 = 0x80
            var upperSecond: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperSecond = 0x9F  // no surrogates
            case 0xF0: length = 4; lowerSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperSecond = 0x8F  // nothing above U+10FFFF
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= lowerSecond, second <= upperSecond else { return index }
            for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }
}

/// UTF-16 (either byte order) to UTF-8, refusing unpaired surrogates and odd lengths.
enum UTF16Transcoder {
    static func transcode(_ bytes: [UInt8], from start: Int, littleEndian: Bool, file: String?) throws(CSVError)
        -> [UInt8]
    {
        guard (bytes.count - start) % 2 == 0 else {
            throw CSVError(
                code: .invalidEncoding, file: file, line: 1, column: 1, byteOffset: bytes.count - 1,
                message: "UTF-16 text has an odd number of bytes (invalid-encoding)",
                hint: "the file is truncated or not UTF-16; save it again as UTF-8")
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 2)
        var index = start
        func unit(at offset: Int) -> UInt32 {
            littleEndian
                ? UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                : UInt32(bytes[offset]) << 8 | UInt32(bytes[offset + 1])
        }
        while index < bytes.count {
            var scalar = unit(at: index)
            let offset = index
            index += 2
            if scalar == 0 {
                throw CSVError(
                    code: .binaryFile, file: file, line: 1, column: 1, byteOffset: offset,
                    message: "NUL character at offset \(offset) in UTF-16 text (binary-file)",
                    hint: "check that the right file was delivered")
            }
            if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count {
                let low = unit(at: index)
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 2
                }
            }
            guard let value = Unicode.Scalar(scalar) else {
                throw CSVError(
                    code: .invalidEncoding, file: file, line: 1, column: 1, byteOffset: offset,
                    message: "unpaired UTF-16 surrogate at offset \(offset) (invalid-encoding)",
                    hint: "save the file again as UTF-8 or valid UTF-16")
            }
            UTF8.encode(value) { output.append($0) }
        }
        return output
    }
}

/// Windows-1252 and Latin-1 to UTF-8. Every Latin-1 byte maps; the five bytes Windows-1252
/// leaves undefined are refused rather than guessed.
enum SingleByteTranscoder {
    /// Windows-1252's characters for 0x80–0x9F (0 where the code page defines none).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    static func transcode(_ bytes: [UInt8], windows1252: Bool, file: String?) throws(CSVError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for (offset, byte) in bytes.enumerated() {
            if byte < 0x80 {
                output.append(byte)
                continue
            }
            var scalar = UInt32(byte)
            if windows1252, (0x80...0x9F).contains(byte) {
                scalar = windows1252High[Int(byte - 0x80)]
                guard scalar != 0 else {
                    let position = TextPosition(of: offset, in: bytes)
                    throw CSVError(
                        code: .invalidEncoding, file: file, line: position.line, column: position.column,
                        byteOffset: offset,
                        message:
                            "byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset) is not defined in Windows-1252 (invalid-encoding)",
                        hint: "check the file's real encoding and set dialect.encoding to it")
                }
            }
            UTF8.encode(Unicode.Scalar(scalar)!) { output.append($0) }
        }
        return output
    }
}
