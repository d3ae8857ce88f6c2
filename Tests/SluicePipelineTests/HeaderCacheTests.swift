import Foundation
import SluiceTestSupport
import SluiceWarehouse
import Testing

@testable import SluicePipeline

/// The preparer maps each header line once (``HeaderCache``): files that share a header reuse
/// its mapping, and a file whose header differs is still mapped from its own names.
struct HeaderCacheTests {
    /// `studentHeader` and `studentRow1` with their first two columns (school, sex) swapped.
    let swappedHeader = "sex;school" + studentHeader.dropFirst("school;sex".count)
    let swappedRow = #""M";"MS""# + studentRow1.dropFirst(#""GP";"F""#.count)

    /// (school, sex, age) of every row, in load order.
    func firstColumns(_ workspace: Workspace) throws -> [[String]] {
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
        return try warehouse.query("SELECT school, sex, age FROM student_data ORDER BY rowid").rows.map { row in
            row.map { value in
                switch value {
                case .text(let text): text
                case .integer(let number): String(number)
                default: "?"
                }
            }
        }
    }

    @Test func aFileWithAReorderedHeaderIsMappedFromItsOwnNames() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            // Same header, same header, reordered header, same header again: one preparer throughout.
            let files = [
                (studentHeader, studentRow1), (studentHeader, studentRow2), (swappedHeader, swappedRow),
                (studentHeader, studentRow1.replacingOccurrences(of: ";18;", with: ";16;")),
            ]
            for (index, (header, row)) in files.enumerated() {
                let url = try write(header + "\n" + row + "\n", to: dir.appendingPathComponent("f\(index).csv"))
                #expect(try ingestor.ingest(fileAt: url, origin: .external).status == .loaded)
            }
            // Expected values read off the rows above: school, sex (lower-cased), age.
            #expect(
                try firstColumns(workspace) == [
                    ["gp", "f", "18"], ["gp", "f", "17"], ["ms", "m", "18"], ["gp", "f", "16"],
                ])
        }
    }

    @Test func moreHeadersThanTheCacheHoldsAreEachMappedRight() throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let ingestor = try Ingestor(workspace: workspace, logger: quietLogger)
            // Distinct header lines (trailing spaces after the last name are trimmed by the mapping,
            // but make different cache keys), alternating with the swapped order.
            let count = HeaderCache.capacity + 8
            var expected: [[String]] = []
            for index in 0..<count {
                let padding = String(repeating: " ", count: index / 2)
                let swapped = index % 2 == 1
                let header = (swapped ? swappedHeader : studentHeader) + padding
                let row = swapped ? swappedRow : studentRow1
                let url = try write(header + "\n" + row + "\n", to: dir.appendingPathComponent("h\(index).csv"))
                #expect(try ingestor.ingest(fileAt: url, origin: .external).status == .loaded)
                expected.append(swapped ? ["ms", "m", "18"] : ["gp", "f", "18"])
            }
            #expect(try firstColumns(workspace) == expected)
        }
    }
}
