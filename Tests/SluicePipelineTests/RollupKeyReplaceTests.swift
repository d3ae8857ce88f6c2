import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// Rollups stay equal to their table when a primary key replaces rows: the replaced rows are
/// taken out of every rollup before they are deleted, and the new rows added.
struct RollupKeyReplaceTests {
    /// Every column but absences and the grades: a corrected delivery with new absences
    /// replaces the rows it shares a key with.
    static let key =
        "[school, sex, age, address, famsize, pstatus, medu, fedu, mjob, fjob, reason, guardian, traveltime, "
        + "studytime, failures, schoolsup, famsup, paid, activities, nursery, higher, internet, romantic, famrel, freetime, "
        + "goout, dalc, walc, health]"

    @Test func aCorrectedRedeliveryKeepsEveryReportEqualToItsFullScan() throws {
        try withTemporaryDirectory { dir in
            let schema =
                try String(contentsOf: studentSchema, encoding: .utf8)
                + "\nprimary_key: \(Self.key)\non_conflict: replace\n"
            let schemaFile = try write(schema, to: dir.appendingPathComponent("keyed.yaml"))
            let workspace = try makeWorkspace(in: dir, schema: schemaFile)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            let first = try ingestor.ingest(fileAt: studentCSV, origin: .external)
            #expect(first.status == .loaded)
            try RollupEqualAnswersTests.expectEqualAnswers(workspace, "after the first delivery")

            // The same students with every absence count raised by 3 (capped at the schema's 93).
            let lines = try String(contentsOf: studentCSV, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            let header = lines[0].split(separator: ";").map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r"))
            }
            let absences = try #require(header.firstIndex(of: "absences"))
            let corrected = lines.enumerated().map { index, line -> String in
                guard index > 0, !line.isEmpty else { return String(line) }
                var fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                fields[absences] = String(min(93, Int(fields[absences])! + 3))
                return fields.joined(separator: ";")
            }.joined(separator: "\n")
            let second = try ingestor.ingest(
                fileAt: try write(corrected, to: dir.appendingPathComponent("corrected.csv")), origin: .external)
            #expect(second.status == .loaded)
            #expect(second.rowsReplaced > 0, "the corrected delivery replaced rows: \(second.message)")
            try RollupEqualAnswersTests.expectEqualAnswers(workspace, "after a primary-key replace")
        }
    }
}
