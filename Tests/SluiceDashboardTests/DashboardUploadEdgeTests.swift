import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SluiceDashboard
import SluicePipeline
import Testing

/// Uploads that are the client's fault get a 4xx, not a 500: a malformed chunked body, and a name
/// taken in the inbox by a dangling symbolic link (which is left alone, its target never written).
struct DashboardUploadEdgeTests {
    @Test func brokenBodiesAndDanglingLinksGetClientErrors() async throws {
        try await DashboardFixture.withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let outside = root.appendingPathComponent("outside.csv").path
            let link = workspace.layout.inbox.appendingPathComponent("link.csv").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
            let app = try DashboardServer(
                workspace: workspace, configuration: .init(port: 0), logger: DashboardFixture.logger
            )
            .makeApplication()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let broken = try await RawHTTP.request(
                    "POST", "/api/upload?name=broken.csv", port: port, headers: ["Transfer-Encoding: chunked"],
                    body: "ZZZ\r\na;b\r\n")
                #expect(broken.status == 400, "\(broken.status) \(broken.body)")
                #expect(broken.errorCode == "bad-request")

                let linked = try await RawHTTP.request(
                    "POST", "/api/upload?name=link.csv", port: port, body: "a;b\n1;2\n")
                #expect(linked.status == 409, "\(linked.status) \(linked.body)")
                #expect(linked.errorCode == "conflict")
            }
            #expect(!FileManager.default.fileExists(atPath: outside))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == outside)
            let left = try FileManager.default.contentsOfDirectory(atPath: workspace.layout.inbox.path)
            #expect(left == ["link.csv"], "no partial upload is left: \(left)")
        }
    }
}
