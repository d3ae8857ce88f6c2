/// The one number format of every view meant for people: the terminal table of `sluice query`
/// and `sluice report`, the HTML report, the dashboard's tables, charts and counters.
///
/// The rule, the same whatever the locale:
/// - thousands are separated by `,` and the decimal mark is `.` (`1,226`, `1,232.8`);
/// - whole numbers have no fraction (`10`, never `10.0`); integers are exact at any size;
/// - other reals keep at most two decimals, trailing zeros dropped (`3.33`, `4.5`, `-0.5`);
/// - a real closer to zero than 0.01 is never shown as `0`: it keeps two significant digits
///   (`0.004`, `0.00012`), in scientific form below one millionth (`1.2e-7`);
/// - reals beyond ±10¹⁸ are written in Swift's shortest scientific form (`1e+20`), and
///   non-finite ones as `NaN`, `∞` and `-∞`.
///
/// Machine outputs (CSV, JSON, Markdown) do not use it: they keep every value exact.
///
/// ```swift
/// ReadableNumber.text(1232.8)        // "1,232.8"
/// ReadableNumber.text(Int64(25_000)) // "25,000"
/// ReadableNumber.text(of: .real(10)) // "10"
/// ```
public enum ReadableNumber {
    /// An integer with `,` between thousands (`-1,234,567`).
    public static func text(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A real number by the rule above.
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let magnitude = abs(value)
        guard magnitude < 1e18 else { return String(value) }
        let sign = value < 0 ? "-" : ""
        let hundredths = (magnitude * 100).rounded()
        if hundredths == 0 {
            return magnitude == 0 ? "0" : sign + smallFraction(magnitude)
        }
        // Above 2⁵³ hundredths a double has no fraction left to show: group the whole part exactly.
        guard hundredths < 9e15 else { return sign + text(Int64(magnitude.rounded())) }
        let count = Int64(hundredths)
        var out = text(count / 100)
        let fraction = count % 100
        if fraction != 0 {
            out += fraction % 10 == 0 ? ".\(fraction / 10)" : (fraction < 10 ? ".0\(fraction)" : ".\(fraction)")
        }
        return sign + out
    }

    /// A cell of a table for people: numbers by the rule above, text as it is, `NULL` as an empty
    /// string and a blob as hex (both as ``SQLiteValue/displayText`` shows them).
    public static func text(of value: SQLiteValue) -> String {
        switch value {
        case .integer(let number): text(number)
        case .real(let number): text(number)
        default: value.displayText
        }
    }

    /// A magnitude in (0, 0.005) with two significant digits: `0.004`, `0.00012`, `1.2e-7`.
    private static func smallFraction(_ magnitude: Double) -> String {
        // magnitude = rest × 10^exponent with rest in [1, 10).
        var exponent = 0
        var rest = magnitude
        while rest < 1 {
            rest *= 10
            exponent -= 1
        }
        var digits = Int((rest * 10).rounded())
        if digits >= 100 {  // 9.96 rounds up to the next power of ten
            digits = 10
            exponent += 1
        }
        let shown = digits % 10 == 0 ? String(digits / 10) : String(digits)
        if exponent < -6 {
            let mantissa = digits % 10 == 0 ? shown : "\(digits / 10).\(digits % 10)"
            return "\(mantissa)e\(exponent)"
        }
        // "0.", then (−exponent − 1) zeros, then the significant digits.
        return "0." + String(repeating: "0", count: -exponent - 1) + shown
    }
}
