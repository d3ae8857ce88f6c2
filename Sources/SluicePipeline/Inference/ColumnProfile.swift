import Foundation
import SluiceSchema

/// What one column's values allow, learned value by value: which types (and spellings) every
/// non-empty value so far fits, the range in each, the distinct values while they are few.
struct ColumnProfile: Sendable {
    /// A way of reading the column that every value so far fits.
    struct Candidate: Sendable {
        var type: ColumnType
        var format: ValueFormat
        /// Smallest and largest value read (numbers; days or microseconds for dates and timestamps).
        var minimum = Double.infinity
        var maximum = -Double.infinity
        /// The compiled pattern of a date or timestamp candidate.
        var pattern: TemporalPattern?
    }

    /// Distinct values kept for an `allowed` list; past this the column is not categorical.
    static let distinctLimit = 12

    let name: String
    private(set) var candidates: [Candidate]
    private(set) var values = 0
    private(set) var empties = 0
    /// Characters of the longest value (by bytes).
    private(set) var longest = 0
    private var longestBytes = 0
    /// The distinct trimmed values while there are at most ``distinctLimit``; `nil` after.
    private(set) var distinct: Set<String>? = []

    /// Date patterns tried, most specific first; ISO is the default and needs no `format:`.
    static let datePatterns = [nil, "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y.%m.%d"]
    static let timestampPatterns = [
        nil, "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    ]

    /// A fresh profile; `semicolonFile` puts decimal-comma readings of numbers before
    /// thousands-comma ones (in a `,`-separated file a comma inside a number is more likely grouping).
    init(name: String, semicolonFile: Bool) {
        self.name = name
        var candidates: [Candidate] = []
        candidates.append(
            Candidate(type: .boolean, format: ValueFormat(trueValues: ["true", "yes"], falseValues: ["false", "no"])))
        let comma = UInt8(ascii: ","), point = UInt8(ascii: "."), space = UInt8(ascii: " "),
            apostrophe = UInt8(ascii: "'")
        var numberFormats: [ValueFormat] = [ValueFormat()]
        let decimalComma = [
            ValueFormat(decimalSeparator: comma), ValueFormat(decimalSeparator: comma, thousandsSeparator: point),
            ValueFormat(decimalSeparator: comma, thousandsSeparator: space),
        ]
        let groupedPoint = [ValueFormat(thousandsSeparator: comma), ValueFormat(thousandsSeparator: apostrophe)]
        numberFormats += semicolonFile ? decimalComma + groupedPoint : groupedPoint + decimalComma
        for type in [ColumnType.integer, .real] {
            for format in numberFormats
            where !(type == .integer && format.thousandsSeparator == nil && !format.hasPlainNumbers) {
                candidates.append(Candidate(type: type, format: format))
            }
        }
        for (type, patterns) in [(ColumnType.date, Self.datePatterns), (.timestamp, Self.timestampPatterns)] {
            for pattern in patterns {
                let compiled =
                    pattern.flatMap { try? TemporalPattern.compile($0, forTimestamp: type == .timestamp).get() }
                    ?? (type == .date ? .isoDate : .isoTimestamp)
                candidates.append(
                    Candidate(type: type, format: ValueFormat(temporalPattern: pattern), pattern: compiled))
            }
        }
        self.candidates = candidates
    }

    /// Takes one raw value (as the reader returned it, unquoted), trimmed of ASCII whitespace
    /// as the validator trims it.
    mutating func add(_ raw: ArraySlice<UInt8>) {
        var value = raw
        while let first = value.first, FieldParser.isASCIIWhitespace(first) { value.removeFirst() }
        while let last = value.last, FieldParser.isASCIIWhitespace(last) { value.removeLast() }
        values += 1
        if value.isEmpty {
            empties += 1
            return
        }
        if value.count > longestBytes {
            longestBytes = value.count
            longest = String(decoding: value, as: UTF8.self).count
        }
        if distinct != nil {
            distinct!.insert(String(decoding: value, as: UTF8.self))
            if distinct!.count > Self.distinctLimit { distinct = nil }
        }
        guard !candidates.isEmpty else { return }
        let bytes = Array(value)
        var kept = 0
        for index in candidates.indices where Self.accept(bytes, into: &candidates[index]) {
            candidates.swapAt(kept, index)
            kept += 1
        }
        candidates.removeLast(candidates.count - kept)
    }

    /// Reads `bytes` as `candidate` would, widening its range; false when it does not fit.
    private static func accept(_ bytes: [UInt8], into candidate: inout Candidate) -> Bool {
        let number: Double?
        switch candidate.type {
        case .boolean:
            let lowered = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            return (candidate.format.trueValues + candidate.format.falseValues).contains { Array($0.utf8) == lowered }
        case .integer, .real:
            // Codes written with leading zeros (007) and exponents (1E5) stay text: as numbers
            // they would not be kept as written.
            let digits =
                bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
            if digits.count > 1, digits.first == UInt8(ascii: "0"), let next = digits.dropFirst().first, next >= 0x30,
                next <= 0x39
            {
                return false
            }
            if bytes.contains(UInt8(ascii: "e")) || bytes.contains(UInt8(ascii: "E")) { return false }
            let plain =
                candidate.format.hasPlainNumbers
                ? bytes
                : NumberNormalizer.plain(
                    bytes.span, decimal: candidate.format.decimalSeparator,
                    thousands: candidate.format.thousandsSeparator)
            guard let plain else { return false }
            if candidate.type == .integer {
                guard case .value(let integer) = FieldParser.parseInteger(plain.span) else { return false }
                number = Double(integer)
            } else {
                // A whole number that a double does not hold exactly (beyond 2^53, as 20-digit
                // ids are) would not be kept as written either: 12345678901234567890 would load
                // as 1.2345678901234567e19. Such a column stays text.
                if !plain.contains(UInt8(ascii: ".")) {
                    guard case .value(let integer) = FieldParser.parseInteger(plain.span), integer.magnitude < 1 << 53
                    else { return false }
                }
                number = FieldParser.parseReal(plain.span)
            }
        case .date:
            number = candidate.pattern?.days(bytes.span).map(Double.init)
        case .timestamp:
            number = candidate.pattern?.microseconds(bytes.span).map(Double.init)
        case .text:
            return true
        }
        guard let number else { return false }
        candidate.minimum = min(candidate.minimum, number)
        candidate.maximum = max(candidate.maximum, number)
        return true
    }

    /// The first candidate still standing (they are in order of preference), or `nil` for text.
    var best: Candidate? {
        guard values > empties else { return nil }
        return candidates.first
    }

    /// Whether every value was empty.
    var isAllEmpty: Bool { values == empties }
}
