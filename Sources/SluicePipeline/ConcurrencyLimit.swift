/// An async counting semaphore: at most `limit` holders at a time; the others wait in order.
///
/// Lets the ingest keep more prepared files in flight than it has workers (so the workers stay
/// busy while the writer commits) without running more than `--workers` preparations at once.
actor ConcurrencyLimit {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Creates a limit of `limit` (at least 1) concurrent holders.
    init(_ limit: Int) {
        available = max(1, limit)
    }

    /// Waits for a free place and takes it.
    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a place back, to the longest waiter if there is one.
    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

}
