import Foundation
import SluiceDashboard
import SluiceWarehouse
import Testing
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Whether `text` is well-formed XML (the SVG must stand on its own).
private func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

private func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

struct SVGChartTests {
    @Test(arguments: [
        ("bar x=fjob y=count group=pstatus", ChartSpec(kind: .bar, x: "fjob", y: "count", group: "pstatus")),
        ("grouped-bar x=a y=b group=c", ChartSpec(kind: .bar, x: "a", y: "b", group: "c")),
        ("bar x=traveltime y=count", ChartSpec(kind: .bar, x: "traveltime", y: "count")),
        ("table", ChartSpec(kind: .table)),
    ])
    func parsesChartHeaderLines(text: String, expected: ChartSpec) {
        #expect(ChartSpec(parsing: text) == expected)
    }

    @Test(arguments: ["pie x=a y=b", "bar x", "bar colour", "", "bar size=3"])
    func refusesUnknownChartLines(text: String) {
        #expect(ChartSpec(parsing: text) == nil)
    }

    @Test func drawsAnEmptyResultAsAFramedMessage() throws {
        let empty = QueryResult(columns: ["traveltime", "count"], rows: [])
        let svg = try #require(
            SVGChart.render(empty, spec: ChartSpec(kind: .bar, x: "traveltime", y: "count"), title: "Travel"))
        #expect(svg.contains("No rows to chart"))
        #expect(count("<rect", in: svg) == 1)  // the frame only
        #expect(isWellFormedXML(svg))
    }

    @Test func drawsOneRowAsOneLabelledBar() throws {
        let one = QueryResult(columns: ["traveltime", "count"], rows: [[.integer(1), .integer(35)]])
        let svg = try #require(
            SVGChart.render(one, spec: ChartSpec(kind: .bar, x: "traveltime", y: "count"), title: "Travel"))
        #expect(count("fill=\"\(SVGChart.palette[0])\"", in: svg) == 1)
        #expect(svg.contains(">35</text>"))
        #expect(svg.contains(">count</text>") && svg.contains(">traveltime</text>"))  // axis labels
        #expect(svg.contains(">Travel</text>"))  // the title
        #expect(isWellFormedXML(svg))
    }

    @Test func drawsGroupsWithALegendAndOneColourEach() throws {
        let rows: [[SQLiteValue]] = [
            [.text("a"), .text("other"), .integer(23)], [.text("a"), .text("services"), .integer(7)],
            [.text("t"), .text("other"), .integer(194)], [.text("t"), .text("services"), .integer(104)],
        ]
        let result = QueryResult(columns: ["pstatus", "fjob", "count"], rows: rows)
        let svg = try #require(
            SVGChart.render(result, spec: ChartSpec(kind: .bar, x: "fjob", y: "count", group: "pstatus"), title: "Jobs")
        )
        #expect(svg.contains(">pstatus:</text>"))
        // One legend swatch and two bars per group.
        #expect(count("fill=\"\(SVGChart.palette[0])\"", in: svg) == 3)
        #expect(count("fill=\"\(SVGChart.palette[1])\"", in: svg) == 3)
        for value in ["23", "7", "194", "104"] { #expect(svg.contains(">\(value)</text>")) }
        #expect(isWellFormedXML(svg))
    }

    @Test func keepsManyGroupsAndCategoriesReadable() throws {
        var rows: [[SQLiteValue]] = []
        for group in 0..<12 {
            for category in 0..<60 {
                rows.append([
                    .text("category with a long name \(category)"), .text("group \(group)"),
                    .real(Double(category * group) / 3),
                ])
            }
        }
        let result = QueryResult(columns: ["x", "g", "y"], rows: rows)
        let spec = ChartSpec(kind: .bar, x: "x", y: "y", group: "g")
        let svg = try #require(SVGChart.render(result, spec: spec, title: "Crowded"))
        #expect(isWellFormedXML(svg))
        #expect(svg.contains("rotate(-35"))  // slanted category labels
        #expect(svg.contains("…"))  // cut with an ellipsis
        let note = try #require(SVGChart.note(for: result, spec: spec))
        #expect(note.contains("first 40"))
        #expect(note.contains("first 8"))
    }

    @Test func drawsNegativeValuesAndSkipsNulls() throws {
        let result = QueryResult(
            columns: ["k", "v"], rows: [[.text("a"), .integer(-5)], [.text("b"), .null], [.text("c"), .real(2.5)]])
        let spec = ChartSpec(kind: .bar, x: "k", y: "v")
        let svg = try #require(SVGChart.render(result, spec: spec, title: "Signs"))
        #expect(svg.contains(">-5</text>") && svg.contains(">2.5</text>"))
        #expect(SVGChart.note(for: result, spec: spec)?.contains("1 row(s) without a number") == true)
        #expect(isWellFormedXML(svg))
    }

    @Test func fallsBackToATableWhenBarsAreImpossible() {
        let text = QueryResult(columns: ["mjob"], rows: [[.text("health")], [.text("other")]])
        #expect(SVGChart.render(text, spec: ChartSpec(kind: .table), title: "Jobs") == nil)
        let wrongColumn = ChartSpec(kind: .bar, x: "nope", y: "count")
        let counts = QueryResult(columns: ["job", "count"], rows: [[.text("a"), .integer(1)]])
        #expect(SVGChart.render(counts, spec: wrongColumn, title: "Jobs") == nil)
        #expect(SVGChart.note(for: counts, spec: wrongColumn)?.contains("'nope'") == true)
        let words = QueryResult(columns: ["job", "count"], rows: [[.text("a"), .text("many")]])
        #expect(SVGChart.render(words, spec: ChartSpec(kind: .bar, x: "job", y: "count"), title: "Jobs") == nil)
    }

    @Test func escapesEveryLabel() throws {
        let hostile = "<script>alert('x')</script> & \"quotes\""
        let result = QueryResult(columns: ["k<", "v&"], rows: [[.text(hostile), .integer(1)]])
        let svg = try #require(SVGChart.render(result, spec: ChartSpec(kind: .bar, x: "k<", y: "v&"), title: hostile))
        #expect(!svg.contains("<script"))
        #expect(isWellFormedXML(svg))
    }

    @Test func infersAChartWhenTheReportHasNoChartLine() {
        let result = QueryResult(columns: ["sex", "famrel", "median"], rows: [[.text("f"), .integer(1), .real(10)]])
        #expect(ChartSpec.inferred(for: result) == ChartSpec(kind: .bar, x: "sex", y: "median", group: "famrel"))
        #expect(ChartSpec.inferred(for: QueryResult(columns: ["mjob"], rows: [[.text("x")]])).kind == .table)
    }
}
