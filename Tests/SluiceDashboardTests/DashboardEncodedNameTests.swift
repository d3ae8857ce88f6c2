import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import Testing

/// The page links quarantined files and reports by percent-encoded name; those links work, and
/// decoding opens no way out of `failed/` or `queries/`.
struct DashboardEncodedNameTests {
    @Test func percentEncodedNamesFindTheirFiles() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let failedName = "my file é.csv"
            let failedText = try DashboardFixture.badAgeCSV()
            try failedText.write(
                to: workspace.layout.failed.appendingPathComponent(failedName), atomically: true, encoding: .utf8)
            let reportSQL = "-- title: Spaced\nSELECT 42 AS answer;\n"
            try reportSQL.write(
                to: workspace.layout.queries.appendingPathComponent("my report.sql"), atomically: true,
                encoding: .utf8)
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                // The encodings below are what python3's urllib.parse.quote gives for these names.
                let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                #expect(page.contains("href=\"/api/failed/my%20file%20%C3%A9.csv\""))
                #expect(page.contains("href=\"/api/reports/my%20report.sql\""))
                let file = try await client.execute(uri: "/api/failed/my%20file%20%C3%A9.csv", method: .get)
                #expect(file.status == .ok)
                #expect(String(buffer: file.body) == failedText)
                let sql = try await client.execute(uri: "/api/reports/my%20report.sql", method: .get)
                #expect(sql.status == .ok)
                #expect(String(buffer: sql.body) == reportSQL)
                let csv = try await client.execute(uri: "/api/reports/my%20report.csv", method: .get)
                #expect(String(buffer: csv.body) == "answer\n42\n" || String(buffer: csv.body) == "answer\r\n42\r\n")
                for uri in [
                    "/api/failed/..%2Fsluice.yaml", "/api/failed/%2e%2e%2fsluice.yaml", "/api/failed/%2Fetc%2Fpasswd",
                    "/api/failed/bad-age.csv%00", "/api/failed/%2E%2E", "/api/reports/..%2Fsluice.yaml.sql",
                    "/api/reports/%2Fetc%2Fpasswd.sql", "/api/reports/q1%00.sql", "/api/failed/100%.csv",
                ] {
                    let refused = try await client.execute(uri: uri, method: .get)
                    #expect(refused.status == .notFound, "\(uri) → \(refused.status)")
                }
            }
        }
    }
}
