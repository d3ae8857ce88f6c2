import Foundation
import SluiceTestSupport
import Testing

/// `sluice schema infer` → `sluice init --schema` → `sluice ingest` on files of different
/// shapes: every row loads, with the types the values call for, and no hand edits.
struct SchemaInferCLITests {
    /// A weather-like file: 1,461 days from 2012/01/01 (4 years, one of them leap), `,`-separated.
    static func weatherCSV() -> (text: String, rows: Int) {
        var lines = ["date,precipitation,temp_max,temp_min,wind,weather"]
        let kinds = ["drizzle", "rain", "sun", "snow", "fog"]
        var day = 0
        for year in 2012...2015 {
            for month in 1...12 {
                let days = [31, year % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                for dayOfMonth in 1...days {
                    let date = String(format: "%04d/%02d/%02d", year, month, dayOfMonth)
                    let rain = Double(day * 37 % 560) / 10
                    lines.append(
                        "\(date),\(rain),\(Double(day % 300) / 10 - 1.6),\(Double(day % 200) / 10 - 7.1),\(Double(day % 90) / 10),\(kinds[day % 5])"
                    )
                    day += 1
                }
            }
        }
        return (lines.joined(separator: "\n") + "\n", day)
    }

    /// Money the German way: `;`, decimal commas, `.` thousands, dates `31.12.2015`, booleans ja/nein as text.
    static let moneyCSV = """
        Buchung;Datum;Betrag;Saldo;Bezahlt
        1;31.12.2015;1.234,50;10.000,00;yes
        2;01.01.2016;-0,99;9.999,01;no
        3;15.02.2016;12,00;9.987,01;yes
        4;29.02.2016;1.000.000,25;1.009.987,26;no

        """

    /// Codes with leading zeros, coordinates (decimal and written out), timestamps, a few empty cells.
    static let placesCSV = """
        code,zip,lat,lon,position,seen_at,visits,note
        A01,00123,37.6105,-122.3927,"37°36'37.8""N 122°23'33.7""W",2021-03-04 10:15:00,3,
        B02,04567,-33.8568,151.2153,"33°51'24.5""S 151°12'55.1""E",2021-03-05T08:00:00,,first visit
        C03,10001,48.8584,2.2945,"48°51'30.2""N 2°17'40.2""E",2021-03-06 23:59:59,12,
        C03,10001,48.8584,2.2945,"48°51'30.2""N 2°17'40.2""E",2021-03-06 23:59:59,12,

        """

    /// infer → init → ingest for one file; returns the workspace folder and the schema text.
    func inferInitIngest(_ csv: String, named name: String, in dir: URL) throws -> (ws: URL, schema: String) {
        try Data(csv.utf8).write(to: dir.appendingPathComponent(name))
        let inferred = try sluice(["schema", "infer", name, "--output", "schema.yaml"], in: dir)
        #expect(inferred.status == 0, "\(inferred.stderr)")
        let schema = try String(contentsOf: dir.appendingPathComponent("schema.yaml"), encoding: .utf8)
        let created = try sluice(["init", "ws", "--schema", "schema.yaml"], in: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let loaded = try sluice(["ingest", "-w", "ws", "--json", name], in: dir)
        #expect(loaded.status == 0, "\(loaded.stdout)\n\(loaded.stderr)")
        return (dir.appendingPathComponent("ws"), schema)
    }

    func scalar(_ sql: String, ws: URL, in dir: URL) throws -> String {
        let output = try sluice(["query", "-w", ws.path, "--format", "csv", sql], in: dir)
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    }

    @Test func weatherWithSlashDatesLoadsEveryRowWithDatesSQLiteUnderstands() throws {
        try withTemporaryDirectory { dir in
            let (text, rows) = Self.weatherCSV()
            let (ws, schema) = try inferInitIngest(text, named: "seattle-weather.csv", in: dir)
            #expect(schema.contains("table: seattle_weather"))
            #expect(
                schema.contains(#"date: {type: date, format: "%Y/%m/%d", min: "2012-01-01", max: "2015-12-31"}"#),
                "\(schema)")
            #expect(schema.contains("precipitation: {type: real"))
            #expect(schema.contains(#"weather: {type: text, allowed: ["drizzle", "fog", "rain", "snow", "sun"]}"#))
            #expect(schema.contains("lowercase_text: false"))
            #expect(try scalar("SELECT COUNT(*) FROM seattle_weather", ws: ws, in: dir) == String(rows))
            // 2012 is a leap year: 366 days; strftime reads the stored ISO dates.
            #expect(
                try scalar("SELECT COUNT(*) FROM seattle_weather WHERE strftime('%Y', date) = '2012'", ws: ws, in: dir)
                    == "366")
            // The starter report runs, and no student report was copied.
            #expect(contents(of: ws.appendingPathComponent("queries")) == ["seattle_weather_summary.sql"])
            let report = try sluice(["report", "-w", ws.path, "--format", "csv"], in: dir)
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("\(rows),1,2012-01-01,2015-12-31"), "\(report.stdout)")
        }
    }

    @Test func moneyWithDecimalCommasLoadsEveryRow() throws {
        try withTemporaryDirectory { dir in
            let (ws, schema) = try inferInitIngest(Self.moneyCSV, named: "konto.csv", in: dir)
            #expect(schema.contains(#"datum: {type: date, format: "%d.%m.%Y""#), "\(schema)")
            #expect(
                schema.contains(#"betrag: {type: real, decimal_separator: ",", thousands_separator: ".""#), "\(schema)")
            #expect(schema.contains("bezahlt: {type: boolean"))
            #expect(
                try scalar(
                    "SELECT COUNT(*), ROUND(SUM(betrag), 2), MAX(datum), SUM(bezahlt) FROM konto", ws: ws, in: dir)
                    == "4,1001245.76,2016-02-29,2")
        }
    }

