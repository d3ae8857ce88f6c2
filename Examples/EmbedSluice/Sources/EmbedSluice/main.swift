import Foundation
import Sluice

// The folder that holds `data/student.yaml`, `data/student-mat.csv` and `queries/`: Sluice's checkout.
let checkout = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? ".")
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-sluice-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: folder) }

// A workspace: folders, a copy of the schema, the saved reports.
let workspace = try Workspace.create(
    at: folder,
    schema: checkout.appendingPathComponent("data/student.yaml"),
    reports: checkout.appendingPathComponent("queries"))

// Load a file (it is never moved or changed): one record per file.
let records = try await workspace.ingest([checkout.appendingPathComponent("data/student-mat.csv")])
for record in records {
    print(record.status, record.rowsLoaded, record.source)
}

// A saved report by name or unique prefix; it encodes like one report of `sluice report --format json`.
let q5 = try await workspace.report(named: "q5")
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
print(String(decoding: try encoder.encode(q5), as: UTF8.self))

// Any read-only SQL, every row; median(), percentile() and mode() are there too.
let result = try await workspace.query(
    "SELECT sex, COUNT(*) AS students, median(g3) AS median_g3 FROM student_data GROUP BY sex")
for row in result.rows {
    print(row.map(\.displayText).joined(separator: "\t"))
}
