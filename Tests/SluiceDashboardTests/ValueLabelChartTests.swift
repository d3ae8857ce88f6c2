import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import SluiceTestSupport
import SluiceWarehouse
import Testing

private func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The schema's `labels:` on charts (axis, legend, tooltips) in the SVG, the dashboard, the SQL
/// box and the HTML report, while the tables, CSV and JSON keep the stored values; and the one
/// number format on the pages.
struct ValueLabelChartTests {
    // q3's rows in data/student-mat.csv, counted by Python's collections.Counter over
    // (Pstatus, Fjob): T other 194, services 104, teacher 24; A other 23, services 7, teacher 5.
    private let q3 = QueryResult(
        columns: ["pstatus", "fjob", "count"],
        rows: [
            [.text("t"), .text("other"), .integer(194)], [.text("t"), .text("services"), .integer(104)],
            [.text("t"), .text("teacher"), .integer(24)], [.text("a"), .text("other"), .integer(23)],
            [.text("a"), .text("services"), .integer(7)], [.text("a"), .text("teacher"), .integer(5)],
        ])
    private let labels = [
        "pstatus": ["t": "living together", "a": "apart"], "fjob": ["services": "civil services"],
    ]

    @Test func theAxisShowsTheLabelAndTheLegendAndTooltipsTheLabelWithItsCode() throws {
        let spec = ChartSpec(kind: .bar, x: "fjob", y: "count", group: "pstatus")
        let svg = try #require(SVGChart.render(q3, spec: spec, title: "Jobs", valueLabels: labels))
        // Legend: label and code.
        #expect(svg.contains(">living together (t)</text>") && svg.contains(">apart (a)</text>"))
        // Axis: the label alone, the code in its tooltip; values without a label as they are.
        #expect(svg.contains("<title>civil services (services)</title>civil services</text>"))
        #expect(svg.contains(">other</text>") && svg.contains(">teacher</text>"))
        // Bars: both, with the number.
        #expect(svg.contains("<title>civil services (services) · living together (t): 104</title>"))
        #expect(!svg.contains(">services</text>") && !svg.contains(">t</text>"))
        // Without labels nothing changes.
        let plain = try #require(SVGChart.render(q3, spec: spec, title: "Jobs"))
        #expect(plain.contains(">t</text>") && plain.contains(">services</text>") && !plain.contains("living"))
    }

