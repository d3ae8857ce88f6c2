import Testing
@testable import SluicePipeline

/// `--workers N` is a promise: however many files are queued ahead of the writer, no more than
/// N are prepared at once.
struct ConcurrencyLimitTests {
    /// Counts holders and remembers the most at one time.
    private actor Gauge {
        var current = 0
        var most = 0
        func enter() { current += 1; most = max(most, current) }
        func leave() { current -= 1 }
    }

    @Test(arguments: [1, 2, 3])
    func neverMoreHoldersThanTheLimit(limit: Int) async {
        let places = ConcurrencyLimit(limit)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await places.acquire()
                    await gauge.enter()
                    await Task.yield()
                    try? await Task.sleep(for: .milliseconds(1))
                    await gauge.leave()
                    await places.release()
                }
            }
        }
        #expect(await gauge.most <= limit)
        #expect(await gauge.most >= 1)
        #expect(await gauge.current == 0)
    }
}