    @Test func codesCoordinatesAndEmptyCellsLoadEveryRowAsWritten() throws {
        try withTemporaryDirectory { dir in
            let (ws, schema) = try inferInitIngest(Self.placesCSV, named: "places.csv", in: dir)
            #expect(schema.contains("zip: {type: text"), "\(schema)")
            #expect(schema.contains("lat: {type: real, min: -33.8568, max: 48.8584}"))
            #expect(schema.contains("seen_at: {type: timestamp"))
            #expect(schema.contains("visits: {type: integer, min: 3, max: 12, required: false}"))
            #expect(schema.contains("drop_duplicate_rows: false"))
            #expect(
                try scalar("SELECT COUNT(*), COUNT(visits), MIN(zip), MAX(seen_at) FROM places", ws: ws, in: dir)
                    == "4,3,00123,2021-03-06 23:59:59")
            #expect(
                try scalar("SELECT position FROM places WHERE code = 'A01'", ws: ws, in: dir)
                    == #""37°36'37.8""N 122°23'33.7""W""#)
        }
    }

    @Test func theStudentDataLoadsEveryRowUnderItsInferredSchema() throws {
        try withTemporaryDirectory { dir in
            let text = try String(
                contentsOf: repositoryRoot.appendingPathComponent("data/student-mat.csv"), encoding: .utf8)
            let rows = text.split(separator: "\n").count - 1
            let (ws, schema) = try inferInitIngest(text, named: "student-mat.csv", in: dir)
            #expect(schema.contains(#"school: {type: text, allowed: ["GP", "MS"]}"#), "\(schema)")
            #expect(schema.contains("age: {type: integer, min: 15, max: 22}"))
            #expect(try scalar("SELECT COUNT(*) FROM student_mat", ws: ws, in: dir) == String(rows))
        }
    }

    @Test func initCopiesOnlyTheReportsThatFitTheSchema() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "bundled"], in: dir).status == 0)
            #expect(contents(of: dir.appendingPathComponent("bundled/queries")).count == 5)
            let foreign = "table: readings\ncolumns:\n  at: timestamp\n  value: real\n"
            try Data(foreign.utf8).write(to: dir.appendingPathComponent("readings.yaml"))
            let created = try sluice(["init", "other", "--schema", "readings.yaml"], in: dir)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(contents(of: dir.appendingPathComponent("other/queries")) == ["readings_summary.sql"])
            #expect(created.stdout.contains("reports in queries/: readings_summary"))
        }
    }

    @Test func aFailedInitLeavesNothingBehind() throws {
        try withTemporaryDirectory { dir in
            let bad: [(String, String)] = [
                ("reserved.yaml", "table: sluice_ingests\ncolumns:\n  a: integer\n"),
                ("column.yaml", "table: t\ncolumns:\n  _ingest_id: integer\n"),
                ("twice.yaml", "table: t\ntable: u\ncolumns:\n  a: integer\n"),
                ("wide.yaml", "table: t\ncolumns:\n" + (1...2000).map { "  c\($0): integer\n" }.joined()),
            ]
            for (name, yaml) in bad {
                try Data(yaml.utf8).write(to: dir.appendingPathComponent(name))
                let output = try sluice(["init", "ws-\(name)", "--schema", name], in: dir)
                #expect(output.status == 2, "\(name): \(output.stderr)")
                #expect(
                    !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ws-\(name)").path),
                    "\(name) left a folder")
                #expect(output.stderr.count < 1_000, "\(name): \(output.stderr.count) bytes of error")
            }
            let passwd = try sluice(["init", "ws-passwd", "--schema", "/etc/passwd"], in: dir)
            #expect(passwd.status == 2)
            #expect(passwd.stderr.contains("not a YAML schema"), "\(passwd.stderr)")
            #expect(!passwd.stderr.contains("root:"), "the file's content was echoed")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("ws-passwd").path))
        }
    }

    @Test func aSLUICEHOMEThatDoesNotExistIsAnError() throws {
        try withTemporaryDirectory { dir in
            let output = try sluice(["init", "ws"], in: dir, environment: ["SLUICE_HOME": "/nonexistent/sluice"])
            #expect(output.status == 2)
            #expect(output.stderr.contains("SLUICE_HOME=/nonexistent/sluice does not exist"))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("ws").path))
        }
    }

    @Test func aSampleReadsOnlyTheFirstRowsAndSaysSo() throws {
        try withTemporaryDirectory { dir in
            try Data(Self.weatherCSV().text.utf8).write(to: dir.appendingPathComponent("w.csv"))
            let output = try sluice(["schema", "infer", "w.csv", "--sample", "31"], in: dir)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("31 rows, only the first 31 rows of each file were read"))
            #expect(output.stdout.contains(#"max: "2012-01-31""#))
            #expect(try sluice(["schema", "infer", "w.csv", "--sample", "0"], in: dir).status == 2)
        }
    }

    @Test func inferRefusesWhatItCannotDescribe() throws {
        try withTemporaryDirectory { dir in
            try Data("a,a\n1,2\n".utf8).write(to: dir.appendingPathComponent("dup.csv"))
            let output = try sluice(["schema", "infer", "dup.csv"], in: dir)
            #expect(output.status == 2)
            #expect(output.stderr.contains("appears twice"))
            #expect(try sluice(["schema", "infer", "missing.csv"], in: dir).status == 2)
        }
    }
}

/// The names in a folder, sorted.
private func contents(of url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}
