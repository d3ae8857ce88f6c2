import Foundation
import SluiceDashboard
import SluicePipeline
import SluiceTestSupport
import SluiceWarehouse
import Testing

/// Every URL-looking thing in a page: `http(s)://…` anywhere, and protocol-relative `//…` or
/// absolute URLs in `src`, `href`, `action`, CSS `url()` and `@import`.
func externalReferences(in html: String) -> [String] {
    let patterns = [
        #"https?://[^\s"'<>)]+"#,
        #"(?i)(src|href|action|poster|data|xlink:href)\s*=\s*["']?\s*//[^\s"'>]*"#,
        #"(?i)url\(\s*["']?\s*(https?:)?//[^)]*\)"#,
        #"(?i)@import"#,
    ]
    var found: [String] = []
    for pattern in patterns {
        let expression = try! NSRegularExpression(pattern: pattern)
        for match in expression.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            found.append(String(html[Range(match.range, in: html)!]))
        }
    }
    // Inline SVG names its XML namespace; that is an identifier, never fetched.
    return found.filter { $0 != "http://www.w3.org/2000/svg" }
}

struct HTMLReportTests {
    @Test func theReportIsOneSelfContainedPage() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let html = PageRenderer().render(DashboardSnapshot.load(workspace: workspace), mode: .report)
            #expect(externalReferences(in: html).isEmpty, "\(externalReferences(in: html))")
            #expect(!html.contains("<script"))
            #expect(!html.contains("<link"))
            #expect(!html.contains("<img"))
            // Every report: four charts and the compact table of q1, each with its SQL folded.
            #expect(html.components(separatedBy: "<svg").count - 1 == 4)
            #expect(html.components(separatedBy: "<details class=\"sql\">").count - 1 == 5)
            #expect(html.contains("Top 3 fathers&#39; jobs by parents&#39; cohabitation"))
            #expect(html.contains("<td>at_home</td>"))
            // When the data was last loaded, and the ingest summary with the rejected file's first reason.
            #expect(html.contains("Data last loaded <strong>20"))
            #expect(html.contains("bad-age.csv"))
            #expect(html.contains("line 2, column age: value 99 is above the maximum 22"))
        }
    }

    @Test func theDashboardPageAddsOnlyInlineScript() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let html = PageRenderer().render(DashboardSnapshot.load(workspace: workspace), mode: .live(uploads: true))
            #expect(externalReferences(in: html).isEmpty)
            #expect(html.contains("new EventSource('/events')"))
            #expect(!html.contains("<script src"))
            #expect(html.contains("id=\"query-form\""))
            #expect(html.contains("id=\"upload-form\""))
        }
    }

    @Test func aWorkspaceWithNothingLoadedStillRenders() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root, load: false)
            let html = PageRenderer().render(DashboardSnapshot.load(workspace: workspace), mode: .report)
            #expect(html.contains("Nothing loaded yet"))
            #expect(html.contains("Data last loaded <strong>never"))
            #expect(html.components(separatedBy: "no data loaded yet").count - 1 == 5)
        }
    }

    @Test func theCommandWritesTheFile() throws {
        try withTemporaryDirectory { root in
            let workspace = try DashboardFixture.workspace(in: root)
            let output = root.appendingPathComponent("report.html")
            let run = try runSluice([
                "report", "--format", "html", "--output", output.path, "-w", workspace.layout.root.path,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Wrote \(output.path)"))
            let html = try String(contentsOf: output, encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(externalReferences(in: html).isEmpty)
            #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        }
    }
}

/// Runs the built `sluice` binary (beside the test bundle) and captures its output.
func runSluice(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("sluice")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