    @Test func numberCategoriesAreLabelledByTheirCanonicalText() throws {
        // A REAL 2.0 is the value 2 of `labels: {2: …}`, as `allowed:` reads it; 2.5 stays 2.5.
        let result = QueryResult(
            columns: ["level", "n"],
            rows: [[.real(2), .integer(3)], [.real(2.5), .integer(4)], [.integer(1), .integer(5)]])
        let svg = try #require(
            SVGChart.render(
                result, spec: ChartSpec(kind: .bar, x: "level", y: "n"), title: "Levels",
                valueLabels: ["level": ["1": "low", "2": "middle"]]))
        #expect(svg.contains(">middle</text>") && svg.contains(">low</text>") && svg.contains(">2.5</text>"))
        #expect(!svg.contains(">2.0</text>"))
    }

    @Test func barsGroupedByAColumnWithOneValueSayWhichInsteadOfALegend() throws {
        let one = QueryResult(
            columns: ["famsize", "failures", "count"],
            rows: [[.text("gt3"), .integer(0), .integer(222)], [.text("le3"), .integer(0), .integer(90)]])
        let svg = try #require(
            SVGChart.render(
                one, spec: ChartSpec(kind: .bar, x: "famsize", y: "count", group: "failures"), title: "Failures",
                axisTitles: ["failures": "past failures"], valueLabels: ["failures": ["0": "none"]]))
        #expect(svg.contains(">past failures: none (0)</text>"))
        #expect(!svg.contains(">past failures:</text>"), "no legend heading")
    }

    @Test func theDashboardTheSQLBoxAndTheDownloadsOverHTTP() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            ).makeApplication()
            try await app.test(.live) { client in
                let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                // The bundled schema labels pstatus, fjob, traveltime and famsize (data/student.yaml).
                #expect(page.contains(">living together (t)</text>") && page.contains(">apart (a)</text>"))
                #expect(page.contains("civil services</text>"))
                #expect(page.contains("under 15 min</text>"))
                #expect(page.contains("more than 3</text>"))
                // The tables keep the stored values.
                #expect(page.contains("<td>t</td>") && page.contains("<td>services</td>"))

                let chart = String(
                    buffer: try await client.execute(
                        uri:
                            "/api/query?format=svg&sql=SELECT+pstatus,+COUNT(*)+AS+n+FROM+student_data+GROUP+BY+pstatus",
                        method: .get
                    ).body)
                #expect(chart.contains("living together</text>") && chart.contains(">parents&#39; cohabitation</text>"))

                let csv = String(buffer: try await client.execute(uri: "/api/reports/q3.csv", method: .get).body)
                #expect(csv.contains("t,other,194") && !csv.contains("living"))
                let json = String(buffer: try await client.execute(uri: "/api/reports/q3.json", method: .get).body)
                // The rows hold the codes (the report's description mentions "living together" itself).
                let object = try #require(
                    JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                let rows = try #require(((object["reports"] as? [[String: Any]])?.first ?? object)["rows"] as? [[Any]])
                #expect(Set(rows.compactMap { $0.first as? String }) == ["a", "t"])
                let schema = String(buffer: try await client.execute(uri: "/api/schema", method: .get).body)
                #expect(schema.contains("labels: a = apart, t = living together"))
            }
        }
    }

    @Test func theHTMLReportShowsLabelsAndNumbersTheOneWay() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let output = root.appendingPathComponent("report.html")
            let run = try runSluice([
                "report", "--format", "html", "--output", output.path, "-w", workspace.layout.root.path,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let html = try String(contentsOf: output, encoding: .utf8)
            #expect(html.contains(">living together (t)</text>") && html.contains("under 15 min</text>"))
            // q5's medians are REALs (4.0, 2.5, …): whole ones without ".0", in the table and on the bars.
            #expect(!html.contains(".0</td>") && !html.contains(".0</text>"))
            let csv = try runSluice(["report", "q3", "--format", "csv", "-w", workspace.layout.root.path])
            #expect(csv.stdout.hasPrefix("pstatus,fjob,count\n") && !csv.stdout.contains("living"))
        }
    }
}

/// The static report's local time beside UTC (it has no script to ask the browser).
struct ReportLocalTimeTests {
    // Expected local times from Python's zoneinfo:
    //   datetime(2026, 1, 15, 22, 24, 22, tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    @Test func aUTCTimeGetsTheZonesLocalTimeBesideIt() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let newfoundland = try #require(TimeZone(identifier: "America/St_Johns"))
        #expect(LocalTime.beside("2026-01-15 22:24:22 UTC", in: paris) == " (2026-01-15 23:24:22 Europe/Paris)")
        #expect(LocalTime.beside("2026-07-15 22:24:22 UTC", in: paris) == " (2026-07-16 00:24:22 Europe/Paris)")
        #expect(
            LocalTime.beside("2026-07-15 22:24:22 UTC", in: newfoundland)
                == " (2026-07-15 19:54:22 America/St_Johns)")
        #expect(LocalTime.beside("2026-07-15 22:24:22 UTC", in: try #require(TimeZone(identifier: "UTC"))) == "")
        #expect(LocalTime.beside("never", in: paris) == "")
    }

    @Test func theReportShowsItAndTheLivePageLeavesItToTheBrowser() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let snapshot = DashboardSnapshot.load(workspace: workspace)
            var renderer = PageRenderer()
            renderer.reportTimeZone = try #require(TimeZone(identifier: "Europe/Paris"))
            let report = renderer.render(snapshot, mode: .report)
            // "Data last loaded", each ingest and the rejected file: three or more times.
            #expect(report.components(separatedBy: " Europe/Paris)").count - 1 >= 3)
            #expect(!renderer.render(snapshot, mode: .live(uploads: false)).contains("Europe/Paris"))
        }
    }
}
