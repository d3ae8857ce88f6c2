#if canImport(Glibc)
    import Glibc
    import CSluiceSystem
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a directory entry is, from `lstat` (a symbolic link is not followed).
enum FileKind: Sendable, Hashable {
    case regular, directory, symbolicLink
    /// A FIFO, socket or device: never opened for reading.
    case special
}

/// One entry of a directory, with its name as raw bytes: a name need not be valid UTF-8.
struct DirectoryEntry: Sendable, Hashable {
    /// The name as the kernel gave it.
    var rawName: [UInt8]
    /// What it is (`lstat`).
    var kind: FileKind
    /// The name for display, logs and JSON: UTF-8, with invalid bytes and control characters escaped.
    var displayName: String { DeliveryName.display(rawName) }
}

/// Which file a path named at one moment: a file replaced, grown or rewritten since has another
/// identity.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modifiedNanoseconds: Int64
}

/// Every file operation of the ingest pipeline, in one thin layer over the system calls: the
/// claim and the moves (`rename`), reading inputs, writing reports, flushing, the work area's
/// folders. Paths are byte strings where a name can come from outside (the inbox), so that any
/// legal name works. A ``FaultInjector`` can fail any operation, for the fault-injection tests.
struct PipelineFiles: Sendable {
    /// Injected failures, in tests; `nil` in production.
    let faults: FaultInjector?

    init(faults: FaultInjector? = nil) {
        self.faults = faults
    }

    // MARK: Directories

