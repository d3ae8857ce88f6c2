import ArgumentParser
import Foundation

/// `sluice-bench watch-latency`: from a file's rename into the inbox to its rows being
/// queryable, with files dropped one by one into a running `sluice watch`.
struct WatchLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-latency",
        abstract:
            "Drop files one by one into a running `sluice watch` and measure rename-to-committed latency (p50, p90, p99).",
        discussion: """
            The clock starts just before the file is renamed into inbox/ and stops when `sluice watch --json`
            prints its `loaded` event, which it does after the transaction holding the rows commits.
            Build the CLI in release first: swift build -c release
            """)

    @Option(help: "Files to drop.")
    var files: Int = 200

    @Option(help: "The sluice binary to run.")
    var sluice: String = BenchPaths.repositoryRoot + "/.build/release/sluice"

    @Option(help: "The student CSV each dropped file is made from.")
    var csv: String = BenchPaths.repositoryRoot + "/data/student-mat.csv"

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            throw ValidationError("\(sluice) is not built; run `swift build -c release` first")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-latency-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try runProcess(sluice, ["init", "ws"], in: root)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)

        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: sluice)
        watch.arguments = ["watch", "-w", "ws", "--json"]
        watch.currentDirectoryURL = root
        let output = Pipe()
        watch.standardOutput = output
        watch.standardError = FileHandle.nullDevice
        try watch.run()
        defer { watch.terminate(); watch.waitUntilExit() }
        let events = LineReader(handle: output.fileHandleForReading)

        var latencies: [Double] = []
        let inbox = root.appendingPathComponent("ws/inbox")
        for index in 0..<files {
            // Each file distinct: the data rows in a rotated order.
            let rows = Array(lines[1...])
            let shift = index % rows.count
            let text = ([lines[0]] + Array(rows[shift...] + rows[..<shift])).joined(separator: "\n") + "\n"
            let staged = root.appendingPathComponent(".f\(index).csv")
            try Data(text.utf8).write(to: staged)
            let name = "f\(index).csv"
            let start = DispatchTime.now().uptimeNanoseconds
            try FileManager.default.moveItem(at: staged, to: inbox.appendingPathComponent(name))
            while let line = events.next() {
                guard line.contains("\"source\":\"\(name)\""),
                    line.contains("\"event\":\"loaded\"") || line.contains("\"event\":\"duplicate\"")
                else { continue }
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                break
            }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(
            "sluice-bench watch-latency: \(latencies.count) files of \(lines.count - 1) rows, dropped one by one (rename into inbox/)"
        )
        print(
            String(
                format: "  p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms", percentile(0.5), percentile(0.9),
                percentile(0.99), latencies.last ?? 0))
    }

    private func runProcess(_ path: String, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}

/// Reads a pipe line by line, blocking.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(handle: FileHandle) { self.handle = handle }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}
