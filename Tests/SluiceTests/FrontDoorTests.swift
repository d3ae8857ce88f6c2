import Foundation
import Sluice
import SluiceTestSupport
import Testing

/// The library's front door as an embedder uses it: public API only (no `@testable`).
@Suite struct FrontDoorTests {
    /// The repository root (this file is Tests/SluiceTests/FrontDoorTests.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let schema = repository.appendingPathComponent("data/student.yaml")
    static let queries = repository.appendingPathComponent("queries")
    static let studentMat = repository.appendingPathComponent("data/student-mat.csv")

    @Test func ingestsTheStudentDataAndAgainSeesADuplicate() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(
                at: root.appendingPathComponent("ws"), schema: Self.schema, reports: Self.queries)
            let records = try await workspace.ingest([Self.studentMat])
            #expect(records.count == 1)
            #expect(records[0].status == .loaded)
            #expect(records[0].rowsLoaded == 395)
            #expect(FileManager.default.fileExists(atPath: Self.studentMat.path), "an external file is never moved")
            let again = try await workspace.ingest([Self.studentMat])
            #expect(again.map(\.status) == [.duplicate])
            let summary = try #require(try workspace.ledger()).summary()
            #expect(summary.loaded == 1 && summary.duplicate == 1 && summary.rowsLoaded == 395)
        }
    }

    @Test func createWithoutReportsCopiesNone() throws {
        try withTemporaryDirectory { root in
            let workspace = try Workspace.create(at: root.appendingPathComponent("ws"), schema: Self.schema)
            #expect(try workspace.reports().reports.isEmpty)
        }
    }

    /// q5's medians against a computation that shares nothing with SQL: the CSV split by hand
    /// and the middle values averaged in Swift.
    @Test func reportQ5MatchesMediansComputedFromTheCSV() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(
                at: root.appendingPathComponent("ws"), schema: Self.schema, reports: Self.queries)
            _ = try await workspace.ingest([Self.studentMat])
            let q5 = try await workspace.report(named: "q5")
            #expect(q5.report.name.hasPrefix("q5_"))
            #expect(q5.result.columns == ["sex", "famrel", "median_absences"])

            let lines = try String(contentsOf: Self.studentMat, encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ";").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
            }
            let header = lines[0]
            let sex = try #require(header.firstIndex(of: "sex")), famrel = try #require(header.firstIndex(of: "famrel"))
            let absences = try #require(header.firstIndex(of: "absences"))
            var groups: [String: [Int]] = [:]
            for row in lines.dropFirst() where Int(row[famrel])! <= 3 {
                groups["\(row[sex].lowercased()) \(row[famrel])", default: []].append(Int(row[absences])!)
            }
            var expected: [String: Double] = [:]
            for (key, values) in groups {
                let sorted = values.sorted()
                expected[key] = Double(sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
            }
            var got: [String: Double] = [:]
            for row in q5.result.rows {
                guard case .text(let s) = row[0], case .integer(let f) = row[1] else {
                    Issue.record("row \(row)"); continue
                }
                switch row[2] {
                case .real(let value): got["\(s) \(f)"] = value
                case .integer(let value): got["\(s) \(f)"] = Double(value)
                default: Issue.record("median \(row[2])")
                }
            }
            #expect(got == expected)

            // One element of `sluice report --format json`'s array: exactly these keys.
            let object = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(q5)) as? [String: Any])
            #expect(Set(object.keys) == ["name", "title", "description", "columns", "rows"])
        }
    }

    @Test func aFailingReportFailsAloneWithItsFileAndLine() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(
                at: root.appendingPathComponent("ws"), schema: Self.schema, reports: Self.queries)
            _ = try await workspace.ingest([Self.studentMat])
            try "-- title: Broken\nSELECT *\nFROM student_data\nWHERE AND;\n"
                .write(
                    to: workspace.layout.queries.appendingPathComponent("q9_broken.sql"), atomically: true,
                    encoding: .utf8)
            try
                "-- title: Runaway\n-- time_limit: 0.3\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\n"
                .write(
                    to: workspace.layout.queries.appendingPathComponent("q8_runaway.sql"), atomically: true,
                    encoding: .utf8)
            let started = ContinuousClock.now
            let outcomes = try await workspace.runReports()
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(outcomes.count == 7)
            #expect(outcomes.filter { $0.succeeded != nil }.count == 5, "the five bundled reports still ran")
            let broken = try #require(outcomes.first { $0.report.name == "q9_broken" }?.failure)
            #expect(broken.place == "queries/q9_broken.sql, line 4")
            #expect(broken.code == "sqlite")
            let runaway = try #require(outcomes.first { $0.report.name == "q8_runaway" }?.failure)
            #expect(runaway.code == "time-limit")
            await #expect(throws: ReportOutcome.Failure.self) { try await workspace.report(named: "q9") }
        }
    }

    @Test func queryReturnsEveryRowUnlessACapIsAskedForAndSaysWhenItCuts() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(at: root.appendingPathComponent("ws"), schema: Self.schema)
            _ = try await workspace.ingest([Self.studentMat])
            let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 25000) SELECT x FROM c"
            let all = try await workspace.query(sql)
            #expect(all.rows.count == 25_000 && !all.isTruncated)
            let capped = try await workspace.query(sql, limits: .init(timeLimit: nil, maxRows: 10, maxResultBytes: nil))
            #expect(capped.rows.count == 10 && capped.isTruncated)
            await #expect(throws: WarehouseError.self) { try await workspace.query("DELETE FROM student_data") }
            do {
                _ = try await workspace.query("SELECT * FROM nope")
                Issue.record("a missing table must fail")
            } catch let error as WarehouseError {
                #expect(error.code == .noSuchTable)
                #expect(error.message.contains("student_data"), "lists the tables that exist: \(error.message)")
            }
        }
    }

    @Test func beforeAnythingIsLoadedReadingSaysSo() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(
                at: root.appendingPathComponent("ws"), schema: Self.schema, reports: Self.queries)
            do {
                _ = try await workspace.report(named: "q1")
                Issue.record("no warehouse yet")
            } catch let error as WarehouseError {
                #expect(error.code == .noWarehouse)
            }
            #expect(try workspace.ledger() == nil)
        }
    }

    @Test func aCancelledIngestLoadsNothingAndThrows() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(at: root.appendingPathComponent("ws"), schema: Self.schema)
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await workspace.ingest([Self.studentMat])
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            let loaded = try workspace.ledger()?.summary().loaded ?? 0
            #expect(loaded == 0)
        }
    }

    @Test func watchStreamsTheEventsOfAFileDroppedIntoTheInbox() async throws {
        try await withTemporaryDirectory { root in
            let workspace = try Workspace.create(at: root.appendingPathComponent("ws"), schema: Self.schema)
            let inbox = workspace.layout.inbox
            let events = Task {
                var seen: [IngestEvent] = []
                for try await event in workspace.watch() {
                    seen.append(event)
                    if event.event == "loaded" { break }
                }
                return seen
            }
            // Drop the file the documented way (a temporary name, then a rename), once the watcher runs.
            try await Task.sleep(for: .milliseconds(300))
            let temporary = inbox.appendingPathComponent("delivery.csv.part")
            try FileManager.default.copyItem(at: Self.studentMat, to: temporary)
            try FileManager.default.moveItem(at: temporary, to: inbox.appendingPathComponent("delivery.csv"))
            let seen = try await events.value
            #expect(seen.map(\.event).suffix(2) == ["claimed", "loaded"])
            #expect(seen.last?.record?.rowsLoaded == 395)
            let json = String(decoding: try JSONEncoder().encode(seen.last!), as: UTF8.self)
            #expect(json.contains("\"event\":\"loaded\"") && json.contains("\"source\":\"delivery.csv\""))
        }
    }

    /// The "Getting started" article shows exactly the example that CI builds and runs.
    @Test func theArticleShowsTheExampleThatCIRuns() throws {
        let article = try String(
            contentsOf: Self.repository.appendingPathComponent("Sources/Sluice/Sluice.docc/GettingStarted.md"),
            encoding: .utf8)
        let example = try String(
            contentsOf: Self.repository.appendingPathComponent("Examples/EmbedSluice/Sources/EmbedSluice/main.swift"),
            encoding: .utf8)
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        #expect(
            blocks.contains(example),
            "GettingStarted.md's code differs from Examples/EmbedSluice/Sources/EmbedSluice/main.swift")
        let manifest = try String(
            contentsOf: Self.repository.appendingPathComponent("Examples/EmbedSluice/Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".package(path: \"../sluice\", traits: [])"))
    }
}
