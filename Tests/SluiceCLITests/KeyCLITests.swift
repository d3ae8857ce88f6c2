import Foundation
import SluiceTestSupport
import Testing

/// A corrected re-delivery under a primary key, and a stray quote under the lenient quote
/// policy, through the `sluice` binary.
struct KeyCLITests {
    @Test func aCorrectedRedeliveryLeavesOneRowPerKey() throws {
        try withTemporaryDirectory { dir in
            let schema =
                "table: weather\nlowercase_text: false\nprimary_key: [date]\n"
                + "columns:\n  date: text\n  temp: real\n"
            try Data(schema.utf8).write(to: dir.appendingPathComponent("weather.yaml"))
            try Data("date,temp\n2012-01-01,1.5\n2012-01-02,2.0\n".utf8).write(
                to: dir.appendingPathComponent("day1.csv"))
            try Data("date,temp\n2012-01-02,2.5\n".utf8).write(to: dir.appendingPathComponent("fix.csv"))
            #expect(try sluice(["init", "ws", "--schema", "weather.yaml"], in: dir).status == 0)
            #expect(try sluice(["ingest", "-w", "ws", "day1.csv"], in: dir).status == 0)
            let fixed = try sluice(["ingest", "-w", "ws", "--json", "fix.csv"], in: dir)
            #expect(fixed.status == 0, "\(fixed.stderr)")
            let files = try #require(try fixed.json()["files"] as? [[String: Any]])
            // 1 row read, loaded, and it replaced the row of 2012-01-02.
            #expect(files.first?["rows_replaced"] as? Int == 1)
            #expect(files.first?["rows_ignored"] as? Int == 0)
            #expect(files.first?["rows_balance"] as? Bool == true)
            let table = try sluice(
                ["query", "-w", "ws", "--format", "csv", "SELECT date, temp FROM weather ORDER BY date"], in: dir)
            #expect(table.stdout == "date,temp\n2012-01-01,1.5\n2012-01-02,2.5\n", "\(table.stderr)")
            let verify = try sluice(["verify", "-w", "ws"], in: dir)
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    @Test func aLenientQuotePolicyLoadsAStrayQuoteAndSaysSo() throws {
        try withTemporaryDirectory { dir in
            let schema = "table: places\nlowercase_text: false\ncolumns:\n  name: text\n  lat: text\n"
            try Data(schema.utf8).write(to: dir.appendingPathComponent("places.yaml"))
            try Data("name,lat\nA,37°36'37.8\"N\nB,40°N\n".utf8).write(to: dir.appendingPathComponent("places.csv"))
            #expect(try sluice(["init", "ws", "--schema", "places.yaml"], in: dir).status == 0)
            // Strict (the default) refuses the file: exit 1, malformed-csv.
            let strict = try sluice(["ingest", "-w", "ws", "--json", "places.csv"], in: dir)
            #expect(strict.status != 0)
            #expect((try strict.json()["files"] as? [[String: Any]])?.first?["reason"] as? String == "malformed-csv")
            let config = dir.appendingPathComponent("ws/sluice.yaml")
            let text = try String(contentsOf: config, encoding: .utf8)
            try Data((text + "dialect:\n  quote_policy: lenient\n").utf8).write(to: config)
            let lenient = try sluice(["ingest", "-w", "ws", "--json", "places.csv"], in: dir)
            #expect(lenient.status == 0, "\(lenient.stderr)")
            let file = try #require((try lenient.json()["files"] as? [[String: Any]])?.first)
            // 2 rows, 1 field read leniently (line 2's latitude).
            #expect(file["rows_loaded"] as? Int == 2)
            #expect(file["lenient_fields"] as? Int == 1)
            #expect((file["dialect"] as? [String: Any])?["quote_policy"] as? String == "lenient")
        }
    }
}
