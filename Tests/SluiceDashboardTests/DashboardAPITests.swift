import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceDashboard
import SluicePipeline
import SluiceWarehouse
import Testing

/// The HTTP API against a real server on a random loopback port (`.live`).
struct DashboardAPITests {
    private func server(_ workspace: Workspace, _ configuration: DashboardServer.Configuration = .init(port: 0))
        throws -> some ApplicationProtocol
    {
        try DashboardServer(workspace: workspace, configuration: configuration, logger: DashboardFixture.logger)
            .makeApplication()
    }

    private func object(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any])
    }

    @Test func servesTheDashboardPage() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace).test(.live) { client in
                let page = try await client.execute(uri: "/", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: page.body)
                #expect(html.components(separatedBy: "<svg").count - 1 == 4)
                #expect(
                    html.contains("Ingest history") && html.contains("Rejected files") && html.contains("query-form"))
                let report = try await client.execute(uri: "/report.html", method: .get)
                #expect(!String(buffer: report.body).contains("<script"))
            }
        }
    }

    /// A saved report that fails (here one that would write) fails alone: `/api/reports` still
    /// answers 200 with every other report, and the broken one carries its error; its card on
    /// the page shows the error with its file.
    @Test func aBrokenReportFailsAloneOnTheDashboard() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try "-- title: Writes\nDELETE FROM student_data;\n"
                .write(
                    to: workspace.layout.queries.appendingPathComponent("q9_writes.sql"), atomically: true,
                    encoding: .utf8)
            try await server(workspace).test(.live) { client in
                let all = try await client.execute(uri: "/api/reports", method: .get)
                #expect(all.status == .ok)
                let reports = try #require(try object(all.body)["reports"] as? [[String: Any]])
                #expect(reports.count == 6)
                #expect(reports.filter { $0["rows"] != nil }.count == 5)
                let broken = try #require(reports.first { $0["name"] as? String == "q9_writes" })
                #expect((broken["error"] as? [String: Any])?["code"] as? String == "write-refused")
                let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                #expect(page.contains("queries/q9_writes.sql"), "the card names the file")
                #expect(await rowCount(workspace) > 0, "nothing was deleted")
            }
        }
    }

    private func rowCount(_ workspace: Workspace) async -> Int {
        (try? Warehouse(path: workspace.layout.warehouse.path, readOnly: true).query(
            "SELECT COUNT(*) FROM student_data"
        ).rows.first?.first)
        .flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } } ?? 0
    }

    @Test func reportsAreTheSameJSONAsTheCommand() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let command = try runSluice(["report", "--format", "json", "-w", workspace.layout.root.path])
            #expect(command.status == 0)
            try await server(workspace).test(.live) { client in
                let all = try await client.execute(uri: "/api/reports", method: .get)
                #expect(all.status == .ok)
                #expect(all.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: all.body) == command.stdout)

                let one = try await client.execute(uri: "/api/reports/q3", method: .get)
                #expect(one.status == .ok)
                let q3 = try object(one.body)
                #expect(q3["name"] as? String == "q3_top_father_jobs_by_cohabitation")
                #expect(q3["columns"] as? [String] == ["pstatus", "fjob", "count"])
                #expect((q3["rows"] as? [[Any]])?.first?.last as? Int == 23)

                let missing = try await client.execute(uri: "/api/reports/q9", method: .get)
                #expect(missing.status == .notFound)
                #expect((try object(missing.body)["error"] as? [String: Any])?["code"] as? String == "not-found")
            }
        }
    }

    @Test func listsTheIngestLedger() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace).test(.live) { client in
                let response = try await client.execute(uri: "/api/ingests", method: .get)
                #expect(response.status == .ok)
                let json = try object(response.body)
                let totals = try #require(json["totals"] as? [String: Any])
                #expect(
                    totals["files"] as? Int == 2 && totals["loaded"] as? Int == 1 && totals["rejected"] as? Int == 1)
                #expect(totals["rows_loaded"] as? Int == 395)
                #expect(totals["last_loaded_at"] is String)
                let ingests = try #require(json["ingests"] as? [[String: Any]])
                #expect(ingests.map { $0["source"] as? String } == ["bad-age.csv", "student-mat.csv"])
                #expect(ingests[0]["reason"] as? String == "invalid-values")
                #expect((ingests[0]["first_error"] as? String)?.hasPrefix("line 2, column age:") == true)
                let bad = try await client.execute(uri: "/api/ingests?limit=many", method: .get)
                #expect(bad.status == .badRequest)
            }
        }
    }

    @Test func runsReadOnlyQueries() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace).test(.live) { client in
                let sql = "SELECT sex, COUNT(*) AS n FROM student_data GROUP BY sex ORDER BY sex"
                let escaped = sql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await client.execute(uri: "/api/query?sql=\(escaped)", method: .get)
                #expect(response.status == .ok)
                let json = try object(response.body)
                #expect(json["columns"] as? [String] == ["sex", "n"])
                #expect((json["rows"] as? [[Any]])?.count == 2)
                #expect(json["truncated"] as? Bool == false)
                #expect(json["max_rows"] as? Int == 1_000)

                let capped = try await client.execute(
                    uri: "/api/query?max_rows=3&sql=SELECT%20age%20FROM%20student_data", method: .get)
                #expect((try object(capped.body)["rows"] as? [[Any]])?.count == 3)
                #expect(try object(capped.body)["truncated"] as? Bool == true)

                #expect(try await client.execute(uri: "/api/query", method: .get).status == .badRequest)
                let broken = try await client.execute(uri: "/api/query?sql=SELEKT%201", method: .get)
                #expect(broken.status == .badRequest)
                #expect((try object(broken.body)["error"] as? [String: Any])?["code"] as? String == "sql-error")
            }
        }
    }

    @Test func refusesEveryWriteOverHTTP() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let before = try DashboardFixture.fingerprint(workspace)
            try await server(workspace).test(.live) { client in
                for sql in DashboardFixture.writeAttempts + ["SELECT 1; DROP TABLE student_data"] {
                    let escaped = sql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let response = try await client.execute(uri: "/api/query?sql=\(escaped)", method: .get)
                    let error = try object(response.body)["error"] as? [String: Any]
                    #expect((400..<500).contains(response.status.code), "\(sql) → \(response.status)")
                    #expect(error?["message"] is String, "\(sql)")
                    if !sql.hasPrefix("SELECT 1;") {
                        #expect(response.status == .forbidden, "\(sql) → \(response.status)")
                        #expect(error?["code"] as? String == "write-refused", "\(sql)")
                    }
                }
            }
            #expect(try DashboardFixture.fingerprint(workspace) == before)
        }
    }

    @Test func uploadsLandInTheInbox() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let csv = try DashboardFixture.sample(rows: 5, offset: 10)
            let configuration = DashboardServer.Configuration(port: 0, maxUploadBytes: 4_096)
            try await server(workspace, configuration).test(.live) { client in
                let created = try await client.execute(
                    uri: "/api/upload?name=delivery.csv", method: .post, body: ByteBuffer(string: csv))
                #expect(created.status == .created)
                #expect(try object(created.body)["size"] as? Int == csv.utf8.count)
                let landed = workspace.layout.inbox.appendingPathComponent("delivery.csv")
                #expect(try String(contentsOf: landed, encoding: .utf8) == csv)

                let again = try await client.execute(
                    uri: "/api/upload?name=delivery.csv", method: .post, body: ByteBuffer(string: csv))
                #expect(again.status == .conflict)
                for name in ["../escape.csv", "a%2Fb.csv", "..%2F..%2Fetc.csv", ".hidden.csv", "notes.txt", ""] {
                    let refused = try await client.execute(
                        uri: "/api/upload?name=\(name)", method: .post, body: ByteBuffer(string: csv))
                    #expect(refused.status == .badRequest, "\(name) → \(refused.status)")
                }
                let big = String(repeating: "x", count: 5_000)
                let tooLarge = try await client.execute(
                    uri: "/api/upload?name=big.csv", method: .post, body: ByteBuffer(string: big))
                #expect(tooLarge.status == .contentTooLarge)
                let crossSite = try await client.execute(
                    uri: "/api/upload?name=evil.csv", method: .post, headers: [.origin: "http://evil.example"],
                    body: ByteBuffer(string: csv))
                #expect(crossSite.status == .forbidden)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: workspace.layout.inbox.path)
            #expect(names == ["delivery.csv"])  // no temporary file left behind, nothing else landed
        }
    }

    @Test func reportsAndQueriesDownloadAsCSVAndJSON() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace).test(.live) { client in
                let csv = try await client.execute(uri: "/api/reports/q3.csv", method: .get)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(
                    csv.headers[.contentDisposition]
                        == "attachment; filename=\"q3_top_father_jobs_by_cohabitation.csv\"")
                #expect(String(buffer: csv.body).hasPrefix("pstatus,fjob,count\n"))

                let plain = try await client.execute(uri: "/api/reports/q3", method: .get)
                let json = try await client.execute(uri: "/api/reports/q3.json", method: .get)
                #expect(
                    json.headers[.contentDisposition]
                        == "attachment; filename=\"q3_top_father_jobs_by_cohabitation.json\"")
                #expect(String(buffer: json.body) == String(buffer: plain.body))

                let sql = try await client.execute(uri: "/api/reports/q3.sql", method: .get)
                #expect(sql.headers[.contentType] == "text/plain; charset=utf-8")
                let file = try String(
                    contentsOf: workspace.layout.root.appendingPathComponent("queries")
                        .appendingPathComponent("q3_top_father_jobs_by_cohabitation.sql"), encoding: .utf8)
                #expect(String(buffer: sql.body) == file)
                #expect(try await client.execute(uri: "/api/reports/q9.csv", method: .get).status == .notFound)

                let query = "/api/query?sql=SELECT+sex,+COUNT(*)+AS+n+FROM+student_data+GROUP+BY+sex+ORDER+BY+sex"
                let queryCSV = try await client.execute(uri: query + "&format=csv", method: .get)
                #expect(String(buffer: queryCSV.body) == "sex,n\nf,208\nm,187\n")
                #expect(queryCSV.headers[.contentDisposition] == "attachment; filename=\"query.csv\"")
                let queryJSON = try await client.execute(uri: query + "&format=json", method: .get)
                #expect(String(buffer: queryJSON.body).contains("\"rows\":[[\"f\",208],[\"m\",187]]"))
                #expect(try await client.execute(uri: query + "&format=xml", method: .get).status == .badRequest)
                let chart = try await client.execute(uri: query + "&format=svg", method: .get)
                #expect(chart.headers[.contentType] == "image/svg+xml; charset=utf-8")
                #expect(
                    String(buffer: chart.body).hasPrefix("<svg") && String(buffer: chart.body).contains(">208</text>"))
                let notChartable = try await client.execute(
                    uri: "/api/query?format=svg&sql=SELECT+'a'+AS+t", method: .get)
                #expect(notChartable.status == .badRequest)

                let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                for name in ["q1_mother_jobs_of_young_male_students", "q3_top_father_jobs_by_cohabitation"] {
                    #expect(page.contains("href=\"/api/reports/\(name).csv\" download"))
                    #expect(page.contains("href=\"/api/reports/\(name).json\" download"))
                    #expect(page.contains("href=\"/api/reports/\(name).sql\""))
                }
                #expect(page.contains("id=\"query-link\" href=\"/?sql=SELECT%20school"))
                #expect(page.contains("id=\"query-csv\" href=\"/api/query?format=csv&amp;sql=SELECT%20school"))

                let permalink = String(
                    buffer: try await client.execute(uri: "/?sql=SELECT+1+AS+%22one%22", method: .get).body)
                #expect(permalink.contains(">SELECT 1 AS &quot;one&quot;</textarea>"))
                #expect(permalink.contains("data-run=\"1\""))
                #expect(permalink.contains("href=\"/?sql=SELECT%201%20AS%20%22one%22\""))
            }
        }
    }

    @Test func theSchemaPageShowsRulesAndTables() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace).test(.live) { client in
                let json = try object(try await client.execute(uri: "/api/schema", method: .get).body)
                let schema = try #require(json["schema"] as? [String: Any])
                #expect(schema["table"] as? String == "student_data")
                let columns = try #require(schema["columns"] as? [[String: Any]])
                let age = try #require(columns.first { $0["name"] as? String == "age" })
                #expect(age["rules"] as? [String] == ["15–22"] && age["type"] as? String == "integer")
                #expect(age["description"] as? String == "age in years")
                let sex = try #require(columns.first { $0["name"] as? String == "sex" })
                // The bundled schema labels sex (labels: {f: female, m: male}): the last rule says so.
                #expect(
                    sex["rules"] as? [String] == [
                        "one of: f, m", "at most 1 character", "labels: f = female, m = male",
                    ])
                let tables = try #require(json["tables"] as? [[String: Any]])
                // The data table and the ledger; the rollups and the other bookkeeping tables are left out.
                #expect(tables.compactMap { $0["name"] as? String } == ["sluice_ingests", "student_data"])
                #expect(tables.last?["rows"] as? Int == 395)

                let page = try await client.execute(uri: "/schema", method: .get)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: page.body)
                #expect(html.contains("<td class=\"file\">fjob</td>") && html.contains("father&#39;s job"))
                #expect(html.contains("student_data <span class=\"count\">395 rows</span>"))
                #expect(
                    String(buffer: try await client.execute(uri: "/", method: .get).body).contains(
                        "<a href=\"/schema\">schema</a>"))
            }
        }
    }

    @Test func uploadsCanBeTurnedOff() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            try await server(workspace, .init(port: 0, allowUploads: false)).test(.live) { client in
                let response = try await client.execute(
                    uri: "/api/upload?name=a.csv", method: .post, body: ByteBuffer(string: "x"))
                #expect(response.status == .forbidden)
            }
        }
    }
}
