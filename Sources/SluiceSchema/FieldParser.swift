/// Byte-level parsing of raw CSV field values, without intermediate strings or regexes.
///
/// Works on `Span<UInt8>`: a field is a view of the file's bytes, so parsing copies nothing
/// and costs no reference counting.
package enum FieldParser {
    /// The result of reading an integer.
    package enum IntegerResult: Equatable {
        case value(Int64)
        case notAnInteger
        case overflow
    }

    /// Longest value text kept in an issue.
    static let displayLimit = 200

    /// True for space, tab, LF, VT, FF and CR.
    @inline(__always)
    package static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// The range of `bytes` without leading and trailing ASCII whitespace.
    @inline(__always)
    static func trimmedRange(_ bytes: Span<UInt8>) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// True when `bytes` is well-formed UTF-8.
    static func isValidUTF8(_ bytes: Span<UInt8>) -> Bool {
        (try? UTF8Span(validating: bytes)) != nil
    }

    /// The bytes as a string, or `nil` when they are not well-formed UTF-8 (never repaired).
    static func string(validating bytes: Span<UInt8>) -> String? {
        guard let text = try? UTF8Span(validating: bytes) else { return nil }
        return String(copying: text)
    }

    /// Reads an optional sign followed by one or more ASCII digits, fitting in `Int64`.
    package static func parseInteger(_ bytes: Span<UInt8>) -> IntegerResult {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { return .notAnInteger }
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count {
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
    package static func parseReal(_ bytes: Span<UInt8>) -> Double? {
        if case .value(let integer) = parseInteger(bytes), integer.magnitude < (1 << 53) {
            return Double(integer)
        }
        var digits = 0
        var text = ""
        for index in bytes.indices {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
            text.unicodeScalars.append(Unicode.Scalar(byte))
        }
        guard digits > 0, let value = Double(text), value.isFinite else {
            return nil
        }
        return value
    }

    /// The value for display in an issue: decoded (invalid bytes shown as U+FFFD) and cut to
    /// ``displayLimit`` characters.
    static func display(_ bytes: Span<UInt8>) -> String {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(min(bytes.count, displayLimit * 4))
        for index in 0..<min(bytes.count, displayLimit * 4) { prefix.append(bytes[index]) }
        let text = String(decoding: prefix, as: UTF8.self)
        guard text.count > displayLimit else { return text }
        return String(text.prefix(displayLimit))
    }
}
