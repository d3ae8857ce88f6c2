import Foundation
import Synchronization

/// Something that happened in a watched folder.
public enum WatchEvent: Sendable, Hashable {
    /// These files were closed after writing or renamed into the folder: they are complete.
    case ready([String])
    /// Events may have been lost (or the platform cannot tell): look at the whole folder.
    case rescan
}

/// Watches a folder for complete files, as an `AsyncSequence` of ``WatchEvent``.
///
/// On Linux it is event-driven (inotify `IN_CLOSE_WRITE` and `IN_MOVED_TO`): a file counts only
/// once it is closed or renamed in, so a file still being written is never reported. Elsewhere
/// it falls back to listing the folder every half second (reported as ``WatchEvent/rescan``).
/// The first event is always a ``WatchEvent/rescan`` for the files already waiting. The
/// sequence ends when ``stop()`` is called or the folder disappears.
public final class FolderWatcher: Sendable {
    /// The events, in order.
    public let events: AsyncThrowingStream<WatchEvent, any Error>
    private let stopped = StopFlag()
    private let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation

    /// Starts watching `folder` on a thread of its own.
    public init(folder: URL) throws {
        (events, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self, throwing: (any Error).self)
        continuation.yield(.rescan)
        #if os(Linux)
            let queue = try InotifyQueue(watching: folder.path)
            let box = UncheckedQueue(queue: queue)
            let thread = Thread { [stopped, continuation] in
                while !stopped.isSet {
                    do {
                        let batch = try box.queue.next(timeoutMilliseconds: 200)
                        if batch.folderGone {
                            continuation.finish(
                                throwing: PipelineError(
                                    code: .io, message: "\(folder.path) was removed while being watched"))
                            return
                        }
                        if batch.overflowed { continuation.yield(.rescan) }
                        if !batch.names.isEmpty { continuation.yield(.ready(batch.names)) }
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                }
                continuation.finish()
            }
        #else
            let thread = Thread { [stopped, continuation] in
                while !stopped.isSet {
                    Thread.sleep(forTimeInterval: 0.5)
                    continuation.yield(.rescan)
                }
                continuation.finish()
            }
        #endif
        thread.name = "sluice-watcher"
        thread.start()
    }

    /// Asks for a ``WatchEvent/rescan`` after `delay` (unless stopped by then): how files put
    /// off by a transient failure are taken again while the watcher runs.
    public func rescan(after delay: Duration) {
        Task { [stopped, continuation] in
            try? await Task.sleep(for: delay)
            if !stopped.isSet { continuation.yield(.rescan) }
        }
    }

    /// Ends the event sequence (within the poll interval); safe to call from a signal handler's queue.
    public func stop() {
        stopped.set()
    }
}

#if os(Linux)
    /// The inotify queue is used by the watcher thread alone after it is handed over.
    private final class UncheckedQueue: @unchecked Sendable {
        let queue: InotifyQueue
        init(queue: InotifyQueue) { self.queue = queue }
    }
#endif

/// A flag set once, read from the watcher thread.
private final class StopFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
