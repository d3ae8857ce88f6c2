import Foundation
import Testing
import SluiceSchema

/// Dates, timestamps, booleans and numbers with other separators. Expected day and microsecond
/// counts were computed with Python's `datetime` (`(date(2012,1,1) - date(1970,1,1)).days`,
/// and `timedelta` days × 86,400,000,000 + seconds × 1,000,000 + microseconds).
@Suite struct ValueTypeTests {
    @Test func isoDatesBecomeDaysSinceTheEpoch() throws {
        let schema = "table: t\ncolumns:\n  d: date\n"
        let outcome = try TestSupport.validate(
            ["d", "2012-01-01", "2012-02-29", "1969-12-31", "0001-01-01", "9999-12-31", " 2000-03-01 "],
            schemaYAML: schema)
        #expect(outcome.totalIssues == 0)
        #expect(outcome.columns[0].integers == [15340, 15399, -1, -719_162, 2_932_896, 11017])
    }

    @Test func impossibleAndMisshapenDatesAreDateErrors() throws {
        let schema = "table: t\ncolumns:\n  d: date\n"
        let bad = [
            "2013-02-29", "2012-13-01", "2012-1-5", "2012/01/01", "12-01-01", "2012-01-01x", "2012-01-00",
            "2012-01-01 10:00",
        ]
        let outcome = try TestSupport.validate(
            ["d"] + bad, schemaYAML: schema,
            options: CleaningOptions(maxReportedIssues: 100))
        #expect(outcome.rowsInvalid == bad.count)
        #expect(outcome.issues.allSatisfy { $0.rule == .date && $0.code == .dateError })
        #expect(outcome.issueCountsByCode == [.dateError: bad.count])
        #expect(outcome.issues[0].message.contains("%Y-%m-%d"))
        #expect(outcome.issues[0].hint?.contains("format:") == true)
    }

    @Test func aDeclaredDateFormatIsRead() throws {
        let schema = """
            table: weather
            columns:
              day: {type: date, format: "%Y/%m/%d", min: 2012-01-01, max: 2015-12-31}
            """
        let outcome = try TestSupport.validate(
            ["day", "2012/01/01", "2012/2/29", "2016/01/01", "2012-01-01"], schemaYAML: schema)
        #expect(outcome.columns[0].integers == [15340, 15399])
        #expect(outcome.issues.map(\.rule) == [.maximum, .date])
        #expect(outcome.issues[0].message == "value 2016-01-01 is above the maximum 2015-12-31 for column 'day'")
    }

    @Test func timestampsInISOAndDeclaredFormats() throws {
        let iso = "table: t\ncolumns:\n  at: timestamp\n"
        let outcome = try TestSupport.validate(
            ["at", "2015-12-31 23:59", "2020-02-29T12:34:56.789", "1969-12-31T23:59:59.5", "2012-01-01"],
            schemaYAML: iso)
        #expect(outcome.totalIssues == 0)
        #expect(
            outcome.columns[0].integers == [
                1_451_606_340_000_000, 1_582_979_696_789_000, -500_000, 15340 * 86_400_000_000,
            ])

