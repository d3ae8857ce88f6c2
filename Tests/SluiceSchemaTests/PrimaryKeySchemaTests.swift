import Foundation
import Testing
import SluiceSchema

/// `primary_key` and `on_conflict` in a Sluice schema.
@Suite struct PrimaryKeySchemaTests {
    let columns = "columns:\n  station: text\n  date: text\n  temp: {type: real, required: false}\n"

    @Test func aKeyIsReadWithItsPolicyAndDefaultsToReplace() throws {
        let keyed = try SchemaLoader.load(
            yaml: "table: weather\nprimary_key: [Station, date]\non_conflict: ignore\n" + columns)
        #expect(keyed.primaryKey == PrimaryKey(columns: ["station", "date"], onConflict: .ignore))
        let single = try SchemaLoader.load(yaml: "table: weather\nprimary_key: station\n" + columns)
        #expect(single.primaryKey == PrimaryKey(columns: ["station"], onConflict: .replace))
        #expect(try SchemaLoader.load(yaml: "table: weather\n" + columns).primaryKey == nil)
    }

    @Test func keyMistakesAreReportedAtTheirNode() {
        let cases: [(String, Int, Int, String)] = [
            ("primary_key: [station, nope]\n", 2, 24, "'primary_key' names 'nope', which is not a column"),
            ("primary_key: [station, station]\n", 2, 24, "names 'station' twice"),
            ("primary_key: [temp]\n", 2, 15, "primary key column 'temp' is optional"),
            ("primary_key: []\n", 2, 14, "expected at least one column in 'primary_key'"),
            ("primary_key: {a: b}\n", 2, 14, "expected a list of column names for 'primary_key'"),
            ("on_conflict: replace\n", 2, 1, "'on_conflict' needs a 'primary_key'"),
            (
                "primary_key: [station]\non_conflict: upsert\n", 3, 14,
                "expected replace, ignore or reject for 'on_conflict', found 'upsert'"
            ),
        ]
        for (lines, line, column, message) in cases {
            let error = TestSupport.loadError("table: weather\n" + lines + columns)
            #expect(error?.line == line, "\(lines)")
            #expect(error?.column == column, "\(lines)")
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
    }
}
