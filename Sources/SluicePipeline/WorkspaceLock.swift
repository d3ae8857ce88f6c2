#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Synchronization

/// The one-writer lock of a workspace: an advisory `flock` on `.sluice.lock` in the workspace,
/// held for as long as this value lives by the process that writes (an ``Ingestor``: `ingest`,
/// `watch`, `serve --watch`, `forget`, an embedding app). The kernel releases it when the
/// process ends, however it ends, so a crash never leaves a stale lock. Readers (`report`,
/// `query`, `serve`) never take it and never wait.
///
/// While it holds the lock a process owns the work area: recovery only ever touches files that
/// no live process has claimed. Within one process the lock is shared (counted): a second
/// ``Ingestor`` on the same workspace does not wait for the first, so keep to one per workspace.
public final class WorkspaceLock: Sendable {
    /// How to take the lock when another process holds it.
    public enum WaitPolicy: Sendable {
        /// Wait for it, polling; `onWait` is called once, with the holder's description, before
        /// the first wait (to say so on a terminal).
        case wait(onWait: @Sendable (String) -> Void = { _ in })
        /// Fail at once with ``PipelineError`` code `workspace-locked`.
        case noWait
    }

    /// The lock file's name in the workspace folder.
    public static let fileName = ".sluice.lock"

    private let path: String

    /// The locks this process holds: descriptor and number of holders, by lock file path.
    private static let held = Mutex<[String: (descriptor: Int32, holders: Int)]>([:])

    /// Takes the lock of the workspace at `root`.
    ///
    /// - Throws: ``PipelineError`` `workspace-locked` (with `.noWait`) naming the process that
    ///   holds it, `io` when the lock file cannot be opened, or `CancellationError` when the
    ///   waiting task is cancelled.
    public init(root: URL, policy: WaitPolicy) throws {
        let path = root.standardizedFileURL.appendingPathComponent(Self.fileName).path
        self.path = path
        let shared = Self.held.withLock { held -> Bool in
            guard let lock = held[path] else { return false }
            held[path] = (lock.descriptor, lock.holders + 1)
            return true
        }
        if shared { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PipelineError(
                code: .io, message: "cannot open the workspace lock \(path)",
                cause: SystemCallError(operation: "open", path: path, errno: errno))
        }
        var toldWaiting = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(descriptor)
                throw PipelineError(
                    code: .io, message: "cannot lock \(path)",
                    cause: SystemCallError(operation: "flock", path: path, errno: reason))
            }
            let holder = Self.holder(descriptor)
            switch policy {
            case .noWait:
                close(descriptor)
                throw PipelineError(code: .workspaceLocked, message: "\(root.path) is being written by \(holder)")
            case .wait(let onWait):
                if !toldWaiting {
                    onWait(holder)
                    toldWaiting = true
                }
                if Task.isCancelled {
                    close(descriptor)
                    throw CancellationError()
                }
                usleep(50_000)
            }
        }
        Self.held.withLock { $0[path] = (descriptor, 1) }
        // Who holds it, for the message another process shows while it waits.
        let note =
            "process \(getpid()) (\(CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "?") since \(FileLogHandler.timestamp()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        let path = self.path
        Self.held.withLock { held in
            guard let lock = held[path] else { return }
            if lock.holders > 1 {
                held[path] = (lock.descriptor, lock.holders - 1)
                return
            }
            held[path] = nil
            _ = ftruncate(lock.descriptor, 0)
            flock(lock.descriptor, LOCK_UN)
            close(lock.descriptor)
        }
    }

    /// Who holds the lock of the workspace at `root`, as its holder wrote it into the lock file
    /// (`process 123 (sluice since …)`), or "another process".
    package static func holder(ofWorkspaceAt root: URL) -> String {
        let path = root.standardizedFileURL.appendingPathComponent(fileName).path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "another process" }
        defer { close(descriptor) }
        return holder(descriptor)
    }

    /// The note the holder wrote into the lock file, or "another process".
    private static func holder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let text =
            count > 0
            ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another process" : text
    }
}
