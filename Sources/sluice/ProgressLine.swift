import Foundation

/// A one-line progress display on standard error for long one-shot work: files, rows, MB/s and
/// an estimate of the time left. Silent when standard error is not a terminal.
final class ProgressLine {
    private let total: Int
    private let totalBytes: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private(set) var files = 0
    private(set) var rows = 0
    private(set) var bytes = 0

    /// Prepares to show progress over `total` files of `totalBytes` bytes.
    init(total: Int, totalBytes: Int) {
        self.total = total
        self.totalBytes = totalBytes
        enabled = isatty(STDERR_FILENO) == 1 && total > 1
    }

    /// Counts one finished file and redraws at most ten times a second.
    func advance(rows: Int, bytes: Int) {
        files += 1
        self.rows += rows
        self.bytes += bytes
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.1 || files == total else { return }
        lastDraw = Date()
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(self.bytes) / elapsed
        let left = rate > 0 ? Double(max(totalBytes - self.bytes, 0)) / rate : 0
        let width = 24
        let filled = total == 0 ? width : width * files / total
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let line = String(
            format: "\r[%@] %d/%d files, %d rows, %.1f MB/s, ETA %.0fs ", bar, files, total, self.rows, rate / 1e6, left
        )
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 90) + "\r").utf8))
    }
}
