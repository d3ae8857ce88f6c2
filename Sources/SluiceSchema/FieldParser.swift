/// Byte-level parsing of raw CSV field values, without intermediate strings or regexes.
enum FieldParser {
    /// The result of reading an integer.
    enum IntegerResult: Equatable {
        case value(Int64)
        case notAnInteger
        case overflow
    }

    /// Longest value text kept in an issue.
    static let displayLimit = 200

    /// True for space, tab, LF, VT, FF and CR.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// The bytes without leading and trailing ASCII whitespace.
    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// True when `bytes` is empty or whitespace only.
    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy(isASCIIWhitespace)
    }

    /// True when every byte is below 0x80.
    static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// True when `bytes` is well-formed UTF-8.
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Reads an optional sign followed by one or more ASCII digits, fitting in `Int64`.
    static func parseInteger(_ bytes: ArraySlice<UInt8>) -> IntegerResult {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.endIndex else { return .notAnInteger }
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return .notAnInteger }
            if !overflow {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
                overflow = o1 || o2
                magnitude = sum
            }
            index += 1
        }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard !overflow, magnitude <= limit else { return .overflow }
        if negative {
            return .value(magnitude == limit ? Int64.min : -Int64(magnitude))
        }
        return .value(Int64(magnitude))
    }

    /// Reads a finite decimal number (`12`, `-0.5`, `.5`, `1e3`); rejects `nan`, `inf`, hex
    /// and anything that overflows to infinity.
    static func parseReal(_ bytes: ArraySlice<UInt8>) -> Double? {
        if case .value(let integer) = parseInteger(bytes), integer.magnitude < (1 << 53) {
            return Double(integer)
        }
        var digits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
        }
        guard digits > 0, let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else {
            return nil
        }
        return value
    }

    /// The value for display in an issue: decoded (invalid bytes shown as U+FFFD) and cut to
    /// ``displayLimit`` characters.
    static func display(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(displayLimit * 4), as: UTF8.self)
        guard text.count > displayLimit else { return text }
        return String(text.prefix(displayLimit))
    }
}
