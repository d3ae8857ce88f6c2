import Foundation
import SluicePipeline

/// The serial executor of ``WarehouseReader``: one thread of its own that runs the actor's jobs
/// in order.
///
/// A query is long synchronous work (SQLite runs up to the time limit, 5 s by default). On the
/// shared cooperative pool — two threads on a two-core machine — it would hold back a thread that
/// every other request, the event streams and the login form need. On its own thread a slow
/// query only delays other queries, which wait for the one connection anyway.
///
/// `@unchecked Sendable`: its state is the ``JobThread``, which is.
final class WarehouseThread: SerialExecutor, @unchecked Sendable {
    private var thread: JobThread!

    /// Starts the thread, named `name`.
    init(name: String) {
        thread = JobThread(name: name) { [self] job in job.runSynchronously(on: asUnownedSerialExecutor()) }
    }

    /// Queues a job for the thread.
    func enqueue(_ job: consuming ExecutorJob) {
        thread.enqueue(UnownedJob(job))
    }

    /// Lets the thread finish the queued jobs and exit; call once nothing more will be enqueued.
    func shutDown() {
        thread.shutDown()
    }
}
