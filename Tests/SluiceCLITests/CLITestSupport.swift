import Foundation
import SluiceTestSupport

/// What one run of the `sluice` binary produced.
struct CommandOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as a JSON object.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] ?? [:]
    }
}

/// The built `sluice` executable: next to the test bundle in the build folder.
let sluiceBinary: URL = {
    var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    #if os(macOS)
        folder =
            Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? folder
    #endif
    return folder.appendingPathComponent("sluice")
}()

/// Runs `sluice` with `arguments` in `directory`, with `SLUICE_WORKSPACE` unset unless given.
func sluice(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> CommandOutput {
    try run(sluiceBinary, arguments, in: directory, environment: environment)
}

/// Runs any executable and captures its output.
func run(
    _ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    stdin: URL? = nil
) throws -> CommandOutput {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SLUICE_WORKSPACE")
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
    try process.run()
    // Read both pipes at once, before waiting, so a child that fills either cannot block.
    let stderrBox = DataBox()
    let reader = Thread { stderrBox.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = stderrBox.wait()
    process.waitUntilExit()
    return CommandOutput(
        status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
        stderr: String(decoding: stderrData, as: UTF8.self))
}

/// The first `count` data lines of the real file, with its header.
func studentSample(lines count: Int) throws -> String {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("data/student-mat.csv"), encoding: .utf8)
    return text.split(separator: "\n").prefix(count + 1).joined(separator: "\n") + "\n"
}

/// Finds an executable on `PATH`.
func which(_ name: String) -> URL? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return paths.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Data handed over from a reader thread.
final class DataBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
