import Foundation
import Testing
import SluiceTestSupport
import SluiceWarehouse

/// Rows held as arrays, for inserting in tests.
struct ArrayRows: RowBatch {
    var rows: [[SQLiteValue]]
    var rowCount: Int { rows.count }
    func value(row: Int, column: Int) -> SQLiteValue { rows[row][column] }
}

struct WarehouseTests {
    let table = WarehouseTable(name: "people", columns: [
        WarehouseColumn(name: "name", type: .text),
        WarehouseColumn(name: "age", type: .integer),
        WarehouseColumn(name: "score", type: .real, isNotNull: false),
    ])

    @Test func createsStrictTableThatEnforcesTypes() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        #expect(table.createStatement.hasSuffix(") STRICT"))
        #expect(throws: SQLiteError.self) {
            try warehouse.insert(ArrayRows(rows: [[.text("ann"), .text("not a number"), .null]]), into: table)
        }
    }

    @Test func insertsBatchesInsideOneTransaction() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        let rows = ArrayRows(rows: [[.text("ann"), .integer(17), .real(9.5)], [.text("bo"), .integer(18), .null]])
        let inserted = try warehouse.withTransaction { try warehouse.insert(rows, into: table) }
        #expect(inserted == 2)
        let result = try warehouse.query("SELECT name, age, score FROM people ORDER BY name")
        #expect(result.rows == rows.rows)
    }

    @Test func failedBatchLeavesNothingBehind() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.createTableIfNeeded(table)
        let rows = ArrayRows(rows: [[.text("ann"), .integer(17), .null], [.null, .integer(18), .null]])
        #expect(throws: SQLiteError.self) { try warehouse.withTransaction { try warehouse.insert(rows, into: table) } }
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
        for statement in ["DELETE FROM people", "INSERT INTO people VALUES ('x', 1, NULL)", "DROP TABLE people",
                          "CREATE TABLE evil (x)", "UPDATE people SET age = 1"] {
            let error = #expect(throws: WarehouseError.self) { try warehouse.query(statement) }
            #expect(error?.code == .writeRefused, "\(statement)")
        }
        let capped = try warehouse.query("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 50) SELECT x FROM n", maxRows: 10)
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
