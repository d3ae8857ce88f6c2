import SluiceSchema
import Synchronization

/// The rollups' counters as the writer last synchronised them, for the preparing workers: a
/// file's groups are counted while it is prepared, on any core, and the writer only merges
/// them. Each synchronisation starts a new generation; counts of an older one are not used.
final class SharedRollupCounters: Sendable {
    /// The counters of one generation.
    struct Snapshot: Sendable {
        var generation: Int
        var counters: [RollupCounter]
    }

    private let state = Mutex(Snapshot(generation: 0, counters: []))

    /// Makes `counters` the current ones, as a new generation.
    func publish(_ counters: [RollupCounter]) {
        state.withLock { $0 = Snapshot(generation: $0.generation + 1, counters: counters) }
    }

    /// The current counters.
    var current: Snapshot { state.withLock { $0 } }

    /// One file's groups for every current rollup; `nil` without rollups, or when a sum leaves
    /// the 64-bit range (the writer counts again and reports it).
    func count(_ outcome: ValidationOutcome) -> PrecountedRollups? {
        let snapshot = current
        guard !snapshot.counters.isEmpty,
            let groups = try? snapshot.counters.map({ try $0.groups(of: outcome) })
        else { return nil }
        return PrecountedRollups(generation: snapshot.generation, groups: groups)
    }
}

/// A file's rollup groups counted in the prepare stage, one list per rollup, valid for the
/// generation of counters that counted them.
struct PrecountedRollups: Sendable {
    var generation: Int
    var groups: [[RollupGroup]]
}
