#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call on a file: which operation, on which path, and the `errno` it gave.
///
/// It is the `cause` of a ``PipelineError`` with code `io`, so callers can tell a transient
/// failure (the disk is full, an I/O error) from a permanent one (no permission).
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation that failed, as the system call's name (`open`, `read`, `rename`, …).
    public var operation: String
    /// The path it was called on (escaped for display).
    public var path: String
    /// The `errno` value.
    public var errno: Int32

    /// Creates an error.
    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `rename /ws/inbox/a.csv: No space left on device`.
    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }

    /// Whether running again later may succeed: a full disk or quota, an I/O error, a lack of
    /// memory or descriptors, an interruption. Such a file is deferred, not rejected.
    public var isTransient: Bool {
        [ENOSPC, EIO, EDQUOT, ENOMEM, EMFILE, ENFILE, EAGAIN, EINTR, EBUSY, ETIMEDOUT, ESTALE].contains(errno)
    }
}
