import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// Every bundled report reads a rollup kept at load; its full-scan SQL is kept beside it in
/// `queries/full/`. These tests run both on the same warehouse, in every situation that
/// changes the table, and want the same rows (the full-scan SQL is the independent
/// computation: a `GROUP BY` over every row by SQLite).
struct RollupEqualAnswersTests {
    /// The full-scan forms of the bundled reports.
    static let fullScanReports = bundledQueries.appendingPathComponent("full")

    /// Runs each report of the workspace and its full-scan form; both must give the same
    /// non-empty rows, and `verify` must find every rollup equal to its table.
    static func expectEqualAnswers(
        _ workspace: Workspace, _ context: String, allowEmpty: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
        let full = try ReportCatalog(directory: fullScanReports).reports
        let reports = try workspace.reports().reports
        #expect(reports.count == 5, sourceLocation: sourceLocation)
        for report in reports {
            #expect(
                report.properties["rollup"] != nil, "\(report.name) declares no rollup", sourceLocation: sourceLocation)
            let check = try #require(full.first { $0.name == report.name }, sourceLocation: sourceLocation)
            let fromRollup = try warehouse.run(report)
            let fromScan = try warehouse.run(check)
            #expect(fromRollup == fromScan, "\(report.name) \(context)", sourceLocation: sourceLocation)
            #expect(
                allowEmpty || !fromScan.rows.isEmpty,
                "\(report.name) \(context): no rows, the comparison proves little", sourceLocation: sourceLocation)
        }
        let rollups = try workspace.verify().filter { $0.file.hasPrefix("rollup ") }
        #expect(rollups.count == 5, sourceLocation: sourceLocation)
        for finding in rollups {
            #expect(finding.ok, "\(finding.file) \(context): \(finding.problem ?? "")", sourceLocation: sourceLocation)
        }
    }

    /// `count` generated deliveries of `rows` rows each, drawn from student-mat.csv's columns.
    static func generate(_ count: Int, rows: Int, seed: UInt64, into folder: URL) throws -> [URL] {
        let generator = try SampleDrivenGenerator(example: Array(try Data(contentsOf: studentCSV)))
        return try (0..<count).map { index in
            let url = folder.appendingPathComponent(String(format: "gen-%llu-%03d.csv", seed, index))
            try Data(generator.file(rows: rows, seed: seed &* 1_000 &+ UInt64(index))).write(to: url)
            return url
        }
    }

    @Test func onTheRealDataBothFiles() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let mat = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            #expect(mat.status == .loaded)
            try Self.expectEqualAnswers(workspace, "on student-mat.csv")
            let por = try ingestor.ingest(
                fileAt: URL(fileURLWithPath: "/work/shared/data/student-por.csv"), origin: .external)
            #expect(por.status == .loaded && por.rowsLoaded == 649)
            try Self.expectEqualAnswers(workspace, "on student-mat.csv + student-por.csv")
        }
    }

    @Test func onGeneratedDataInManyGroupsThenAfterForget() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-rollup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let workspace = try makeWorkspace(in: dir)
        let files = try Self.generate(24, rows: 400, seed: 7, into: dir)
        let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
        ingestor.filesPerTransaction = 5
        let records = try await ingestor.ingestConcurrently(
            files.map { IngestJob(url: $0, origin: .external) }, workers: 2)
        #expect(records.allSatisfy { $0.status == .loaded })
        try Self.expectEqualAnswers(workspace, "on 24 generated files")
        for name in ["gen-7-000.csv", "gen-7-011.csv", "gen-7-023.csv"] { _ = try ingestor.forget(name) }
        try Self.expectEqualAnswers(workspace, "after forgetting 3 of 24 files")
        // Loading a forgotten file again adds its groups back.
        #expect(try ingestor.ingest(fileAt: files[11], origin: .external).status == .loaded)
        try Self.expectEqualAnswers(workspace, "after loading a forgotten file again")
    }

    @Test func afterForgettingEverythingTheRollupsAreEmpty() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            _ = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            _ = try ingestor.forget("student-mat.csv")
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            for rollup in try workspace.rollups() {
                #expect(rollup.rows == 0, "\(rollup.table)")
                #expect(try warehouse.query("SELECT count(*) FROM \(rollup.table)").rows == [[.integer(0)]])
            }
            #expect(try workspace.verify().allSatisfy(\.ok))
        }
    }

    @Test func afterAPartialLoadUnderRejectRows() throws {
        try withTemporaryDirectory { dir in
            var workspace = try makeWorkspace(in: dir)
            workspace.config.overrides.onError = .rejectRows
            workspace.config.overrides.maxErrorRate = 0.5
            let files = try Self.generate(3, rows: 300, seed: 11, into: dir)
            // Break every 7th row of the second file: an age of 99 (above the schema's 22) or a
            // male student's age of "x"; those rows are refused, the others load.
            var lines = try String(contentsOf: files[1], encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false
            ).map(String.init)
            var broken = 0
            for index in stride(from: 1, to: lines.count - 1, by: 7) {
                var fields = lines[index].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                fields[2] = index % 2 == 0 ? "99" : "x"
                lines[index] = fields.joined(separator: ";")
                broken += 1
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: files[1])
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            for file in files {
                let record = try ingestor.ingest(fileAt: file, origin: .external)
                #expect(record.status == .loaded)
            }
            let partial = try #require(
                try Ledger.openReadOnly(workspace)?.entries(status: .loaded).first {
                    $0.source == files[1].lastPathComponent
                })
            #expect(
                partial.rowsLoaded < 300 - broken + 1 && partial.rowsLoaded > 200,
                "the partial load refused the broken rows")
            try Self.expectEqualAnswers(workspace, "after a reject_rows partial load")
            _ = try ingestor.forget(files[1].lastPathComponent)
            try Self.expectEqualAnswers(workspace, "after forgetting the partial load")
        }
    }

    /// For a sample of the file operations of a 20-file ingest (some hostile, one partial
    /// load, one duplicate): fail it, run again without faults, and want the same answers.
    @Test func afterAFailedRunAndItsRecovery() throws {
        for point in [0, 9, 23, 47, 71, 95, 130] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sluice-rollup-fault-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: studentSchema, queries: bundledQueries)
            workspace.config.overrides.onError = .rejectRows
            workspace.config.overrides.maxErrorRate = 1
            try FaultInjectionTests.deliver(into: workspace.layout.inbox)
            let injector = FaultInjector(failAt: point == 0 ? nil : point, errno: EIO, once: true)
            do {
                let faulty = try Ingestor(
                    workspace: workspace, logger: quietLogger, lockPolicy: .noWait, faults: injector, warehouseURI: nil)
                faulty.filesPerTransaction = 7
                _ = try faulty.ingestInbox()
            } catch {
                // A failure of the workspace as a whole: the next run makes it whole.
            }
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            try FaultInjectionTests.checkInvariants(workspace, faultPoint: point)
            // These deliveries (four real rows each) have no male student: q1 answers no rows.
            try Self.expectEqualAnswers(workspace, "after a fault at file operation \(point)", allowEmpty: true)
        }
    }
}
