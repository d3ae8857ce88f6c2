import Foundation
@testable import SluiceDashboard
import SluiceWarehouse
import Testing

/// The small pure pieces: the number format, host names, query strings, result sizes, limits.
struct DashboardUnitTests {
    @Test(arguments: [
        (0.0, "0"), (10.0, "10"), (-0.0, "0"), (1_226.0, "1,226"), (1_232.8, "1,232.8"), (3.333_3, "3.33"),
        // 0.004 was "0" before ReadableNumber: a value that is not zero is never shown as zero now.
        (4.5, "4.5"), (0.05, "0.05"), (0.004, "0.004"), (-0.5, "-0.5"), (-1_234_567.891, "-1,234,567.89"),
        (999.999, "1,000"), (1e14, "100,000,000,000,000"), (12.10, "12.1"), (0.1 + 0.2, "0.3"),
    ])
    func numbersHaveOneFormat(number: Double, text: String) {
        #expect(ChartFormat.value(number) == text)
    }

    @Test func byteCountsReadWell() {
        #expect(ChartFormat.bytes(8 << 20) == "8 MiB")
        #expect(ChartFormat.bytes(1_536) == "1.5 KiB")
        #expect(ChartFormat.bytes(12) == "12 bytes")
    }

    @Test func hostNamesAreParsedStrictly() throws {
        #expect(HostPolicy.name(ofAuthority: "LocalHost:8080") == "localhost")
        #expect(HostPolicy.name(ofAuthority: "[::1]:8080") == "[::1]")
        #expect(HostPolicy.name(ofAuthority: "127.0.0.1") == "127.0.0.1")
        for bad in [
            "", ":80", "a:b", "a:123456", "a b", "a..b", ".a", "a.", "[::1", "[]", "[zz]", "a_b", "é.example",
            "a:80:80",
        ] {
            #expect(HostPolicy.name(ofAuthority: bad) == nil, "\(bad)")
        }
        let policy = try HostPolicy(bindHost: "::1", allowedHosts: ["Dash.Example.com:443", "2001:db8::7"])
        #expect(policy.names == ["localhost", "127.0.0.1", "[::1]", "dash.example.com", "[2001:db8::7]"])
        #expect(throws: DashboardError.self) { try HostPolicy(bindHost: "127.0.0.1", allowedHosts: ["evil/"]) }
        #expect(try HostPolicy(bindHost: "0.0.0.0").names == HostPolicy.loopbackNames)
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
            #expect(HostPolicy.isLoopbackBindAddress(host))
        }
        for host in ["127.evil.example", "127.0.0.1.evil", "0.0.0.0", "192.0.2.1", "::", "1270.0.0.1", "127.0.0.256"] {
            #expect(!HostPolicy.isLoopbackBindAddress(host), "\(host)")
        }
    }

    @Test func originsAreParsedStrictly() {
        #expect(DashboardGate.authority(ofOrigin: "http://localhost:8080") == "localhost:8080")
        #expect(DashboardGate.authority(ofOrigin: "HTTPS://Dash.example.com") == "dash.example.com")
        for bad in ["null", "file://", "http://a/b", "ftp://a", "http://user@a", "localhost:8080"] {
            #expect(DashboardGate.authority(ofOrigin: bad) == nil, "\(bad)")
        }
    }

    @Test func queryStringsReadPlusAsSpace() {
        let query = FormQuery("sql=SELECT+1%2B1+AS+%22x%22&empty=&flag&name=a%2Fb.csv&bad=%zz")
        #expect(query["sql"] == "SELECT 1+1 AS \"x\"")
        #expect(query["empty"] == "")
        #expect(query["flag"] == "")
        #expect(query["name"] == "a/b.csv")
        #expect(query["bad"] == "%zz")
        #expect(query["missing"] == nil)
        #expect(FormQuery(nil)["sql"] == nil)
    }

    @Test func resultSizesCountTheJSON() {
        #expect(ResultSize.text("ab") == 4)
        #expect(ResultSize.text("a\"\u{01}") == 2 + 1 + 2 + 6)
        #expect(ResultSize.value(.blob([1, 2, 3])) == 11)
        #expect(ResultSize.row([.integer(1), .null]) == 2 + 21 + 5)
    }

    @Test func theClientLimiterCountsSlots() {
        let limiter = ClientLimiter(limit: 2)
        #expect(limiter.acquire("a") && limiter.acquire("a"))
        #expect(!limiter.acquire("a"))
        #expect(limiter.acquire("b"))
        limiter.release("a")
        #expect(limiter.acquire("a"))
        limiter.release("a")
        limiter.release("a")
        limiter.release("b")
        #expect(limiter.count(for: "a") == 0 && limiter.count(for: "b") == 0)
    }

    @Test func sessionsExpireAndClose() async throws {
        let store = SessionStore(lifetime: .milliseconds(200), capacity: 2)
        let token = AccessToken(role: .read, secret: "0123456789abcdef0", label: "t")
        let first = store.open(for: token)
        #expect(first.count == 64 && first.allSatisfy(\.isHexDigit))
        #expect(store.token(forSession: first) == token)
        let second = store.open(for: token)
        #expect(second != first)
        store.close(second)
        #expect(store.token(forSession: second) == nil)
        _ = store.open(for: token)
        _ = store.open(for: token)
        #expect(store.count <= 2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(store.token(forSession: first) == nil)
    }
}

/// Charts name their axes with the schema's descriptions and show a legend only for several series.
struct ChartWordingTests {
    @Test func axesUseTheSchemasDescriptions() throws {
        let result = QueryResult(
            columns: ["pstatus", "fjob", "count"],
            rows: [
                [.text("t"), .text("other"), .integer(194)], [.text("a"), .text("other"), .integer(23)],
            ])
        let spec = ChartSpec(kind: .bar, x: "fjob", y: "count", group: "pstatus")
        let svg = try #require(
            SVGChart.render(
                result, spec: spec, title: "Top jobs",
                axisTitles: ["fjob": "father's job", "pstatus": "parents' cohabitation"]))
        #expect(svg.contains(">father&#39;s job</text>"))
        #expect(svg.contains(">parents&#39; cohabitation:</text>"))
        #expect(svg.contains(">count</text>"))
    }

    @Test func oneSeriesHasNoLegend() throws {
        let result = QueryResult(
            columns: ["famsize", "failures", "count"],
            rows: [
                [.text("gt3"), .integer(0), .integer(222)], [.text("le3"), .integer(0), .integer(90)],
            ])
        let svg = try #require(
            SVGChart.render(
                result, spec: ChartSpec(kind: .bar, x: "famsize", y: "count", group: "failures"), title: "Failures"))
        #expect(!svg.contains(">failures:</text>"))  // no legend heading
        #expect(svg.contains(">failures: 0</text>"))  // the one group value, said under the title instead
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)  // two bars, no swatch
    }
}
