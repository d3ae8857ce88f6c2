#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Every POSIX file call in SluiceColumnar is in this file.

/// An open file descriptor, closed on deinit: positioned reads for the reader, appends with
/// `fsync` for the writer, plus the rename and unlink that publish or discard a written file.
final class FileDescriptor {
    private let fd: Int32
    /// The path, for messages.
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The one place where `errno` becomes a Swift error.
    private static func failure(_ operation: String, _ path: String) -> ColumnarError {
        let code = errno
        let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return ColumnarError(code: .io, file: path, message: "\(operation) failed: \(text)")
    }

    /// Opens the regular file `path` read-only. Wraps `open(O_RDONLY | O_NONBLOCK | O_CLOEXEC)`
    /// and `fstat`: a FIFO, socket, device or folder is refused (`notColumnar`) without being
    /// read, so a FIFO named `x.scol` cannot block the reader until something writes to it.
    static func openForReading(_ path: String) throws(ColumnarError) -> FileDescriptor {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        let file = FileDescriptor(fd: fd, path: path)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("fstat", path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ColumnarError(
                code: .notColumnar, file: path,
                message: "not a regular file (a FIFO, socket, device or folder); it was not read")
        }
        return file
    }

    /// Creates `path`, which must not exist, for writing with mode 0644.
    /// Wraps `open(O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)`.
    static func createExclusive(_ path: String) throws(ColumnarError) -> FileDescriptor {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", path) }
        return FileDescriptor(fd: fd, path: path)
    }

    /// The file's size in bytes. Wraps `fstat`.
    func size() throws(ColumnarError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure("fstat", path) }
        return Int(info.st_size)
    }

    /// Reads exactly `count` bytes at `offset`. Wraps `pread`, retrying short reads and `EINTR`.
    func read(at offset: Int, count: Int) throws(ColumnarError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure("read", path)
            }
            if result == 0 {
                throw ColumnarError(code: .io, file: path, byteOffset: offset + done, message: "unexpected end of file")
            }
            done += result
        }
        return buffer
    }

    /// Writes all of `bytes`. Wraps `write`, retrying short writes and `EINTR`.
    func write(_ bytes: [UInt8]) throws(ColumnarError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress! + done, bytes.count - done) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", path)
            }
            done += result
        }
    }

    /// Flushes the file's data and metadata to stable storage. Wraps `fsync`.
    func sync() throws(ColumnarError) {
        guard fsync(fd) == 0 else { throw Self.failure("fsync", path) }
    }

    /// Atomically renames `source` to `destination`. Wraps `rename`.
    static func rename(_ source: String, to destination: String) throws(ColumnarError) {
        guard systemRename(source, destination) == 0 else { throw failure("rename to \(destination)", source) }
    }

    /// Removes `path`, ignoring errors (used to discard an abandoned temporary file). Wraps `unlink`.
    static func removeQuietly(_ path: String) { _ = unlink(path) }

    /// Fsyncs the directory `path`, so a rename inside it is durable; errors are ignored because
    /// some file systems refuse to fsync directories.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Whether `path` exists. Wraps `access(F_OK)`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// `write(2)`, reachable from inside ``FileDescriptor`` whose method has the same name.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

/// `rename(2)`, reachable from inside ``FileDescriptor`` whose method has the same name.
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
