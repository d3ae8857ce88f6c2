import Foundation

/// A thread of its own that runs queued jobs in order: the engine of Sluice's dedicated
/// executors (the ingest's writer here, the dashboard's warehouse reader).
///
/// `@unchecked Sendable`: the job queue and the stop flag are only touched under `condition`.
package final class JobThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread, named `name` (as shown by `top -H` and debuggers); `run` runs each job.
    package init(name: String, run: @escaping @Sendable (UnownedJob) -> Void) {
        let thread = Thread { [self] in runJobs(run) }
        thread.name = name
        thread.start()
    }

    /// Queues a job for the thread.
    package func enqueue(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the queued jobs and exit; call once nothing more will be enqueued.
    package func shutDown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs(_ run: (UnownedJob) -> Void) {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            run(job)
        }
    }
}

/// A task executor that runs its jobs on one thread of its own, in order.
///
/// The ingest runs its writer loop here: a commit is long synchronous work (SQLite), and on
/// the shared cooperative pool it would wait behind queued preparation jobs and hold back
/// a thread the workers need. On its own thread the writer commits as soon as a group is ready
/// while the workers keep every core busy preparing.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private var thread: JobThread!

    /// Starts the thread, named `name`.
    init(name: String) {
        thread = JobThread(name: name) { [self] job in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    /// Queues a job for the thread.
    func enqueue(_ job: UnownedJob) {
        thread.enqueue(job)
    }

    /// Lets the thread finish the queued jobs and exit; call once nothing more will be enqueued.
    func shutDown() {
        thread.shutDown()
    }
}
