import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A FIFO planted in `failed/` (as a quarantined file or as a reason report) is refused at once:
/// no request, and no server task, waits for a writer that never comes.
struct DashboardFIFOTests {
    /// Opens each FIFO for writing and closes it: a reader stuck on one gets end-of-file, so a
    /// request the server left hanging ends and the test can shut the server down.
    private static func release(_ fifos: [String]) {
        for path in fifos {
            let descriptor = open(path, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 { close(descriptor) }
        }
    }

    /// The answer to `GET uri`, or `nil` if none came within `seconds` (then the FIFOs are released).
    /// Generous, as the whole suite runs in parallel on two cores in CI: a hang fails after it,
    /// a slow first answer does not.
    private static func answer(
        _ uri: String, client: some TestClientProtocol, fifos: [String], seconds: Int = 30
    ) async throws -> (status: HTTPResponse.Status, body: String)? {
        try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, body: String)?.self) { group in
            group.addTask {
                let response = try await client.execute(uri: uri, method: .get)
                return (response.status, String(buffer: response.body))
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            if first == nil { release(fifos) }
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return first
        }
    }

    @Test func fifosInFailedAreRefusedWithoutBlocking() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let failed = workspace.layout.failed
            let report = failed.appendingPathComponent("bad-age.csv.errors.json").path
            let planted = failed.appendingPathComponent("planted.csv").path
            #expect(FileManager.default.fileExists(atPath: report))
            try FileManager.default.removeItem(atPath: report)
            #expect(mkfifo(report, 0o644) == 0)
            #expect(mkfifo(planted, 0o644) == 0)
            let fifos = [report, planted]
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                let list = try #require(
                    try await Self.answer("/api/quarantine", client: client, fifos: fifos), "/api/quarantine hung")
                #expect(list.status == .ok)
                #expect(list.body.contains("\"bad-age.csv\"") && list.body.contains("\"planted.csv\""))
                let page = try #require(try await Self.answer("/", client: client, fifos: fifos), "the page hung")
                #expect(page.status == .ok)
                for name in ["planted.csv", "bad-age.csv.errors.json"] {
                    let download = try #require(
                        try await Self.answer("/api/failed/\(name)", client: client, fifos: fifos), "\(name) hung")
                    #expect(download.status == .notFound, "\(name)")
                    #expect(download.body.contains("regular file"), "\(name): \(download.body)")
                }
                let good = try #require(try await Self.answer("/api/failed/bad-age.csv", client: client, fifos: fifos))
                let expected = try DashboardFixture.badAgeCSV()
                #expect(good.status == .ok)
                #expect(good.body == expected)
            }
        }
    }

    /// Collects a response body.
    private final class Collected { var bytes: [UInt8] = [] }
    private struct CollectingWriter: ResponseBodyWriter {
        let collected: Collected
        mutating func write(_ buffer: ByteBuffer) async throws { collected.bytes += buffer.readableBytesView }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    /// The race the old route lost: it checked the name with `lstat`, then opened it by name only
    /// when the body was written; a FIFO put there meanwhile blocked that open for good. Now the
    /// file is open before the answer starts, so the body is the checked file's bytes.
    @Test func aFileSwappedForAFIFOAfterTheCheckIsNotOpened() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let path = workspace.layout.failed.appendingPathComponent("bad-age.csv").path
            let expected = try DashboardFixture.badAgeCSV()
            let routes = QuarantineRoutes(
                workspace: workspace, reader: WarehouseReader(workspace: workspace), allowsRetry: false)
            let response = try routes.file(named: "bad-age.csv")
            try FileManager.default.removeItem(atPath: path)
            #expect(mkfifo(path, 0o644) == 0)
            let body = try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    let collected = Collected()
                    try await response.body.write(CollectingWriter(collected: collected))
                    return String(decoding: collected.bytes, as: UTF8.self)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return nil
                }
                let first = try await group.next() ?? nil
                if first == nil { Self.release([path]) }
                group.cancelAll()
                while (try? await group.next()) != nil {}
                return first
            }
            #expect(body == expected, "the body was not written within 30 s, or not the checked file")
        }
    }
}
