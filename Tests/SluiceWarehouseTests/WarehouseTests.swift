import Foundation
import Testing
import SluiceTestSupport
import SluiceWarehouse

struct WarehouseTests {
    let table = WarehouseTable(
        name: "people",
        columns: [
            WarehouseColumn(name: "name", type: .text),
            WarehouseColumn(name: "age", type: .integer),
            WarehouseColumn(name: "score", type: .real, isNotNull: false),
        ])

    @Test func createsStrictTableThatEnforcesTypes() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        #expect(table.createStatement.hasSuffix(") STRICT"))
        let textForAge = ColumnBatch(
            rowCount: 1,
            columns: [
                .init(.texts(dictionary: ["ann"], codes: [0])), .init(.texts(dictionary: ["not a number"], codes: [0])),
                .init(.reals([0]), validity: [false]),
            ])
        #expect(throws: SQLiteError.self) { try warehouse.insert(textForAge, into: table) }
    }

    @Test func insertsBatchesInsideOneTransaction() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        let batch = ColumnBatch(
            rowCount: 2,
            columns: [
                .init(.texts(dictionary: ["bo", "ann"], codes: [1, 0])), .init(.integers([17, 18])),
                .init(.reals([9.5, 0]), validity: [true, false]),
            ])
        let inserted = try warehouse.withTransaction { try warehouse.insert(batch, into: table) }
        #expect(inserted == 2)
        let result = try warehouse.query("SELECT name, age, score FROM people ORDER BY name")
        #expect(result.rows == [[.text("ann"), .integer(17), .real(9.5)], [.text("bo"), .integer(18), .null]])
    }

    /// Text is bound by address from one buffer: every row must still get its own value —
    /// repeated codes, the empty string (not NULL), non-ASCII text, a NULL beside them — and
    /// nothing may point into the buffer after the insert (a second batch overwrites nothing).
    @Test func dictionaryTextIsBoundExactly() throws {
        let warehouse = try Warehouse(path: ":memory:")
        let notes = WarehouseTable(
            name: "notes",
            columns: [
                WarehouseColumn(name: "text", type: .text, isNotNull: false),
                WarehouseColumn(name: "batch", type: .integer),
            ])
        try warehouse.createTableIfNeeded(notes)
        let dictionary = ["", "héllo wörld", "x", "日本語"]
        let codes: [UInt32] = [1, 0, 3, 3, 2, 1, 0]
        try warehouse.insert(
            ColumnBatch(
                rowCount: codes.count,
                columns: [
                    .init(
                        .texts(dictionary: dictionary, codes: codes),
                        validity: [true, true, true, false, true, true, true]),
                    .init(.constant(.integer(1))),
                ]), into: notes)
        try warehouse.insert(
            ColumnBatch(
                rowCount: 1,
                columns: [
                    .init(.texts(dictionary: ["second"], codes: [0])), .init(.constant(.integer(2))),
                ]), into: notes)
        let rows = try warehouse.query("SELECT text, typeof(text), batch FROM notes ORDER BY rowid").rows
        #expect(
            rows == [
                [.text("héllo wörld"), .text("text"), .integer(1)], [.text(""), .text("text"), .integer(1)],
                [.text("日本語"), .text("text"), .integer(1)], [.null, .text("null"), .integer(1)],
                [.text("x"), .text("text"), .integer(1)], [.text("héllo wörld"), .text("text"), .integer(1)],
                [.text(""), .text("text"), .integer(1)], [.text("second"), .text("text"), .integer(2)],
            ])
    }

    @Test func failedBatchLeavesNothingBehind() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        let batch = ColumnBatch(
            rowCount: 2,
            columns: [
                .init(.texts(dictionary: ["ann"], codes: [0, 0]), validity: [true, false]), .init(.integers([17, 18])),
                .init(.reals([0, 0]), validity: [false, false]),
            ])
        #expect(throws: SQLiteError.self) { try warehouse.withTransaction { try warehouse.insert(batch, into: table) } }
        #expect(try warehouse.query("SELECT count(*) FROM people").rows == [[.integer(0)]])
    }

    @Test func existingTableWithOtherColumnsIsRefused() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        try warehouse.createTableIfNeeded(table)  // same columns: fine
        var changed = table
        changed.columns[1].type = .text
        let error = #expect(throws: WarehouseError.self) { try warehouse.createTableIfNeeded(changed) }
        #expect(error?.code == .tableMismatch)
        #expect(error?.message.contains("age INTEGER") == true)
    }

    @Test func queryRefusesWritesAndCapsRows() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        for statement in [
            "DELETE FROM people", "INSERT INTO people VALUES ('x', 1, NULL)", "DROP TABLE people",
            "CREATE TABLE evil (x)", "UPDATE people SET age = 1",
        ] {
            let error = #expect(throws: WarehouseError.self) { try warehouse.query(statement) }
            #expect(error?.code == .writeRefused, "\(statement)")
        }
        let capped = try warehouse.query(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 50) SELECT x FROM n", maxRows: 10)
        #expect(capped.rows.count == 10)
        #expect(capped.isTruncated)
    }

    @Test func fileWarehouseUsesWriteAheadLog() throws {
        try withTemporaryDirectory { dir in
            let warehouse = try Warehouse(path: dir.appendingPathComponent("w.sqlite").path)
            #expect(try warehouse.connection.prepare("PRAGMA journal_mode").readAll().rows == [[.text("wal")]])
            #expect(try warehouse.connection.prepare("PRAGMA synchronous").readAll().rows == [[.integer(1)]])  // NORMAL
        }
    }
}
