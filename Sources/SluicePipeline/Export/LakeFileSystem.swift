#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Every POSIX call of the lake export is in this file: the export lock, durable small-file
// writes, renames and directory syncs.

/// File operations the lake export needs beyond Foundation: an advisory lock, a write that is
/// on disk before it becomes visible, an atomic rename over an existing file, a directory fsync.
enum LakeFileSystem {
    /// The one place where `errno` becomes a Swift error: an `io` ``PipelineError`` whose cause
    /// is the ``SystemCallError`` (so callers can tell a full disk from a missing permission).
    private static func failure(_ operation: String, _ path: String) -> PipelineError {
        let cause = SystemCallError(operation: operation, path: path, errno: errno)
        return PipelineError(code: .io, message: "export: \(cause)", cause: cause)
    }

    /// Writes `bytes` to a hidden temporary file beside `path`, fsyncs it, renames it to `path`
    /// (replacing any file there atomically) and fsyncs the directory. Wraps `open`, `write`,
    /// `fsync`, `close` and `rename`.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let (directory, name) = split(path)
        let temporary = "\(directory)/.\(name).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", temporary) }
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + done, bytes.count - done) }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else {
                let error = failure("write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            done += result
        }
        let synced = fsync(fd) == 0 ? nil : failure("fsync", temporary)
        close(fd)
        if let synced {
            unlink(temporary)
            throw synced
        }
        try rename(temporary, to: path)
        syncDirectory(directory)
    }

    /// Atomically renames `source` to `destination`, replacing a file there. Wraps `rename`.
    static func rename(_ source: String, to destination: String) throws {
        guard systemRename(source, destination) == 0 else { throw failure("rename to \(destination)", source) }
    }

    /// Removes the file at `path`; a file already gone is not an error. Wraps `unlink`.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("unlink", path) }
    }

    /// Fsyncs a directory so renames and unlinks in it are durable; errors are ignored because
    /// some file systems refuse to fsync directories. Wraps `open` and `fsync`.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The folder and the name of `path`.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }
}

/// An exclusive advisory lock on a file (`flock`), released when the lock is dropped or the
/// process dies, so a crashed export never leaves a directory locked.
final class ExportLock {
    private let fd: Int32

    /// Takes the lock on `path` (created if missing) without waiting.
    ///
    /// - Throws: ``PipelineError`` `io` when another process holds it or the file cannot be
    ///   opened. Wraps `open` and `flock(LOCK_EX | LOCK_NB)`.
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw PipelineError(
                code: .io, message: "\(path): cannot open the export lock: \(String(cString: strerror(code)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw PipelineError(
                code: .io, message: "\(path): another export to this folder is running; wait for it to finish")
        }
        self.fd = fd
    }

    deinit { close(fd) }
}

@available(*, unavailable, message: "the lock is held by the export that took it")
extension ExportLock: Sendable {}

/// `rename(2)`, reachable from inside ``LakeFileSystem`` whose method has the same name.
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