        let declared = "table: t\ncolumns:\n  at: {type: timestamp, format: \"%d.%m.%Y %H:%M\"}\n"
        let second = try TestSupport.validate(
            ["at", "31.12.2015 23:59", "31.12.2015 24:00", "2015-12-31 23:59"], schemaYAML: declared)
        #expect(second.columns[0].integers == [1_451_606_340_000_000])
        #expect(second.issues.map(\.code) == [.timestampError, .timestampError])
    }

    @Test func isoTextRoundTrips() {
        #expect(CalendarValue.isoDate(days: 15399) == "2012-02-29")
        #expect(CalendarValue.isoDate(days: -719_162) == "0001-01-01")
        #expect(CalendarValue.isoTimestamp(microseconds: 1_582_979_696_789_000) == "2020-02-29 12:34:56.789000")
        #expect(CalendarValue.isoTimestamp(microseconds: -500_000) == "1969-12-31 23:59:59.500000")
        #expect(CalendarValue.isoTimestamp(microseconds: 1_451_606_340_000_000) == "2015-12-31 23:59:00")
        for days in stride(from: Int64(-719_162), through: 2_932_896, by: 997) {  // 0001-01-01 … 9999-12-31
            #expect(CalendarValue.days(iso: CalendarValue.isoDate(days: days)) == days)
        }
    }

    @Test func booleansReadDefaultAndDeclaredSpellings() throws {
        let schema = """
            table: t
            columns:
              a: boolean
              b: {type: boolean, true_values: [paid, Y], false_values: [open, n]}
            """
        let outcome = try TestSupport.validate(
            ["a;b", "TRUE;paid", "no;N", "1;y", "0;OPEN", "yes;yes", "maybe;paid"], schemaYAML: schema,
            options: CleaningOptions(dropDuplicateRows: false))
        #expect(outcome.columns[0].integers == [1, 0, 1, 0])
        #expect(outcome.columns[1].integers == [1, 0, 1, 0])
        #expect(outcome.issues.map(\.code) == [.booleanError, .booleanError])
        #expect(outcome.issues[0].column == "b")
        #expect(outcome.issues[0].hint?.contains("true_values") == true)
    }

    @Test func decimalCommasAndThousandsSeparators() throws {
        let schema = """
            table: money
            decimal_separator: ","
            thousands_separator: "."
            columns:
              amount: real
              count: {type: integer, min: 0}
              plain: {type: real, decimal_separator: ".", thousands_separator: ~}
            """
        let outcome = try TestSupport.validate(
            [
                "amount;count;plain", "0,5;1.234;0.5", "-1.234.567,25;12;1e3", "1234,5;999;2", "1,2,3;1;1",
                "12.34,5;1;1", "0.5;1;1",
            ],
            schemaYAML: schema)
        #expect(outcome.columns[0].reals == [0.5, -1_234_567.25, 1234.5])
        #expect(outcome.columns[1].integers == [1234, 12, 999])
        #expect(outcome.columns[2].reals == [0.5, 1000, 2])
        #expect(outcome.rowsInvalid == 3)
        #expect(outcome.issues.allSatisfy { $0.rule == .type && $0.column == "amount" })
        #expect(outcome.issues[0].message.contains("decimal separator ','"))
    }

    @Test func schemaMistakesInTheNewKeysPointAtTheirLine() {
        let cases: [(String, String)] = [
            ("table: t\ncolumns:\n  d: {type: date, format: \"%Y/%q\"}\n", "%q is not supported"),
            ("table: t\ncolumns:\n  d: {type: date, format: \"%Y-%m-%d %H\"}\n", "cannot hold a time"),
            (
                "table: t\ncolumns:\n  d: {type: text, format: \"%Y\"}\n",
                "'format' applies to date and timestamp columns only"
            ),
            ("table: t\ncolumns:\n  d: {type: date, min: 2012-13-01}\n", "expected an ISO 8601 date"),
            (
                "table: t\ncolumns:\n  b: {type: boolean, true_values: [y], false_values: [Y]}\n",
                "'y' is both a true and a false value"
            ),
            (
                "table: t\ncolumns:\n  b: {type: boolean, allowed: [true]}\n",
                "'allowed' applies to integer, real and text"
            ),
            ("table: t\ndecimal_separator: \";\"\ncolumns:\n  x: real\n", "expected one of '.', ','"),
            ("table: t\ndecimal_separator: \",\"\nthousands_separator: \",\"\ncolumns:\n  x: real\n", "both ','"),
            (
                "table: t\ncolumns:\n  x: {type: text, decimal_separator: \",\"}\n",
                "applies to integer and real columns only"
            ),
            ("table: t\nextra_columns: drop\ncolumns:\n  x: real\n", "expected reject or ignore"),
            ("table: t\nmissing_columns: zero\ncolumns:\n  x: real\n", "expected reject or null"),
        ]
        for (yaml, expected) in cases {
            let error = TestSupport.loadError(yaml)
            #expect(error?.message.contains(expected) == true, "\(yaml): \(error?.description ?? "no error")")
            #expect((error?.line ?? 0) >= 2)
        }
    }

    @Test func typeSpellingsIncludeTheNewTypes() throws {
        let schema = try SchemaLoader.load(
            yaml: "table: t\ncolumns: {a: DATE, b: datetime, c: Timestamp, d: bool, e: BOOLEAN}\n")
        #expect(schema.columns.map(\.type) == [.date, .timestamp, .timestamp, .boolean, .boolean])
    }
}

/// `extra_columns` and `missing_columns`.
@Suite struct HeaderPolicyTests {
    private let schema = """
        table: t
        extra_columns: ignore
        missing_columns: null
        columns:
          id: integer
          note: {type: text, required: false}
          score: {type: real, required: false}
        """

    @Test func extraColumnsAreReadPastAndMissingOptionalOnesAreNull() throws {
        let loaded = try SchemaLoader.load(yaml: schema)
        #expect(loaded.policy.extraColumns == .ignore)
        #expect(loaded.policy.missingColumns == .null)
        let mapping = try loaded.mapHeader(["ID", "comment", "Score", "other"])
        #expect(mapping.ignored == ["comment", "other"])
        #expect(mapping.absentColumns == [1])
        let outcome = try TestSupport.validate(["id;comment;score;other", "1;x;0.5;y", "2;;;"], schemaYAML: schema)
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.columns[0].integers == [1, 2])
        #expect(outcome.validity[1] == [false, false])
        #expect(outcome.validity[2] == [true, false])
    }

    @Test func aRequiredColumnIsStillRequired() throws {
        let loaded = try SchemaLoader.load(yaml: schema)
        #expect(throws: HeaderMismatch(missing: ["id"], unknown: [], duplicates: [])) {
            try loaded.mapHeader(["note", "score"])
        }
    }

    @Test func theDefaultsRejectBoth() throws {
        let strict = try SchemaLoader.load(
            yaml: "table: t\ncolumns:\n  id: integer\n  note: {type: text, required: false}\n")
        #expect(strict.policy.extraColumns == .reject)
        #expect(strict.policy.missingColumns == .reject)
        #expect(throws: HeaderMismatch(missing: ["note"], unknown: ["x"], duplicates: [])) {
            try strict.mapHeader(["id", "x"])
        }
    }
}
