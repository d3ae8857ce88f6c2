#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Every POSIX file call in SluiceParquet is in this file.

/// A file being written under a temporary name and published by a rename: created exclusively,
/// appended to, fsynced, renamed; removed if dropped unpublished.
final class OutputFile {
    private var fd: Int32
    /// The temporary path being written.
    let temporaryPath: String
    /// Where ``publish(durable:)`` puts the file.
    let finalPath: String
    /// Bytes written so far.
    private(set) var size = 0

    /// Creates a hidden temporary file (`.NAME.RANDOM.tmp`) beside `finalPath`.
    /// Wraps `open(O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)`.
    init(finalPath: String) throws(ParquetError) {
        let slash = finalPath.lastIndex(of: "/")
        let directory = slash.map { String(finalPath[...$0]) } ?? ""
        let name = slash.map { String(finalPath[finalPath.index(after: $0)...]) } ?? finalPath
        temporaryPath = "\(directory).\(name).\(UInt64.random(in: 0...UInt64.max)).tmp"
        self.finalPath = finalPath
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("create", temporaryPath) }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    /// The one place where `errno` becomes a Swift error.
    private static func failure(_ operation: String, _ path: String) -> ParquetError {
        let code = errno
        let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return ParquetError(code: .io, file: path, message: "\(operation) failed: \(text)")
    }

    /// Appends all of `bytes`. Wraps `write`, retrying short writes and `EINTR`.
    func write(_ bytes: [UInt8]) throws(ParquetError) {
        precondition(fd >= 0, "the file is already published")
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress! + done, bytes.count - done) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", temporaryPath)
            }
            done += result
        }
        size += bytes.count
    }

    /// Closes the file and renames it to ``finalPath`` (replacing any file there atomically);
    /// when `durable`, fsyncs the file first and its directory after. Wraps `fsync`, `close`
    /// and `rename`.
    func publish(durable: Bool) throws(ParquetError) {
        precondition(fd >= 0, "the file is already published")
        if durable, fsync(fd) != 0 { throw Self.failure("fsync", temporaryPath) }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else {
            unlink(temporaryPath)
            throw Self.failure("close", temporaryPath)
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let error = Self.failure("rename to \(finalPath)", temporaryPath)
            unlink(temporaryPath)
            throw error
        }
        if durable { syncDirectory(of: finalPath) }
    }
}

@available(*, unavailable, message: "an output file has one writer")
extension OutputFile: Sendable {}

/// Fsyncs the directory holding `path`, so a rename or unlink inside it is durable; errors are
/// ignored because some file systems refuse to fsync directories. Wraps `open` and `fsync`.
func syncDirectory(of path: String) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
}

/// `write(2)`, reachable from inside ``OutputFile`` whose method has the same name.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
