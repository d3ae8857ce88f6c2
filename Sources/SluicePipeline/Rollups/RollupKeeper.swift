import Foundation
import Logging
import SluiceSchema
import SluiceWarehouse

/// The writer's side of the rollups: keeps every rollup the saved reports declare in step with
/// the data table, in the writer's own transactions.
///
/// - On open, and whenever `queries/` changes (a report added, removed or renamed), the rollup
///   tables are synchronised: new or changed ones are created and filled from the table (one
///   `GROUP BY` each), those no report declares any longer are dropped.
/// - Each loaded file's groups are counted in Swift on the validated columns once its savepoint
///   is released (``add(_:)``), merged over the transaction's files, and written last in the same
///   transaction (``flushPending()``); a forget takes its delivery's groups away (``subtract(delivery:)``).
final class RollupKeeper {
    private let warehouse: Warehouse
    private let table: WarehouseTable
    private let queries: URL
    private let logger: Logger
    private(set) var rollups: [(definition: RollupDefinition, counter: RollupCounter)] = []
    /// The headers that could not be kept, from the last look at `queries/`.
    private(set) var problems: [RollupDefinitionError] = []
    private var queriesStamp: Date?

    /// The counters as last synchronised, published for the preparing workers.
    let shared: SharedRollupCounters

    init(
        warehouse: Warehouse, table: WarehouseTable, queries: URL, logger: Logger,
        shared: SharedRollupCounters = SharedRollupCounters()
    ) {
        self.warehouse = warehouse
        self.table = table
        self.queries = queries
        self.logger = logger
        self.shared = shared
    }

    private var store: RollupStore { RollupStore(warehouse: warehouse) }

    /// Reads the reports' headers again if `queries/` changed since the last look (its
    /// modification time: adding, removing or renaming a report changes it), and synchronises.
    func refreshIfReportsChanged() throws {
        let stamp = (try? FileManager.default.attributesOfItem(atPath: queries.path))?[.modificationDate] as? Date
        guard stamp != queriesStamp else { return }
        try synchronize()
    }

    /// Reads the reports' `-- rollup:` headers and brings the rollup tables in line (see the type's notes).
    func synchronize() throws {
        queriesStamp = (try? FileManager.default.attributesOfItem(atPath: queries.path))?[.modificationDate] as? Date
        let reports = (try? ReportCatalog(directory: queries).reports) ?? []
        let declared = RollupDefinition.declared(by: reports, table: table)
        for problem in declared.problems where !problems.contains(where: { $0.description == problem.description }) {
            logger.warning("\(problem.description); the report is not kept up to date")
        }
        problems = declared.problems
        let start = ContinuousClock.now
        let built = try store.synchronize(declared.rollups, source: table)
        // Worth a line in the log only when rows were counted (not for a new workspace).
        if !built.isEmpty,
            try !warehouse.query("SELECT 1 FROM \(SQLiteIdentifier.quote(table.name)) LIMIT 1").rows.isEmpty
        {
            logger.notice(
                "rollups built from \(table.name): \(built.map(\.tableName).joined(separator: ", "))",
                metadata: ["seconds": "\(ContinuousClock.now - start)"])
        }
        rollups = declared.rollups.map { ($0, RollupCounter($0, columns: table.columns)) }
        shared.publish(rollups.map(\.counter))
    }

    /// Per rollup, the groups of the files committed so far in the open transaction, merged
    /// (a few hundred keys for a whole group of files, where each file alone has nearly as many).
    private var pending: [[ExactKey: RollupGroup]] = []

    /// Counts one file's accepted rows for every rollup and holds the counts until
    /// ``flushPending()``; call it once the file's savepoint is released.
    ///
    /// `precounted` are the groups the prepare stage counted (``SharedRollupCounters``): used
    /// when they were counted with the current counters, else the file is counted here.
    func add(_ outcome: ValidationOutcome, precounted: PrecountedRollups? = nil) throws {
        if pending.count != rollups.count { pending = Array(repeating: [:], count: rollups.count) }
        let counted =
            precounted.flatMap { counts in
                counts.generation == shared.current.generation && counts.groups.count == rollups.count
                    ? counts.groups : nil
            }
        for (index, rollup) in rollups.enumerated() {
            for group in try counted?[index] ?? rollup.counter.groups(of: outcome) {
                guard var merged = pending[index][ExactKey(values: group.key)] else {
                    pending[index][ExactKey(values: group.key)] = group
                    continue
                }
                merged.count += group.count
                for position in merged.sums.indices {
                    let (total, overflow) = merged.sums[position].sum.addingReportingOverflow(group.sums[position].sum)
                    guard !overflow else {
                        throw PipelineError(
                            code: .warehouse,
                            message:
                                "sum(\(rollup.definition.sums[position])) of rollup \(rollup.definition.tableName) leaves the 64-bit integer range"
                        )
                    }
                    merged.sums[position].sum = total
                    merged.sums[position].values += group.sums[position].values
                }
                pending[index][ExactKey(values: group.key)] = merged
            }
        }
    }

    /// Writes the held counts into the rollup tables: call it last in the transaction that
    /// committed the files' rows, so both reach the disk together.
    func flushPending() throws {
        defer { discardPending() }
        for (index, rollup) in rollups.enumerated() where index < pending.count {
            try store.apply(Array(pending[index].values), to: rollup.definition, sign: 1)
        }
    }

    /// Forgets the held counts (a transaction that did not commit).
    func discardPending() {
        pending.removeAll(keepingCapacity: true)
    }

    /// Takes one delivery's rows out of every rollup; call before its rows are deleted, inside
    /// the same transaction.
    func subtract(delivery id: Int64) throws {
        guard !rollups.isEmpty else { return }
        let groups = try store.groups(ofDelivery: id, rollups: rollups.map(\.definition), source: table)
        for (rollup, taken) in zip(rollups, groups) { try store.apply(taken, to: rollup.definition, sign: -1) }
    }

    /// Takes the rows that `condition` (with `values` bound) selects out of every rollup: the
    /// rows a primary-key replace is about to delete; call before deleting them, in the same transaction.
    func subtract(rowsWhere condition: String, values: [SQLiteValue]) throws {
        guard !rollups.isEmpty else { return }
        let groups = try store.groups(
            where: condition, values: values, rollups: rollups.map(\.definition), source: table)
        for (rollup, taken) in zip(rollups, groups) { try store.apply(taken, to: rollup.definition, sign: -1) }
    }

    /// Refills every rollup from the table, in one transaction; returns each one's rows and seconds.
    func rebuildAll() throws -> [(definition: RollupDefinition, rows: Int, seconds: Double)] {
        try synchronize()
        return try warehouse.withTransaction {
            try rollups.map { rollup in
                let start = ContinuousClock.now
                try store.create(rollup.definition, source: table)
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                return (rollup.definition, try store.rowCount(rollup.definition), seconds)
            }
        }
    }
}
