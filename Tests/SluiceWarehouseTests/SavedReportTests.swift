import Foundation
import Testing
import SluiceTestSupport
import SluiceWarehouse

struct SavedReportTests {
    @Test func readsTitleAndDescriptionFromTheCommentHeader() {
        let report = SavedReport(
            name: "q9_x",
            sql: """
                -- title: Rural travel
                -- description: The most common one.
                -- chart: bar x=traveltime y=count
                SELECT 1; -- title: not a header line any more
                """)
        #expect(report.title == "Rural travel")
        #expect(report.description == "The most common one.")
        #expect(report.properties["chart"] == "bar x=traveltime y=count")
        #expect(SavedReport(name: "bare", sql: "SELECT 1").title == "bare")
    }

    @Test func bundledReportsAreFiveWithTitlesInOrder() throws {
        let catalog = try ReportCatalog(directory: repositoryRoot.appendingPathComponent("queries"))
        #expect(catalog.reports.map { String($0.name.prefix(3)) } == ["q1_", "q2_", "q3_", "q4_", "q5_"])
        for report in catalog.reports {
            #expect(report.title != report.name, "\(report.name) has no title")
            #expect(!report.description.isEmpty, "\(report.name) has no description")
        }
    }

    @Test func selectsByExactNameOrUniquePrefix() throws {
        let catalog = ReportCatalog(reports: [
            SavedReport(name: "q1_a", sql: "SELECT 1"), SavedReport(name: "q2_b", sql: "SELECT 2"),
        ])
        #expect(try catalog.select(["q2"]).map(\.name) == ["q2_b"])
        #expect(try catalog.select([]).count == 2)
        let error = #expect(throws: WarehouseError.self) { try catalog.select(["q7"]) }
        #expect(error?.code == .reportNotFound)
        #expect(error?.message.contains("available: q1_a, q2_b") == true)
    }

