import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens files the dashboard serves or reads (`failed/` downloads, reason reports) the way the
/// engine does (`SchemaLoader`, `FileDescriptor.openForReading`): `open(O_RDONLY | O_NONBLOCK |
/// O_NOFOLLOW | O_CLOEXEC)` then `fstat`, so a FIFO, socket, device, folder or symbolic link planted
/// under a served name is refused without a blocking read, and no request or server task hangs on it.
enum RegularFileReader {
    /// An open regular file and its size.
    struct Opened {
        /// The open file; closed when released.
        let handle: FileHandle
        /// Its size in bytes when it was opened.
        let size: Int
    }

    /// Opens `path` if it is a regular file (not through a final symbolic link); `nil` otherwise.
    static func openRegular(_ path: String) -> Opened? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            return nil
        }
        return Opened(handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true), size: Int(info.st_size))
    }

    /// The whole of the regular file `path` if it is at most `limit` bytes; `nil` otherwise.
    static func contents(of path: String, limit: Int) -> Data? {
        guard let file = openRegular(path), file.size <= limit else { return nil }
        defer { try? file.handle.close() }
        let data: Data
        do { data = try file.handle.read(upToCount: limit + 1) ?? Data() } catch { return nil }
        return data.count <= limit ? data : nil
    }
}
