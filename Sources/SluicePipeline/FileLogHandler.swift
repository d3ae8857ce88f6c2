import Foundation
import Logging

/// A swift-log handler that appends one line per message to a file (the workspace's `sluice.log`).
///
/// Line format: `2026-11-26T22:15:52.123Z INFO  loaded student-mat.csv: 395 rows key=value …`.
/// Each line is written with one `write(2)` on a file opened with `O_APPEND`, so lines from
/// several processes never interleave.
package struct FileLogHandler: LogHandler {
    /// The open log file, shared by copies of the handler.
    private let file: LogFile
    /// The handler's own metadata.
    package var metadata: Logger.Metadata = [:]
    /// Messages below this level are dropped.
    package var logLevel: Logger.Level = .info

    /// Opens (creating if needed) the log file at `path` for appending.
    ///
    /// - Throws: ``PipelineError`` when the file cannot be opened.
    package init(path: String) throws {
        file = try LogFile(path: path)
    }

    /// Gets or sets one metadata value.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Appends one line.
    package func log(event: LogEvent) {
        var line =
            Self.timestamp() + " " + event.level.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
        line += event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key]!)"
        }
        file.append(line + "\n")
    }

    /// Now, as ISO 8601 with milliseconds in UTC.
    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// The log file opened for appending (`O_APPEND`), closed when the last handler copy goes away.
private final class LogFile: Sendable {
    let handle: FileHandle

    init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PipelineError(
                code: .io, message: "cannot open the log file \(path): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func append(_ line: String) {
        // A failing log write must not stop an ingest; the ledger is the record of truth.
        try? handle.write(contentsOf: Data(line.utf8))
    }
}
