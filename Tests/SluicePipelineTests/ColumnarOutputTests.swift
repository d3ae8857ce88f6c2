import Foundation
import SluiceColumnar
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// Each accepted input also lands as a `.scol` file holding exactly the warehouse's rows.
struct ColumnarOutputTests {
    @Test func theColumnarFileHoldsExactlyTheLoadedRows() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: studentCSV, origin: .external)
            let path = try #require(record.columnarFile)
            #expect(path.hasPrefix(workspace.layout.columnar.path))
            #expect(path.hasSuffix("/student-mat-\(record.sha256.prefix(8)).scol"))

            let reader = try ColumnarReader(path: path)
            #expect(reader.rowCount == 395)
            #expect(reader.schema.fields.map(\.name) == workspace.schema.columns.map(\.name))
            #expect(reader.metadata["sha256"] == record.sha256)
            #expect(reader.metadata["source"] == "student-mat.csv")
            try reader.verify()

            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            for (index, field) in reader.schema.fields.enumerated() {
                let stored = try warehouse.query("SELECT \(field.name) FROM student_data ORDER BY rowid").rows.map {
                    $0[0]
                }
                let column = try reader.readColumn(index)
                let values: [SQLiteValue] =
                    switch column {
                    case .int64(let numbers): numbers.map { .integer($0) }
                    case .double(let numbers): numbers.map { .real($0) }
                    case .string, .codedString: (column.strings ?? []).map { .text($0) }
                    }
                #expect(values == stored, "column \(field.name) differs")
            }
            // Stored relative to the workspace, so the workspace can move.
            let ledger = try warehouse.query("SELECT columnar FROM sluice_ingests").rows
            #expect(ledger == [[.text("columnar/" + URL(fileURLWithPath: path).lastPathComponent)]])
        }
    }

    @Test func aDuplicateUnderAnotherNameLeavesNoSecondFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            _ = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            let copy = dir.appendingPathComponent("again.csv")
            try FileManager.default.copyItem(at: studentCSV, to: copy)
            let duplicate = try ingestor.ingest(fileAt: copy, origin: .external)
            #expect(duplicate.status == .duplicate)
            #expect(duplicate.columnarFile == nil)
            #expect(contents(of: workspace.layout.columnar).count == 1)
        }
    }

    @Test func rejectedFilesWriteNoColumnarFile() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let bad = try write(
                studentHeader + "\n" + studentRow1.replacingOccurrences(of: #""GP""#, with: #""QQ""#),
                to: dir.appendingPathComponent("bad.csv"))
            _ = try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: bad, origin: .external)
            #expect(contents(of: workspace.layout.columnar).isEmpty)
        }
    }
}