    /// The entries of `folder` (without `.` and `..`), sorted by name bytes.
    func entries(of folder: String) throws(SystemCallError) -> [DirectoryEntry] {
        guard let directory = opendir(folder) else {
            throw SystemCallError(operation: "opendir", path: folder, errno: errno)
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        let prefix = Array(folder.utf8) + [0x2F]
        return names.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { name in
            guard let kind = Self.kind(ofPath: prefix + name) else { return nil }  // vanished meanwhile
            return DirectoryEntry(rawName: name, kind: kind)
        }
    }

    /// Creates a folder (mode 0755).
    func makeDirectory(_ path: String) throws(SystemCallError) {
        try faults?.check(.mkdir, path: path)
        if mkdir(path, 0o755) != 0 { throw SystemCallError(operation: "mkdir", path: path, errno: errno) }
    }

    /// Removes an empty folder.
    func removeDirectory(_ path: String) throws(SystemCallError) {
        try faults?.check(.unlink, path: path)
        if rmdir(path) != 0 { throw SystemCallError(operation: "rmdir", path: path, errno: errno) }
    }

    // MARK: Moves

    /// Renames `from` (raw bytes) to `to`; atomic on one file system. Replaces nothing: fails
    /// with `EEXIST` when `to` exists. One `renameat2(RENAME_NOREPLACE)` call where the file
    /// system supports it; elsewhere `to` is checked first (the workspace lock keeps others out).
    func rename(rawPath from: [UInt8], to: String) throws(SystemCallError) {
        let display = DeliveryName.display(from)
        try faults?.check(.rename, path: display)
        #if os(Linux)
            let atomic = (from + [0]).withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) {
                    renameat2(AT_FDCWD, $0.baseAddress!, AT_FDCWD, to, SLUICE_RENAME_NOREPLACE)
                }
            }
            if atomic == 0 { return }
            let failure = errno
            if failure == EEXIST { throw SystemCallError(operation: "rename", path: to, errno: EEXIST) }
            // EINVAL or ENOSYS: a file system or kernel without the flag; anything else is an
            // error of the rename itself, reported below as before.
            guard failure == EINVAL || failure == ENOSYS else {
                throw SystemCallError(operation: "rename", path: display, errno: failure)
            }
        #endif
        if Self.kind(ofPath: Array(to.utf8)) != nil {
            throw SystemCallError(operation: "rename", path: to, errno: EEXIST)
        }
        let result = (from + [0]).withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { Glibc.rename($0.baseAddress!, to) }
        }
        if result != 0 { throw SystemCallError(operation: "rename", path: display, errno: errno) }
    }

    /// Renames `from` to `to` (see ``rename(rawPath:to:)``).
    func rename(_ from: String, to: String) throws(SystemCallError) {
        try rename(rawPath: Array(from.utf8), to: to)
    }

    /// Removes a file (not a folder).
    func removeFile(_ path: String) throws(SystemCallError) {
        try faults?.check(.unlink, path: path)
        if unlink(path) != 0, errno != ENOENT { throw SystemCallError(operation: "unlink", path: path, errno: errno) }
    }

    // MARK: Reading and writing

    /// What was read from a file, and which file it was.
    struct ReadResult {
        var bytes: [UInt8]
        var identity: FileIdentity
    }

    /// Why a file was not read.
    enum ReadRefusal: Error {
        /// A symbolic link, and links are not followed.
        case symbolicLink
        /// A FIFO, socket, device or folder: it was not opened for reading.
        case notRegular
        /// Larger than the limit (its size so far).
        case tooLarge(Int)
        /// Its size or modification time changed while it was read.
        case changedWhileRead
        /// A system call failed.
        case system(SystemCallError)
    }

    /// Reads a whole regular file, refusing anything else without reading from it: the file is
    /// opened non-blocking (a FIFO cannot hang the pipeline) and without following a final
    /// symbolic link unless `followSymlinks`, then checked with `fstat` before any `read`.
    /// The file's identity is taken before and after reading; a file that changed meanwhile is
    /// refused, so the bytes hashed and loaded are the bytes that are archived.
    func readRegularFile(at path: String, followSymlinks: Bool, limit: Int) -> Result<ReadResult, ReadRefusal> {
        do throws(SystemCallError) {
            try faults?.check(.open, path: path)
        } catch {
            return .failure(.system(error))
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else {
            if errno == ELOOP { return .failure(.symbolicLink) }
            return .failure(.system(SystemCallError(operation: "open", path: path, errno: errno)))
        }
        defer { close(descriptor) }
        guard let before = Self.identity(ofDescriptor: descriptor) else {
            return .failure(.system(SystemCallError(operation: "fstat", path: path, errno: errno)))
        }
        guard before.kind == .regular else { return .failure(.notRegular) }
        guard before.identity.size <= limit else { return .failure(.tooLarge(before.identity.size)) }
        var bytes = [UInt8](repeating: 0, count: before.identity.size)
        var filled = 0
        while true {
            do throws(SystemCallError) {
                try faults?.check(.read, path: path)
            } catch {
                return .failure(.system(error))
            }
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 1 << 16)) }
            let count = bytes.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.system(SystemCallError(operation: "read", path: path, errno: errno)))
            }
            if count == 0 { break }
            filled += count
            if filled > limit { return .failure(.tooLarge(filled)) }
        }
        bytes.removeSubrange(filled...)
        guard let after = Self.identity(ofDescriptor: descriptor) else {
            return .failure(.system(SystemCallError(operation: "fstat", path: path, errno: errno)))
        }
        guard after.identity == before.identity, filled == before.identity.size else {
            return .failure(.changedWhileRead)
        }
        return .success(ReadResult(bytes: bytes, identity: before.identity))
    }

    /// The identity of the file at `path` now (of a final symbolic link itself unless
    /// `following`), or `nil`.
    func identity(of path: String, following: Bool = false) -> FileIdentity? {
        var info = stat()
        let result = following ? Self.followingStat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        return Self.identity(info)
    }

    /// Writes `bytes` to `path` through a hidden temporary name and a rename, so a reader sees
    /// the old file or the whole new one. Not flushed: the writer flushes once per group.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws(SystemCallError) {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let temporary = String(path[..<slash]) + ".tmp-\(UInt64.random(in: 0...UInt64.max))"
        try faults?.check(.write, path: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError(operation: "open", path: temporary, errno: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = SystemCallError(operation: "write", path: path, errno: errno)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        close(descriptor)
        do throws(SystemCallError) {
            try faults?.check(.rename, path: path)
            if Glibc.rename(temporary, path) != 0 {
                throw SystemCallError(operation: "rename", path: path, errno: errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Flushes the file system that holds `path` (`syncfs`): every file written, renamed or
    /// created there so far is durable afterwards. One call covers a whole group of files,
    /// and it leaves other file systems alone (unlike `sync`).
    func syncFileSystem(containing path: String) throws(SystemCallError) {
        try faults?.check(.fsync, path: path)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        #if os(Linux)
            if syncfs(descriptor) != 0 { throw SystemCallError(operation: "syncfs", path: path, errno: errno) }
        #else
            if fsync(descriptor) != 0 { throw SystemCallError(operation: "fsync", path: path, errno: errno) }
        #endif
    }

    // MARK: Helpers

    /// `stat(2)`, which the type of the same name hides inside these methods.
    private static func followingStat(_ path: String, _ info: inout stat) -> Int32 {
        stat(path, &info)
    }

    private static func kind(ofPath path: [UInt8]) -> FileKind? {
        var info = stat()
        let result = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) }
        }
        return result == 0 ? kind(info.st_mode) : nil
    }

    private static func kind(_ mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        default: .special
        }
    }

    private static func identity(ofDescriptor descriptor: Int32) -> (kind: FileKind, identity: FileIdentity)? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return (kind(info.st_mode), identity(info))
    }

    private static func identity(_ info: stat) -> FileIdentity {
        FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
