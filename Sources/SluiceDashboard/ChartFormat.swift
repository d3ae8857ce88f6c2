import Foundation
import SluiceWarehouse

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

    /// The one number format of the pages, charts and SQL box: ``ReadableNumber`` (thousands
    /// separated by `,`, at most two decimals, no `.0` on whole numbers; the same as the terminal
    /// table). The page's script formats the SQL box's numbers the same way.
    static func value(_ number: Double) -> String { ReadableNumber.text(number) }

    /// A tick label: compact above ten thousand (`12k`, `3.5M`), else like ``value(_:)``.
    static func tick(_ number: Double) -> String {
        let magnitude = abs(number)
        if magnitude >= 1e9 { return value(number / 1e9) + "G" }
        if magnitude >= 1e6 { return value(number / 1e6) + "M" }
        if magnitude >= 1e4 { return value(number / 1e3) + "k" }
        return value(number)
    }

    /// An integer with `,` between thousands.
    static func grouped(_ number: Int64) -> String { ReadableNumber.text(number) }

    /// A byte count for people: `512 bytes`, `8 MiB`, `1.5 GiB`.
    static func bytes(_ count: Int) -> String {
        let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where count >= size {
            return value(Double(count) / Double(size)) + " " + unit
        }
        return grouped(Int64(count)) + (count == 1 ? " byte" : " bytes")
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
