import Foundation
import SluicePipeline

/// The whole-process figures of `sluice-bench reports`: `sluice report` from start to exit,
/// and the dashboard's page served by `sluice serve`.
struct ReportProcessTimings {
    let sluice: String
    let runs: Int

    init(sluice: String, runs: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [
                    NSFilePathErrorKey: sluice,
                    NSLocalizedDescriptionKey: "\(sluice) is not built; run `swift build -c release --product sluice`",
                ])
        }
        self.sluice = sluice
        self.runs = runs
    }

    /// `sluice rollup --rebuild` on the workspace.
    func rebuildRollups(workspace: Workspace) throws {
        _ = try capture(sluice, ["rollup", "--rebuild", "-w", workspace.layout.root.path])
    }

    /// The median wall time of `sluice report --format csv` (every report), and its output. With
    /// `fullSQL`, on a copy of the workspace whose `queries/` holds that folder's SQL and whose
    /// warehouse is the original, linked.
    func report(workspace: Workspace, fullSQL: URL? = nil) throws -> (seconds: Double, output: String) {
        var root = workspace.layout.root
        var cleanup: URL?
        if let fullSQL {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sluice-bench-full-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: copy.appendingPathComponent("queries"), withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: root.path) where name.hasSuffix(".yaml") {
                try FileManager.default.copyItem(
                    at: root.appendingPathComponent(name), to: copy.appendingPathComponent(name))
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: fullSQL.path) where name.hasSuffix(".sql") {
                try FileManager.default.copyItem(
                    at: fullSQL.appendingPathComponent(name), to: copy.appendingPathComponent("queries/\(name)"))
            }
            try FileManager.default.createSymbolicLink(
                at: copy.appendingPathComponent("warehouse.sqlite"), withDestinationURL: workspace.layout.warehouse)
            root = copy
            cleanup = copy
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        var times: [Double] = []
        var output = ""
        for _ in 0..<runs {
            let start = ContinuousClock.now
            output = try capture(sluice, ["report", "-w", root.path, "--format", "csv"])
            times.append(seconds(ContinuousClock.now - start))
        }
        return (median(times), output)
    }

    /// `GET /` of `sluice serve` on the workspace: the first request, and the median of the
    /// warm ones after it; `nil` without `curl`.
    func dashboardPage(workspace: Workspace) throws -> (first: Double, warm: Double)? {
        guard let curl = which("curl") else { return nil }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: sluice)
        server.arguments = ["serve", "-w", workspace.layout.root.path, "--port", "0"]
        let pipe = Pipe()
        server.standardOutput = pipe
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var announced = ""
        while !announced.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            announced += String(decoding: data, as: UTF8.self)
        }
        guard let start = announced.range(of: "http://"), let end = announced[start.upperBound...].firstIndex(of: " ")
        else { return nil }
        let url = String(announced[start.lowerBound..<end])
        func fetch() throws -> Double {
            let text = try capture(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url])
            let parts = text.split(separator: " ")
            guard parts.first == "200", let seconds = parts.last.flatMap({ Double($0) }) else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "GET \(url) answered \(text)"])
            }
            return seconds
        }
        let first = try fetch()
        let warm = try (0..<max(runs, 9)).map { _ in try fetch() }
        return (first, median(warm))
    }

    private func capture(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)"
                ])
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
