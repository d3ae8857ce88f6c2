import Foundation

/// Escaping and number formatting shared by the SVG charts and the pages.
enum ChartFormat {
    /// Escapes text for XML and HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A value label: whole numbers with thousands separators (`1,234`), others with at most two
    /// decimals and no trailing zeros (`4.5`, `3.33`).
    static func value(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return grouped(Int64(number)) }
        var text = String(format: "%.2f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A tick label: compact above ten thousand (`12k`, `3.5M`), else like ``value(_:)``.
    static func tick(_ number: Double) -> String {
        let magnitude = abs(number)
        if magnitude >= 1e9 { return value(number / 1e9) + "G" }
        if magnitude >= 1e6 { return value(number / 1e6) + "M" }
        if magnitude >= 1e4 { return value(number / 1e3) + "k" }
        return value(number)
    }

    /// An integer with `,` between thousands.
    static func grouped(_ number: Int64) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }

    /// Coordinates with at most one decimal, so the SVG stays small and diffable.
    static func coordinate(_ number: Double) -> String {
        let rounded = (number * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text cut to `limit` characters with an ellipsis.
    static func truncate(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }

    /// Round tick values covering `lower...upper`, about `count` of them (1, 2 or 5 × 10ⁿ apart).
    static func ticks(from lower: Double, to upper: Double, count: Int = 5) -> [Double] {
        var (lower, upper) = (lower, upper)
        if lower == upper {
            if upper == 0 { upper = 1 } else if upper > 0 { lower = 0 } else { upper = 0 }
        }
        let rough = (upper - lower) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(rough)))
        let normalized = rough / magnitude
        let step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude
        let first = floor(lower / step) * step
        let last = ceil(upper / step) * step
        let steps = Int(((last - first) / step).rounded())
        return (0...steps).map { first + Double($0) * step }
    }
}
