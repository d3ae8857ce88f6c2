import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

struct ColumnarScanTests {
    @Test func readsOnlyTheProjectedChunks() throws {
        try withTemporaryDirectory { directory in
            let path = try SampleData.write(
                SampleData.mixedColumns(rows: 1_000), to: directory, options: .init(rowGroupRows: 300, durable: false)
            )
            let reader = try ColumnarReader(path: path)
            #expect(reader.dataBytesRead == 0)
            var scan = try reader.scan(columns: ["age"])
            let batches = try scan.collect()
            #expect(batches.map(\.rowCount) == [300, 300, 300, 100])
            let expected = reader.rowGroups.reduce(0) { $0 + $1.columns[1].storedSize }
            #expect(reader.dataBytesRead == expected)
            let all = reader.rowGroups.reduce(0) { $0 + $1.columns.reduce(0) { $0 + $1.storedSize } }
            #expect(expected < all / 3)
            #expect(batches.flatMap { $0.int64("age") ?? [] } == (try reader.readColumn(named: "age").int64Values))
        }
    }

    @Test func skipsRowGroupsByStatistics() throws {
        try withTemporaryDirectory { directory in
            let rows = 1_000
            let schema = ColumnarSchema(fields: [
                ColumnarField(name: "age", type: .int64), ColumnarField(name: "name", type: .string),
                ColumnarField(name: "maybe", type: .double, isNullable: true),
            ])
            let columns = [
                ColumnarColumn(values: .int64((0..<rows).map { Int64($0 / 10) })),
                ColumnarColumn(values: .string((0..<rows).map { "n\($0 / 100)" })),
                ColumnarColumn(
                    values: .double(Array(repeating: 1, count: rows)),
                    validity: ValidityBitmap((0..<rows).map { $0 >= 900 })),
            ]
            let path = try SampleData.write(
                columns, schema: schema, to: directory, options: .init(rowGroupRows: 100, durable: false))
            let reader = try ColumnarReader(path: path)
            #expect(try reader.rowGroups(matching: .range("age", lower: .int64(31), upper: nil)) == Array(3...9))
            #expect(try reader.rowGroups(matching: .between("age", .int64(25), .int64(34))) == [2, 3])
            #expect(try reader.rowGroups(matching: .equals("name", .string("n7"))) == [7])
            #expect(try reader.rowGroups(matching: .isNotNull("maybe")) == [9])
            #expect(try reader.rowGroups(matching: .isNull("maybe")) == Array(0...8))
            #expect(
                try reader.rowGroups(matching: .or([.equals("age", .int64(5)), .equals("age", .int64(95))])) == [0, 9])
            #expect(
                try reader.rowGroups(matching: .and([.equals("age", .int64(5)), .equals("name", .string("n1"))])) == [])
            var scan = try reader.scan(columns: ["name"], where: .equals("age", .int64(42)))
            let batches = try scan.collect()
            #expect(batches.map(\.rowGroup) == [4])
            #expect(reader.dataBytesRead == reader.rowGroups[4].columns[1].storedSize)
            #expect(throws: ColumnarError.self) { try reader.scan(columns: ["nope"]) }
        }
    }

    @Test func computesExactStatistics() throws {
        try withTemporaryDirectory { directory in
            let path = try SampleData.write(SampleData.mixedColumns(rows: 200), to: directory)
            let reader = try ColumnarReader(path: path)
            let stats = reader.rowGroups[0].columns.map(\.statistics)
            #expect(stats[0].min == .string("gp") && stats[0].max == .string("ms") && stats[0].distinctCount == 2)
            #expect(stats[1].min == .int64(15) && stats[1].max == .int64(22))
            #expect(stats[2].nullCount == 29)
            #expect(stats[4].nullCount == 40)
        }
    }
}

extension ColumnValues {
    var int64Values: [Int64] {
        if case .int64(let values) = self { return values }
        return []
    }
}
