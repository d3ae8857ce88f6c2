import Foundation

/// A failed run of an independent reader (a Python program): its exit status and the end of
/// its standard error. Tests that need the reader fail with this; they never skip.
public struct PeerFailure: Error, CustomStringConvertible {
    /// What ran and how it failed.
    public var description: String
}

/// Runs `python3 -c code arguments…` and returns its standard output.
///
/// - Throws: ``PeerFailure`` when `python3` is missing or exits non-zero (for example because
///   `pyarrow` or `duckdb` is not installed: `.ci/run` installs them).
public func runPython(_ code: String, _ arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code] + arguments
    let output = Pipe()
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-python-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errors) }
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errors)
    do { try process.run() } catch {
        throw PeerFailure(description: "cannot run python3: \(error)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        throw PeerFailure(
            description: "python3 exited \(process.terminationStatus): "
                + text.split(separator: "\n").suffix(6).joined(separator: "\n"))
    }
    return String(decoding: data, as: UTF8.self)
}

/// Runs `python3` like ``runPython(_:_:)`` and parses its output as one JSON value.
public func runPythonJSON(_ code: String, _ arguments: [String] = []) throws -> Any {
    let text = try runPython(code, arguments)
    do {
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    } catch {
        throw PeerFailure(description: "python3 printed something that is not JSON: \(text.prefix(300))")
    }
}
