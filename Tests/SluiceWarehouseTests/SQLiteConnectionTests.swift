import Testing
import SluiceTestSupport
@testable import SluiceWarehouse

struct SQLiteConnectionTests {
    @Test func bindsAndReadsEveryStorageClass() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind([.integer(Int64.max), .real(2.5), .text("naïve ✓"), .blob([0, 1, 255]), .null])
        #expect(try insert.step() == false)
        let select = try db.prepare("SELECT i, r, s, b, n FROM t")
        #expect(try select.step())
        #expect(select.row == [.integer(Int64.max), .real(2.5), .text("naïve ✓"), .blob([0, 1, 255]), .null])
        #expect(select.columnNames == ["i", "r", "s", "b", "n"])
        #expect(try select.step() == false)
    }

    @Test func emptyTextIsBoundAsEmptyStringNotNull() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let statement = try db.prepare("SELECT ? IS NULL, length(?)")
        try statement.bind("", at: 1)
        try statement.bind("", at: 2)
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 0)
        #expect(statement.int64(at: 1) == 0)
    }

    @Test func statementCanBeResetAndRunAgain() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let statement = try db.prepare("SELECT ? * 2")
        var answers: [Int64] = []
        for value in [Int64(1), 21] {
            try statement.bind(value, at: 1)
            #expect(try statement.step())
            answers.append(statement.int64(at: 0))
            statement.reset()
        }
        #expect(answers == [2, 42])
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let sql = "SELECT * FROM no_such_table"
        let error = #expect(throws: SQLiteError.self) { try db.prepare(sql) }
        #expect(error?.code == 1)  // SQLITE_ERROR
        #expect(error?.message.contains("no such table: no_such_table") == true)
        #expect(error?.sql == sql)
        #expect(error?.description.contains("in: SELECT * FROM no_such_table") == true)
    }

    @Test func constraintViolationIsRecognisable() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        try db.execute("INSERT INTO t (name) VALUES ('a')")
        let insert = try db.prepare("INSERT INTO t (name) VALUES (?)")
        try insert.bind("a", at: 1)
        let error = #expect(throws: SQLiteError.self) { try insert.step() }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
    }

    @Test func prepareRefusesMoreThanOneStatement() throws {
        let db = try SQLiteConnection(path: ":memory:")
        #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; DROP TABLE x") }
        // Trailing semicolons and comments are fine.
        _ = try db.prepare("SELECT 1; -- done\n/* really */ ;")
    }

    @Test func transactionRollsBackWhenBodyThrows() throws {
        struct Boom: Error {}
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Boom.self) {
            try db.withTransaction {
                try db.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(db.isInTransaction == false)
        let count = try db.prepare("SELECT count(*) FROM t")
        _ = try count.step()
        #expect(count.int64(at: 0) == 0)
    }

    @Test func savepointUndoesOnlyItsOwnWork() throws {
        struct Boom: Error {}
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.withTransaction {
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.withSavepoint(named: "inner") {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try db.withSavepoint { try db.execute("INSERT INTO t VALUES (3)") }
        }
        let rows = try db.prepare("SELECT x FROM t ORDER BY x").readAll()
        #expect(rows.rows == [[.integer(1)], [.integer(3)]])
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("w.sqlite").path
            try SQLiteConnection(path: path).execute("CREATE TABLE t (x INTEGER)")
            let reader = try SQLiteConnection(path: path, mode: .readOnly)
            let error = #expect(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
            #expect(error?.isReadOnly == true)
        }
    }

    @Test func quotesIdentifiers() {
        #expect(SQLiteIdentifier.quote("plain") == "\"plain\"")
        #expect(SQLiteIdentifier.quote("my \"t\"") == "\"my \"\"t\"\"\"")
    }
}
