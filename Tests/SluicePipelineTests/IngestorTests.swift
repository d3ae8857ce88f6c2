import Foundation
import Logging
import SluiceTestSupport
import Testing
import SluiceWarehouse
@testable import SluicePipeline

struct IngestorTests {
    /// Counts the rows of the data table.
    func rowCount(_ workspace: Workspace) throws -> Int64 {
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
        guard case .integer(let count) = try warehouse.query("SELECT count(*) FROM student_data").rows[0][0] else {
            return -1
        }
        return count
    }

    @Test func sameBytesUnderAnotherNameAreADuplicateAndNotLoadedTwice() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let first = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            let copy = dir.appendingPathComponent("renamed.csv")
            try FileManager.default.copyItem(at: studentCSV, to: copy)
            let second = try ingestor.ingest(fileAt: copy, origin: .external)
            #expect(first.status == .loaded)
            #expect(second.status == .duplicate)
            #expect(second.duplicateOf == first.ledgerID)
            #expect(second.rowsLoaded == 0)
            #expect(try rowCount(workspace) == 395)
        }
    }

    @Test func fileWithABadValueIsRejectedWholeWithAReasonReport() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            // Line 3 has age 25 (the schema allows 15–22) and G3 "x" (not an integer).
            let bad = studentRow2.replacingOccurrences(of: #""F";17;"#, with: #""F";25;"#)
                .replacingOccurrences(of: #""5";"5";6"#, with: #""5";"5";x"#)
            let source = try write(
                [studentHeader, studentRow1, bad].joined(separator: "\n"), to: dir.appendingPathComponent("bad.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)

            #expect(record.status == .rejected)
            #expect(record.reason == .invalidValues)
            #expect(record.rowsLoaded == 0)
            #expect(FileManager.default.fileExists(atPath: source.path), "a file given by path is never moved")
            #expect(contents(of: workspace.layout.failed) == ["bad.csv", "bad.csv.errors.json"])
            #expect(try rowCount(workspace) == 0)

            let report = try readJSON(workspace.layout.failed.appendingPathComponent("bad.csv.errors.json"))
            #expect(report["reason"] as? String == "invalid-values")
            #expect(report["total_errors"] as? Int == 2)
            #expect((report["rows"] as? [String: Int])?["read"] == 2)
            #expect((report["rows"] as? [String: Int])?["rejected"] == 2)
            #expect(report["counts_by_code"] as? [String: Int] == ["constraint-error": 1, "type-error": 1])
            #expect(report["counts_by_rule"] as? [String: Int] == ["maximum": 1, "type": 1])
            #expect((report["sha256"] as? String)?.count == 64)
            let errors = try #require(report["errors"] as? [[String: Any]])
            let ageError = try #require(errors.first { $0["column"] as? String == "age" })
            #expect(ageError["line"] as? Int == 3)
            #expect(ageError["value"] as? String == "25")
            #expect(ageError["rule"] as? String == "maximum")
            let gradeError = try #require(errors.first { $0["column"] as? String == "g3" })
            #expect(gradeError["value"] as? String == "x")
            #expect(gradeError["rule"] as? String == "type")
        }
    }

    @Test func headerMismatchNamesMissingAndUnknownColumns() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let header = studentHeader.replacingOccurrences(of: ";G3", with: ";G4")
            let source = try write(
                [header, studentRow1].joined(separator: "\n"), to: dir.appendingPathComponent("drift.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.reason == .headerMismatch)
            let report = try readJSON(try #require(record.errorsReport.map(URL.init(fileURLWithPath:))))
            let header2 = try #require(report["header"] as? [String: [String]])
            #expect(header2["missing"] == ["g3"])
            #expect(header2["unknown"] == ["g4"])
        }
    }

    @Test func aVeryWideHeaderGivesABoundedReportWithExactTotals() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let header = (0..<4_000).map { "c\($0)" }.joined(separator: ";")
            let source = try write(header + "\n", to: dir.appendingPathComponent("wide.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.reason == .headerMismatch)
            #expect(record.message.contains("(4000 in all)"))
            #expect(record.message.count < 400)
            let report = try readJSON(try #require(record.errorsReport.map(URL.init(fileURLWithPath:))))
            #expect(report["total_errors"] as? Int == 4_033)  // 4,000 unknown + 33 missing
            #expect(report["errors_shown"] as? Int == 100)
            #expect((report["errors"] as? [Any])?.count == 100)
        }
    }

    @Test func aFileOverTheSizeLimitIsQuarantinedUnread() throws {
        try withTemporaryDirectory { dir in
            let created = try makeWorkspace(in: dir)
            let config = try String(contentsOf: created.layout.configFile, encoding: .utf8)
                .replacingOccurrences(of: "max_file_bytes: 268435456", with: "max_file_bytes: 1000")
            try write(config, to: created.layout.configFile)
            let workspace = try Workspace.open(at: created.layout.root)
            try FileManager.default.copyItem(
                at: studentCSV, to: workspace.layout.inbox.appendingPathComponent("big.csv"))
            let records = try Ingestor(workspace: workspace, logger: quietLogger).ingestInbox()
            #expect(records.map(\.reason) == [.fileTooLarge])
            #expect(records[0].message.contains("over the limit of 1000 bytes"))
            #expect(contents(of: workspace.layout.inbox).isEmpty, "quarantined, not left to be retried forever")
            #expect(contents(of: workspace.layout.failed) == ["big.csv", "big.csv.errors.json"])
        }
    }

    @Test func brokenQuotingIsRejectedWithLineAndPosition() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let broken = studentRow1.replacingOccurrences(of: #""teacher";"#, with: #""teach"er";"#)
            let source = try write(
                [studentHeader, studentRow2, broken].joined(separator: "\n"), to: dir.appendingPathComponent("q.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.reason == .malformedCSV)
            let report = try readJSON(try #require(record.errorsReport.map(URL.init(fileURLWithPath:))))
            let error = try #require((report["errors"] as? [[String: Any]])?.first)
            #expect(error["line"] as? Int == 3)
            #expect(error["code"] as? String == "text-after-quote")
            #expect(error["field"] as? Int == 48)  // the byte column of the "e" after the closing quote
        }
    }

    @Test func missingValuesAndRepeatedRowsAreDroppedAndCounted() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let missing = studentRow2.replacingOccurrences(of: #""at_home";"other""#, with: #""";"other""#)
            let lines = [studentHeader, studentRow1, studentRow2, studentRow1, missing]
            let source = try write(lines.joined(separator: "\n"), to: dir.appendingPathComponent("mixed.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.status == .loaded)
            #expect(record.rowsRead == 4)
            #expect(record.rowsLoaded == 2)
            #expect(record.rowsDroppedDuplicate == 1)
            #expect(record.rowsDroppedMissing == 1)
            #expect(try rowCount(workspace) == 2)
        }
    }

    @Test func inboxFilesEndInArchiveOrFailedAndNothingIsOverwritten() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let inbox = workspace.layout.inbox
            try FileManager.default.copyItem(at: studentCSV, to: inbox.appendingPathComponent("a.csv"))
            try write("", to: inbox.appendingPathComponent("empty.csv"))
            try write("partial", to: inbox.appendingPathComponent(".incoming.csv"))  // still being written
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let records = try ingestor.ingestInbox()
            #expect(records.map(\.status) == [.loaded, .rejected])
            #expect(records[1].reason == .emptyFile)
            #expect(contents(of: inbox) == [".incoming.csv"])
            #expect(contents(of: workspace.layout.archive) == ["a.csv"])
            #expect(contents(of: workspace.layout.failed) == ["empty.csv", "empty.csv.errors.json"])

            // A second empty delivery with the same name gets its own quarantine name.
            try write("", to: inbox.appendingPathComponent("empty.csv"))
            _ = try ingestor.ingestInbox()
            #expect(
                contents(of: workspace.layout.failed) == [
                    "empty.csv", "empty.csv.errors.json", "empty~2.csv", "empty~2.csv.errors.json",
                ])
        }
    }

    @Test func everyFileGetsOneLedgerEntryWithItsCounts() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            _ = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            _ = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            let ledger = try warehouse.query(
                "SELECT status, source, rows_read, rows_loaded FROM sluice_ingests ORDER BY id")
            #expect(
                ledger.rows == [
                    [.text("loaded"), .text("student-mat.csv"), .integer(395), .integer(395)],
                    [.text("duplicate"), .text("student-mat.csv"), .integer(0), .integer(0)],
                ])
            let traced = try warehouse.query("SELECT count(*) FROM student_data WHERE _ingest_id = 1")
            #expect(traced.rows == [[.integer(395)]])
        }
    }

    @Test func logGetsOneLinePerFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let logger = Logger(label: "t") { _ in try! FileLogHandler(path: workspace.layout.log.path) }
            _ = try Ingestor(workspace: workspace, logger: logger).ingest(fileAt: studentCSV, origin: .external)
            let log = try String(contentsOf: workspace.layout.log, encoding: .utf8)
            #expect(log.contains("INFO"))
            #expect(log.contains("student-mat.csv: loaded 395 of 395 rows"))
            #expect(log.split(separator: "\n").count == 1)
        }
    }
}

struct ForgetTests {
    @Test func forgettingADeliveryRemovesExactlyItsRowsAndAllowsALaterReload() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let first = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            let other = try write(
                [studentHeader, studentRow1].joined(separator: "\n"), to: dir.appendingPathComponent("one.csv"))
            _ = try ingestor.ingest(fileAt: other, origin: .external)
            let forgotten = try ingestor.forget(String(first.sha256.prefix(10)))
            #expect(forgotten.ledgerID == first.ledgerID)
            #expect(forgotten.rowsDeleted == 395)
            #expect(!FileManager.default.fileExists(atPath: try #require(first.columnarFile)))
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            #expect(try warehouse.query("SELECT count(*) FROM student_data").rows == [[.integer(1)]])
            #expect(
                try warehouse.query("SELECT status FROM sluice_ingests ORDER BY id").rows == [
                    [.text("forgotten")], [.text("loaded")],
                ])
            #expect(throws: PipelineError.self) { try ingestor.forget("no-such.csv") }
            let again = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            #expect(again.status == .loaded, "the same bytes load again once forgotten")
        }
    }
}
