/// Accumulates SVG elements as text, escaping every string it is given.
struct SVGCanvas {
    private var body: [String] = []
    private let width: Double
    private let height: Double
    private let title: String

    /// Starts a drawing of the given size; `title` becomes its accessible name.
    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    private static func attribute(_ number: Double) -> String { ChartFormat.coordinate(number) }

    /// A rectangle, with an optional tooltip (`<title>`).
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        tooltip: String? = nil
    ) {
        var element =
            "<rect x=\"\(Self.attribute(x))\" y=\"\(Self.attribute(y))\" width=\"\(Self.attribute(width))\" "
            + "height=\"\(Self.attribute(height))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let tooltip {
            element += "><title>\(ChartFormat.escape(tooltip))</title></rect>"
        } else {
            element += "/>"
        }
        body.append(element)
    }

    /// A one-pixel line.
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String) {
        body.append(
            "<line x1=\"\(Self.attribute(x1))\" y1=\"\(Self.attribute(y1))\" x2=\"\(Self.attribute(x2))\" "
                + "y2=\"\(Self.attribute(y2))\" stroke=\"\(stroke)\" stroke-width=\"1\"/>")
    }

    /// A text label, optionally rotated about its anchor point.
    mutating func text(
        _ text: String, x: Double, y: Double, size: Double, anchor: String = "start",
        fill: String = "#111827", weight: String? = nil, rotate: Double? = nil, tooltip: String? = nil
    ) {
        var element =
            "<text x=\"\(Self.attribute(x))\" y=\"\(Self.attribute(y))\" font-size=\"\(Self.attribute(size))\" "
            + "text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let weight { element += " font-weight=\"\(weight)\"" }
        if let rotate {
            element += " transform=\"rotate(\(Self.attribute(rotate)) \(Self.attribute(x)) \(Self.attribute(y)))\""
        }
        element += ">"
        if let tooltip, tooltip != text { element += "<title>\(ChartFormat.escape(tooltip))</title>" }
        element += ChartFormat.escape(text) + "</text>"
        body.append(element)
    }

    /// The finished `<svg>` element.
    func finish() -> String {
        let size = "\(Self.attribute(width)) \(Self.attribute(height))"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size)\" role=\"img\" class=\"chart\" "
            + "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\">"
            + "<title>\(ChartFormat.escape(title))</title>"
            + body.joined()
            + "</svg>"
    }
}
