import Foundation
import SluiceTestSupport
import Testing
import SluiceWarehouse
@testable import SluicePipeline

/// The five saved reports on the bundled `data/student-mat.csv`, end to end through the
/// real ingest path (CSV reader, cleaning, validation, warehouse).
///
/// Expected values were computed independently of Sluice and SQL, in Python with only the
/// standard library: `csv.DictReader(open('data/student-mat.csv'), delimiter=';')`, header
/// names and values stripped and lower-cased, then `collections.Counter` for reports 1–4 and
/// `statistics.median` over each (sex, famrel) group's absences for report 5. Reports 1–4
/// also agree with the figures in the product brief.
struct ReportsOnRealDataTests {
    /// Ingests the real file into a fresh workspace and runs every saved report.
    func runReports() throws -> [String: QueryResult] {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: studentCSV, origin: .external)
            #expect(record.status == .loaded)
            #expect(record.rowsRead == 395)
            #expect(record.rowsLoaded == 395)
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            var results: [String: QueryResult] = [:]
            for report in try workspace.reports().reports {
                results[String(report.name.prefix(2))] = try warehouse.run(report)
            }
            return results
        }
    }

    @Test func allFiveReportsGiveTheIndependentlyComputedAnswers() throws {
        let results = try runReports()
        #expect(results.count == 5)

        let q1 = try #require(results["q1"])
        #expect(q1.columns == ["mjob"])
        #expect(
            q1.rows == [
                [.text("at_home")], [.text("health")], [.text("other")], [.text("services")], [.text("teacher")],
            ])

        let q2 = try #require(results["q2"])
        #expect(q2.columns == ["traveltime", "count"])
        #expect(q2.rows == [[.integer(1), .integer(35)]])

        let q3 = try #require(results["q3"])
        #expect(q3.columns == ["pstatus", "fjob", "count"])
        #expect(
            q3.rows == [
                [.text("a"), .text("other"), .integer(23)], [.text("a"), .text("services"), .integer(7)],
                [.text("a"), .text("teacher"), .integer(5)], [.text("t"), .text("other"), .integer(194)],
                [.text("t"), .text("services"), .integer(104)], [.text("t"), .text("teacher"), .integer(24)],
            ])

        let q4 = try #require(results["q4"])
        #expect(q4.columns == ["famsize", "failures", "count"])
        #expect(q4.rows == [[.text("gt3"), .integer(0), .integer(222)], [.text("le3"), .integer(0), .integer(90)]])

        // Group sizes: f/1 5, f/2 9, f/3 38 (even), m/1 3, m/2 9, m/3 30 (even).
        let q5 = try #require(results["q5"])
        #expect(q5.columns == ["sex", "famrel", "median_absences"])
        #expect(
            q5.rows == [
                [.text("f"), .integer(1), .real(10)], [.text("f"), .integer(2), .real(5)],
                [.text("f"), .integer(3), .real(3)],
                [.text("m"), .integer(1), .real(5)], [.text("m"), .integer(2), .real(7)],
                [.text("m"), .integer(3), .real(4)],
            ])
    }
}
