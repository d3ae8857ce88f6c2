/// Dates and timestamps as Sluice keeps them: days, or microseconds, since 1970-01-01 (proleptic
/// Gregorian calendar, no time zone), and their ISO 8601 text, which is what the warehouse
/// stores so SQLite's date functions work on it.
public enum CalendarValue {
    /// Microseconds in one day.
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 of a valid civil date (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count (Howard Hinnant's `civil_from_days`).
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD`.
    public static func isoDate(days: Int64) -> String {
        let (year, month, day) = civil(days: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYY-MM-DD HH:MM:SS`, with `.ffffff` only when the fraction is not zero (SQLite's form;
    /// the texts sort in time order).
    public static func isoTimestamp(microseconds: Int64) -> String {
        var days = microseconds / microsecondsPerDay
        var rest = microseconds % microsecondsPerDay
        if rest < 0 {
            days -= 1
            rest += microsecondsPerDay
        }
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        var text =
            isoDate(days: days) + " " + pad(Int(seconds / 3600), 2) + ":" + pad(Int(seconds / 60 % 60), 2)
            + ":" + pad(Int(seconds % 60), 2)
        if fraction != 0 { text += "." + pad(Int(fraction), 6) }
        return text
    }

    /// Days since 1970-01-01 of ISO text `YYYY-MM-DD`, or `nil`.
    public static func days(iso text: String) -> Int64? {
        TemporalPattern.isoDate.days(Array(text.utf8).span)
    }

    /// Microseconds since 1970-01-01 of ISO text (`YYYY-MM-DD`, `T` or a space, `HH:MM[:SS[.f]]`), or `nil`.
    public static func microseconds(iso text: String) -> Int64? {
        TemporalPattern.isoTimestamp.microseconds(Array(text.utf8).span)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A compiled date or timestamp format: strftime-style directives `%Y` (4-digit year), `%m`,
/// `%d`, `%H`, `%M`, `%S` (1 or 2 digits), `%f` (1–9 fraction digits, kept to microseconds),
/// `%%`; any other character must appear as written.
public struct TemporalPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case year, month, day, hour, minute, second, fraction
        case literal(UInt8)
        /// ISO 8601's time part: `T` or a space, `HH:MM`, optional `:SS`, optional `.fraction`.
        case isoTime
    }

    let tokens: [Token]
    /// Whether the two-digit fields need exactly two digits (ISO) rather than one or two.
    let strictWidths: Bool

    /// ISO 8601 dates: `YYYY-MM-DD`.
    public static let isoDate = TemporalPattern(
        tokens: [.year, .literal(0x2D), .month, .literal(0x2D), .day], strictWidths: true)
    /// ISO 8601 timestamps: a date, then `T` or a space and `HH:MM[:SS[.f]]`; a date alone is midnight.
    public static let isoTimestamp = TemporalPattern(tokens: isoDate.tokens + [.isoTime], strictWidths: true)

    init(tokens: [Token], strictWidths: Bool) {
        self.tokens = tokens
        self.strictWidths = strictWidths
    }

    /// Compiles `pattern`, or returns why it cannot be used.
    public static func compile(_ pattern: String, forTimestamp: Bool) -> Result<TemporalPattern, PatternProblem> {
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                tokens.append(.literal(byte))
                continue
            }
            guard let directive = bytes.popFirst() else { return .failure(PatternProblem("it ends with a lone %")) }
            switch directive {
            case UInt8(ascii: "Y"): tokens.append(.year)
            case UInt8(ascii: "m"): tokens.append(.month)
            case UInt8(ascii: "d"): tokens.append(.day)
            case UInt8(ascii: "H"): tokens.append(.hour)
            case UInt8(ascii: "M"): tokens.append(.minute)
            case UInt8(ascii: "S"): tokens.append(.second)
            case UInt8(ascii: "f"): tokens.append(.fraction)
            case UInt8(ascii: "%"): tokens.append(.literal(byte))
            default:
                return .failure(
                    PatternProblem(
                        "%\(Character(Unicode.Scalar(directive))) is not supported (use %Y %m %d %H %M %S %f %%)"))
            }
        }
        for needed in [Token.year, .month, .day] where !tokens.contains(needed) {
            return .failure(PatternProblem("it needs %Y, %m and %d"))
        }
        let timeTokens: [Token] = [.hour, .minute, .second, .fraction]
        if !forTimestamp, tokens.contains(where: timeTokens.contains) {
            return .failure(PatternProblem("a date format cannot hold a time (%H %M %S %f); use type timestamp"))
        }
        for token in [Token.year, .month, .day] + timeTokens where tokens.filter({ $0 == token }).count > 1 {
            return .failure(PatternProblem("a directive appears twice"))
        }
        return .success(TemporalPattern(tokens: tokens, strictWidths: false))
    }

    /// Why a pattern cannot be compiled.
    public struct PatternProblem: Error, Sendable, Hashable {
        /// The explanation.
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// Days since 1970-01-01 of a value in this pattern (time fields must be zero), or `nil`.
    public func days(_ bytes: Span<UInt8>) -> Int64? {
        guard let micros = microseconds(bytes), micros % CalendarValue.microsecondsPerDay == 0 else { return nil }
        return micros / CalendarValue.microsecondsPerDay
    }

    /// Microseconds since 1970-01-01 of a value in this pattern, or `nil` when it does not match
    /// or names no real date or time.
    public func microseconds(_ bytes: Span<UInt8>) -> Int64? {
        var fields = (year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micros: 0)
        var index = 0
        func digits(min: Int, max: Int) -> Int? {
            var value = 0
            var count = 0
            while count < max, index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            return count >= min ? value : nil
        }
        func fraction() -> Int? {
            var micros = 0
            var count = 0
            while count < 9, index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if count < 6 { micros = micros * 10 + Int(bytes[index] - 0x30) }
                index += 1
                count += 1
            }
            guard count > 0 else { return nil }
            if count < 6 { for _ in count..<6 { micros *= 10 } }
            return micros
        }
        let narrow = strictWidths ? 2 : 1
        for token in tokens {
            switch token {
            case .year: guard let value = digits(min: 4, max: 4) else { return nil }; fields.year = value
            case .month: guard let value = digits(min: narrow, max: 2) else { return nil }; fields.month = value
            case .day: guard let value = digits(min: narrow, max: 2) else { return nil }; fields.day = value
            case .hour: guard let value = digits(min: narrow, max: 2) else { return nil }; fields.hour = value
            case .minute: guard let value = digits(min: narrow, max: 2) else { return nil }; fields.minute = value
            case .second: guard let value = digits(min: narrow, max: 2) else { return nil }; fields.second = value
            case .fraction: guard let value = fraction() else { return nil }; fields.micros = value
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            case .isoTime:
                guard index < bytes.count else { break }
                guard bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " ") else { return nil }
                index += 1
                guard let hour = digits(min: 2, max: 2), index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    return nil
                }
                index += 1
                guard let minute = digits(min: 2, max: 2) else { return nil }
                (fields.hour, fields.minute) = (hour, minute)
                if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                    index += 1
                    guard let second = digits(min: 2, max: 2) else { return nil }
                    fields.second = second
                    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                        index += 1
                        guard let micros = fraction() else { return nil }
                        fields.micros = micros
                    }
                }
            }
        }
        guard index == bytes.count, fields.year >= 1, (1...12).contains(fields.month),
            (1...CalendarValue.daysInMonth(year: fields.year, month: fields.month)).contains(fields.day),
            fields.hour < 24, fields.minute < 60, fields.second < 60
        else { return nil }
        let days = CalendarValue.days(year: fields.year, month: fields.month, day: fields.day)
        let seconds = Int64(fields.hour * 3600 + fields.minute * 60 + fields.second)
        return days * CalendarValue.microsecondsPerDay + seconds * 1_000_000 + Int64(fields.micros)
    }
}

extension CalendarValue {
    /// The ISO text of a date (days) or timestamp (microseconds) value of a column of `type`.
    public static func isoText(_ value: Int64, type: ColumnType) -> String {
        type == .date ? isoDate(days: value) : isoTimestamp(microseconds: value)
    }

    /// The value of ISO text in a date or timestamp column of `type` (days or microseconds), or `nil`.
    public static func value(iso text: String, type: ColumnType) -> Int64? {
        type == .date ? days(iso: text) : microseconds(iso: text)
    }
}
