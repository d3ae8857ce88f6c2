import Foundation
import Logging
import SluiceDashboard
import SluicePipeline
import SluiceTestSupport
import SluiceWarehouse

/// A workspace with the bundled schema and reports, `data/student-mat.csv` loaded and one
/// rejected file (`bad-age.csv`: age 99 on line 2).
enum DashboardFixture {
    static let logger = Logger(label: "sluice-dashboard-tests") { _ in SwiftLogNoOpLogHandler() }

    /// Creates the workspace under `root` and loads the two files.
    static func workspace(in root: URL, load: Bool = true) throws -> Workspace {
        let workspace = try Workspace.create(
            at: root.appendingPathComponent("ws"),
            schemaFile: repositoryRoot.appendingPathComponent("data/student.yaml"),
            queries: repositoryRoot.appendingPathComponent("queries"))
        guard load else { return workspace }
        let ingestor = try Ingestor(workspace: workspace, logger: logger)
        _ = try ingestor.ingest(
            fileAt: repositoryRoot.appendingPathComponent("data/student-mat.csv"), origin: .external)
        let bad = root.appendingPathComponent("bad-age.csv")
        try badAgeCSV().write(to: bad, atomically: true, encoding: .utf8)
        _ = try ingestor.ingest(fileAt: bad, origin: .external)
        return workspace
    }

    /// The header and two rows of the real file, the first row's age set to 99.
    static func badAgeCSV() throws -> String {
        var lines = try sample(rows: 2).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ";18;", with: ";99;")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header and the first `rows` data lines of `data/student-mat.csv`, shuffled by `seed`
    /// changes so the bytes differ from earlier deliveries.
    static func sample(rows: Int, offset: Int = 0) throws -> String {
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("data/student-mat.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        return ([lines[0]] + lines.dropFirst(1 + offset).prefix(rows)).joined(separator: "\n") + "\n"
    }

    /// Runs `body` with a fresh temporary directory, removed afterwards (async variant).
    static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }

    /// Statements that try to change something, each of which must be refused.
    static let writeAttempts = [
        "INSERT INTO student_data (school) VALUES ('gp')",
        "REPLACE INTO sluice_ingests (id) VALUES (1)",
        "UPDATE student_data SET age = 16",
        "DELETE FROM student_data",
        "WITH doomed AS (SELECT 1) DELETE FROM student_data",
        "DROP TABLE student_data",
        "CREATE TABLE notes (x)",
        "CREATE TEMP TABLE notes (x)",
        "CREATE VIEW everyone AS SELECT * FROM student_data",
        "CREATE INDEX by_age ON student_data(age)",
        "CREATE TRIGGER t AFTER INSERT ON student_data BEGIN SELECT 1; END",
        "ALTER TABLE student_data ADD COLUMN note TEXT",
        "ATTACH DATABASE '/tmp/sluice-attack.sqlite' AS attack",
        "DETACH DATABASE main",
        "PRAGMA query_only = OFF",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA user_version = 7",
        "PRAGMA writable_schema = ON",
        "PRAGMA foreign_keys = OFF",
        "SELECT load_extension('/tmp/evil.so')",
        "BEGIN IMMEDIATE",
        "SAVEPOINT s",
        "VACUUM",
        "VACUUM INTO '/tmp/sluice-copy.sqlite'",
        "REINDEX",
        "ANALYZE",
        "CREATE VIRTUAL TABLE v USING fts5(x)",
    ]

    /// The row count and ledger size, to check that nothing changed.
    static func fingerprint(_ workspace: Workspace) throws -> [String] {
        let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
        let result = try warehouse.query(
            """
            SELECT (SELECT COUNT(*) FROM student_data), (SELECT COUNT(*) FROM sluice_ingests),
                   (SELECT COUNT(*) FROM sqlite_master), (SELECT user_version FROM pragma_user_version)
            """)
        return result.rows[0].map(\.displayText)
    }
}