    /// The median report on a hand-made table: odd groups take the middle value, even groups
    /// average the two middle ones, whatever order the rows were inserted in.
    @Test func medianReportIsRightForOddAndEvenGroups() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.connection.execute("CREATE TABLE student_data (sex TEXT, famrel INTEGER, absences INTEGER)")
        let rows: [(String, Int, [Int])] = [
            ("f", 1, [9, 1, 5]),  // odd: 1 5 9 → 5
            ("f", 2, [4, 1, 10, 3]),  // even: 1 3 4 10 → 3.5
            ("m", 3, [7]),  // one value → 7
            ("m", 2, [2, 2]),  // even, equal → 2
            ("m", 4, [100]),  // famrel 4 is outside the report
        ]
        for (sex, famrel, absences) in rows {
            for value in absences {
                try warehouse.connection.execute("INSERT INTO student_data VALUES ('\(sex)', \(famrel), \(value))")
            }
        }
        let catalog = try ReportCatalog(directory: repositoryRoot.appendingPathComponent("queries/full"))
        let median = try #require(try catalog.select(["q5"]).first)
        let result = try warehouse.run(median)
        #expect(result.columns == ["sex", "famrel", "median_absences"])
        #expect(
            result.rows == [
                [.text("f"), .integer(1), .real(5)],
                [.text("f"), .integer(2), .real(3.5)],
                [.text("m"), .integer(2), .real(2)],
                [.text("m"), .integer(3), .real(7)],
            ])
    }

    /// The histogram median against a median computed here by sorting, on seeded random groups
    /// of every size from 1 to 40 with many repeated values, with and without the report's index.
    @Test(arguments: [false, true])
    func medianReportMatchesSortedMiddleValues(withIndex: Bool) throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.connection.execute("CREATE TABLE student_data (sex TEXT, famrel INTEGER, absences INTEGER)")
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var expected: [[SQLiteValue]] = []
        for sex in ["f", "m"] {
            for famrel in 1...3 {
                let values = (0..<(1 + next(40))).map { _ in next(12) }
                for value in values {
                    try warehouse.connection.execute("INSERT INTO student_data VALUES ('\(sex)', \(famrel), \(value))")
                }
                let sorted = values.sorted()
                let median = Double(sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
                expected.append([.text(sex), .integer(Int64(famrel)), .real(median)])
            }
        }
        let catalog = try ReportCatalog(directory: repositoryRoot.appendingPathComponent("queries/full"))
        let report = try #require(try catalog.select(["q5"]).first)
        if withIndex {
            for index in ReportIndex.declared(by: [report], on: "student_data") { _ = try warehouse.build(index) }
            try warehouse.analyze()
        }
        #expect(try warehouse.run(report).rows == expected)
    }

    @Test func indexHeaderLinesDeclareIndexesSharedAcrossReports() {
        let first = SavedReport(name: "q1_a", sql: "-- index: sex, age\n-- index: Mjob\nSELECT 1")
        let second = SavedReport(name: "q2_b", sql: "-- title: B\n-- index: sex,age\nSELECT 2")
        #expect(first.indexes == [["sex", "age"], ["Mjob"]])
        let indexes = ReportIndex.declared(by: [first, second], on: "student data")
        #expect(indexes.map(\.name) == ["sluice_report_student_data_sex_age", "sluice_report_student_data_mjob"])
        #expect(indexes[0].reports == ["q1_a", "q2_b"])
        #expect(
            indexes[0].createStatement
                == #"CREATE INDEX IF NOT EXISTS "sluice_report_student_data_sex_age" ON "student data" ("sex", "age")"#)
    }

    @Test func bundledReportsDeclareIndexesThatSQLiteUses() throws {
        let warehouse = try Warehouse(path: ":memory:")
        try warehouse.connection.execute(
            """
            CREATE TABLE student_data (sex TEXT, age INTEGER, mjob TEXT, fjob TEXT, address TEXT, traveltime INTEGER,
                pstatus TEXT, famsize TEXT, failures INTEGER, famrel INTEGER, absences INTEGER)
            """)
        let reports = try ReportCatalog(directory: repositoryRoot.appendingPathComponent("queries/full")).reports
        let indexes = ReportIndex.declared(by: reports, on: "student_data")
        #expect(indexes.count == 5)
        for index in indexes { _ = try warehouse.build(index) }
        try warehouse.analyze()
        #expect(try warehouse.existingReportIndexes().count == 5)
        for report in reports {
            let plan = try warehouse.query("EXPLAIN QUERY PLAN " + report.sql).rows.map { $0.last?.displayText ?? "" }
            #expect(plan.contains { $0.contains("COVERING INDEX sluice_report_") }, "\(report.name): \(plan)")
        }
        #expect(try warehouse.dropReportIndexes().count == 5)
        #expect(try warehouse.existingReportIndexes().isEmpty)
    }
}

struct ResultFormatterTests {
    let result = QueryResult(
        columns: ["job", "count", "share"],
        rows: [
            [.text("other"), .integer(194), .real(0.5)],
            [.text("a, \"b\""), .integer(7), .null],
        ])

    @Test func tableAlignsColumnsAndRightAlignsNumbers() {
        #expect(
            ResultFormatter.render(result, as: .table) == """
                job     count  share
                ------  -----  -----
                other     194    0.5
                a, "b"      7
                """ + "\n")
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(ResultFormatter.render(result, as: .csv) == "job,count,share\nother,194,0.5\n\"a, \"\"b\"\"\",7,\n")
    }

    @Test func markdownMarksNumericColumnsRightAligned() {
        let text = ResultFormatter.render(result, as: .markdown)
        #expect(text.hasPrefix("| job | count | share |\n| --- | ---: | ---: |\n| other | 194 | 0.5 |"))
    }

    @Test func jsonKeepsNumbersAsNumbers() throws {
        let report = SavedReport(name: "q3_x", sql: "-- title: T\nSELECT 1")
        let text = ResultFormatter.render([ReportResult(report: report, result: result)], as: .json)
        #expect(
            text
                == #"{"reports":[{"columns":["job","count","share"],"description":"","name":"q3_x","rows":[["other",194,0.5],["a, \"b\"",7,null]],"title":"T"}]}"#
                + "\n")
    }

    @Test func realValuesPrintLikeTheSQLiteShell() {
        #expect(SQLiteValue.real(4).displayText == "4.0")
        #expect(SQLiteValue.real(3.5).displayText == "3.5")
        #expect(SQLiteValue.integer(-3).displayText == "-3")
    }
}
