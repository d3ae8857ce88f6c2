import Synchronization

/// The file operations the pipeline performs through ``PipelineFiles``; each is a point where a
/// fault can be injected.
package enum FileOperation: String, Sendable, CaseIterable {
    case open, read, write, fsync, rename, mkdir, unlink
}

/// Makes the Nth file operation of the pipeline fail with a chosen `errno`, for the
/// fault-injection tests (after SQLite's own I/O-error tests). Counts every operation it sees,
/// so a first run without a fault tells how many fault points there are.
package final class FaultInjector: Sendable {
    private struct State {
        var seen = 0
        var fired = false
    }

    /// The 1-based operation number that fails, or `nil` to only count.
    package let failAt: Int?
    /// The `errno` the failing operation reports.
    package let errno: Int32
    /// Whether only the Nth operation fails (`false`: every one from the Nth on, as a full disk does).
    package let once: Bool
    private let state = Mutex(State())

    /// Counts operations and fails operation `failAt` (and, unless `once`, every later one).
    package init(failAt: Int?, errno: Int32, once: Bool = true) {
        self.failAt = failAt
        self.errno = errno
        self.once = once
    }

    /// Operations seen so far.
    package var operationsSeen: Int { state.withLock { $0.seen } }

    /// Whether the fault was injected.
    package var fired: Bool { state.withLock { $0.fired } }

    /// Called before each operation: throws the injected failure when this is its turn.
    func check(_ operation: FileOperation, path: String) throws(SystemCallError) {
        let fail: Bool = state.withLock { state in
            state.seen += 1
            guard let failAt else { return false }
            let due = once ? state.seen == failAt : state.seen >= failAt
            if due { state.fired = true }
            return due
        }
        if fail { throw SystemCallError(operation: operation.rawValue + " (injected)", path: path, errno: errno) }
    }
}
