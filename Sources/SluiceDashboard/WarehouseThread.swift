import Foundation

/// The serial executor of ``WarehouseReader``: one thread of its own that runs the actor's jobs
/// in order.
///
/// A query is long synchronous work (SQLite runs up to the time limit, 5 s by default). On the
/// shared cooperative pool — two threads on a two-core machine — it would hold back a thread that
/// every other request, the event streams and the login form need. On its own thread a slow
/// query only delays other queries, which wait for the one connection anyway.
///
/// `@unchecked Sendable`: the job queue and the stop flag are only touched under `condition`.
final class WarehouseThread: SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread, named `name`.
    init(name: String) {
        let thread = Thread { [self] in runJobs() }
        thread.name = name
        thread.start()
    }

    /// Queues a job for the thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the queued jobs and exit; call once nothing more will be enqueued.
    func shutDown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
