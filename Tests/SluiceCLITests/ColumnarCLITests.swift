import Foundation
import SluiceTestSupport
import Testing

/// `sluice inspect`, `cat` and `verify` on the `.scol` files the pipeline writes.
struct ColumnarCLITests {
    @Test func catThenReingestGivesTheSameWarehouseRows() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "one"], in: dir).status == 0)
            let files = try FileManager.default.contentsOfDirectory(
                atPath: dir.appendingPathComponent("one/columnar").path)
            #expect(files.count == 1)
            let scol = "one/columnar/\(files[0])"

            let inspect = try sluice(["inspect", scol, "--json"], in: dir)
            #expect(inspect.status == 0)
            let description = try inspect.json()
            #expect(description["rows"] as? Int == 395)
            #expect((description["schema"] as? [Any])?.count == 33)

            let csv = try sluice(["cat", scol], in: dir)
            #expect(csv.status == 0)
            try Data(csv.stdout.utf8).write(to: dir.appendingPathComponent("back.csv"))
            _ = try sluice(["init", "two"], in: dir)
            #expect(try sluice(["ingest", "-w", "two", "back.csv"], in: dir).status == 0)
            let everything = "SELECT * FROM student_data ORDER BY rowid"
            let columns =
                "school, sex, age, address, famsize, pstatus, medu, fedu, mjob, fjob, reason, guardian, traveltime, studytime, failures, schoolsup, famsup, paid, activities, nursery, higher, internet, romantic, famrel, freetime, goout, dalc, walc, health, absences, g1, g2, g3"
            let query = everything.replacingOccurrences(of: "*", with: columns)
            let first = try sluice(["query", "-w", "one", "--format", "csv", query], in: dir)
            let second = try sluice(["query", "-w", "two", "--format", "csv", query], in: dir)
            #expect(first.stdout == second.stdout)
            #expect(first.stdout.split(separator: "\n").count == 396)

            let projected = try sluice(["cat", scol, "--columns", "age,mjob", "--format", "json"], in: dir)
            let rows = try #require(try projected.json()["rows"] as? [[Any]])
            #expect(rows.count == 395)
            #expect(rows[0][0] as? Int == 18)
            #expect(rows[0][1] as? String == "at_home")
        }
    }

    @Test func verifyFindsADamagedFile() throws {
        try withTemporaryDirectory { dir in
            _ = try sluice(["demo", "-w", "ws"], in: dir)
            #expect(try sluice(["verify", "-w", "ws"], in: dir).status == 0)
            let folder = dir.appendingPathComponent("ws/columnar")
            let file = folder.appendingPathComponent(
                try FileManager.default.contentsOfDirectory(atPath: folder.path)[0])
            var bytes = try [UInt8](Data(contentsOf: file))
            bytes[100] ^= 0xFF
            try Data(bytes).write(to: file)
            let damaged = try sluice(["verify", "-w", "ws", "--json"], in: dir)
            #expect(damaged.status == 1)
            let findings = try #require(try damaged.json()["files"] as? [[String: Any]])
            #expect(findings.first?["ok"] as? Bool == false)
            #expect((findings.first?["problem"] as? String)?.isEmpty == false)
            #expect(try sluice(["inspect", file.path], in: dir).status == 1)
        }
    }
}
