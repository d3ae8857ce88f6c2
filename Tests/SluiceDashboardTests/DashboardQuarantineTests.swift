import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import Testing

/// Every quarantined file stays listed however many files load after it; retry, downloads, paging.
struct DashboardQuarantineTests {
    /// The fixture (one good file, `bad-age.csv` rejected), then two more bad files and `good`
    /// small good ones, so the bad ones fall out of a 50-entry history window.
    private func crowdedWorkspace(in root: URL, good: Int) throws -> Workspace {
        let workspace = try DashboardFixture.workspace(in: root)
        let ingestor = try Ingestor(workspace: workspace, logger: DashboardFixture.logger)
        for name in ["bad-two.csv", "bad-three.csv"] {
            let file = root.appendingPathComponent(name)
            try DashboardFixture.badAgeCSV().replacingOccurrences(
                of: ";99;", with: name == "bad-two.csv" ? ";98;" : ";97;"
            )
            .write(to: file, atomically: true, encoding: .utf8)
            _ = try ingestor.ingest(fileAt: file, origin: .external)
        }
        for index in 0..<good {
            let file = root.appendingPathComponent("good-\(index).csv")
            try DashboardFixture.sample(rows: 1, offset: index).write(to: file, atomically: true, encoding: .utf8)
            _ = try ingestor.ingest(fileAt: file, origin: .external)
        }
        return workspace
    }

    private func object(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any])
    }

    @Test func everyRejectedFileIsListedAfterManyLaterLoads() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try crowdedWorkspace(in: root, good: 55)
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                let list = try object(try await client.execute(uri: "/api/quarantine", method: .get).body)
                let files = try #require(list["files"] as? [[String: Any]])
                #expect(
                    Set(files.compactMap { $0["name"] as? String }) == ["bad-age.csv", "bad-two.csv", "bad-three.csv"])
                #expect(
                    files.allSatisfy {
                        $0["reason"] as? String == "invalid-values" && $0["kind"] as? String == "rejected"
                    })
                #expect(files.allSatisfy { ($0["first_error"] as? String)?.hasPrefix("line 2, column age:") == true })

                let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                for name in ["bad-age.csv", "bad-two.csv", "bad-three.csv"] {
                    #expect(page.contains("<td class=\"file\">\(name)</td>"), "\(name)")
                    #expect(page.contains("href=\"/api/failed/\(name).errors.json\""))
                    #expect(page.contains("class=\"retry\" data-name=\"\(name)\""))
                }
                #expect(page.contains("3 waiting in failed/"))
                #expect(page.contains("1–50 of 59 files, newest first"))
                #expect(page.contains("<a href=\"/?history_offset=50\">older →</a>"))
                let older = String(buffer: try await client.execute(uri: "/?history_offset=50", method: .get).body)
                #expect(older.contains("51–59 of 59 files") && older.contains("<a href=\"/\">← newer</a>"))
                #expect(older.contains("<td class=\"file\">bad-age.csv</td>"))

                let paged = try object(
                    try await client.execute(uri: "/api/ingests?limit=5&offset=55", method: .get).body)
                let sources = (paged["ingests"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
                #expect(sources == ["bad-three.csv", "bad-two.csv", "bad-age.csv", "student-mat.csv"])
                let totals = try #require(paged["totals"] as? [String: Any])
                #expect(totals["rows_in_rejected_files"] as? Int == 6)
                #expect(totals["rows_rejected_in_loaded_files"] as? Int == 0)
                #expect(page.contains("rows in rejected files"))
            }
        }
    }

    @Test func quarantinedFilesAndReportsDownload() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try "secret".write(
                to: workspace.layout.failed.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                let file = try await client.execute(uri: "/api/failed/bad-age.csv", method: .get)
                #expect(file.status == .ok)
                #expect(String(buffer: file.body) == (try DashboardFixture.badAgeCSV()))
                #expect(file.headers[.contentDisposition] == "attachment; filename=\"bad-age.csv\"")
                let report = try await client.execute(uri: "/api/failed/bad-age.csv.errors.json", method: .get)
                #expect(report.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: report.body).contains("\"invalid-values\""))
                for name in [".hidden", "..%2Fsluice.yaml", "%2E%2E", "missing.csv", "..", "."] {
                    let refused = try await client.execute(uri: "/api/failed/\(name)", method: .get)
                    #expect(refused.status == .notFound, "\(name) → \(refused.status)")
                }
            }
        }
    }

    @Test func retryMovesAFileBackToTheInbox() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let tokens = DashboardAccessTests.tokens
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0, tokens: tokens), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let asReader = try await client.execute(
                    uri: "/api/retry?name=bad-age.csv", method: .post,
                    headers: [.authorization: "Bearer \(DashboardAccessTests.readSecret)"])
                #expect(asReader.status == .forbidden)
                let fromNull = try await RawHTTP.request(
                    "POST", "/api/retry?name=bad-age.csv", port: port,
                    headers: ["Origin: null", "Authorization: Bearer \(DashboardAccessTests.uploadSecret)"], body: "")
                #expect(fromNull.status == 403)
                let readerPage = String(
                    buffer: try await client.execute(
                        uri: "/", method: .get, headers: [.authorization: "Bearer \(DashboardAccessTests.readSecret)"]
                    ).body)
                #expect(!readerPage.contains("class=\"retry\""))

                let upload: HTTPFields = [.authorization: "Bearer \(DashboardAccessTests.uploadSecret)"]
                let missing = try await client.execute(uri: "/api/retry?name=nope.csv", method: .post, headers: upload)
                #expect(missing.status == .notFound)
                let retried = try await client.execute(
                    uri: "/api/retry?name=bad-age.csv", method: .post, headers: upload)
                #expect(retried.status == .ok)
                let moved = try object(retried.body)["retried"] as? [[String: Any]]
                #expect(
                    moved?.first?["to"] as? String == workspace.layout.inbox.appendingPathComponent("bad-age.csv").path)
                #expect(
                    FileManager.default.fileExists(
                        atPath: workspace.layout.inbox.appendingPathComponent("bad-age.csv").path))
                let list = try object(
                    try await client.execute(uri: "/api/quarantine", method: .get, headers: upload).body)
                #expect((list["files"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
