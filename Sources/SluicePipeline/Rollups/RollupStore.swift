import SluiceWarehouse

/// The rollup tables in the warehouse, and the registry (`sluice_rollups`) that remembers
/// which definition each table was built from.
///
/// Each write runs inside the caller's transaction: the ingestor's (a file's savepoint), the
/// forget's, or the one of ``synchronize(_:source:)`` and ``rebuild(_:source:)``.
struct RollupStore {
    let warehouse: Warehouse

    /// The registry table: one row per rollup table Sluice keeps.
    static let registry = "sluice_rollups"

    /// A rollup the registry knows.
    struct Registered: Equatable {
        var table: String
        var report: String
        var definition: String
        var source: String
    }

    /// Creates the registry if it is missing.
    func createRegistry() throws {
        try warehouse.connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(Self.registry) (
                "table" TEXT PRIMARY KEY NOT NULL, report TEXT NOT NULL, definition TEXT NOT NULL, source_table TEXT NOT NULL
            ) STRICT
            """)
    }

    /// Every registered rollup (none when the registry does not exist yet).
    func registered() throws -> [Registered] {
        guard try tableExists(Self.registry) else { return [] }
        let statement = try warehouse.connection.prepare(
            "SELECT \"table\", report, definition, source_table FROM \(Self.registry) ORDER BY 1")
        var result: [Registered] = []
        while try statement.step() {
            result.append(
                Registered(
                    table: statement.text(at: 0), report: statement.text(at: 1), definition: statement.text(at: 2),
                    source: statement.text(at: 3)))
        }
        return result
    }

    /// Whether a table of that name exists.
    func tableExists(_ name: String) throws -> Bool {
        let statement = try warehouse.connection.prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        try statement.bind(name, at: 1)
        return try statement.step()
    }

    /// Brings the rollup tables in line with `rollups` over `source`: drops tables no report
    /// declares any longer, and creates and fills (from `source`) those that are new, changed,
    /// or missing. One transaction.
    /// - Returns: The rollups that were (re)built.
    @discardableResult
    func synchronize(_ rollups: [RollupDefinition], source: WarehouseTable) throws -> [RollupDefinition] {
        try createRegistry()
        let known = Dictionary(try registered().map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(rollups.map(\.tableName))
        let stale = known.keys.filter { !wanted.contains($0) }.sorted()
        var toBuild: [RollupDefinition] = []
        for rollup in rollups {
            let entry = known[rollup.tableName]
            if entry?.definition == rollup.canonicalText, entry?.source == source.name,
                try tableExists(rollup.tableName)
            {
                continue
            }
            toBuild.append(rollup)
        }
        guard !stale.isEmpty || !toBuild.isEmpty else { return [] }
        try warehouse.withTransaction {
            for table in stale {
                try warehouse.connection.execute("DROP TABLE IF EXISTS \(SQLiteIdentifier.quote(table))")
                let delete = try warehouse.connection.prepare("DELETE FROM \(Self.registry) WHERE \"table\" = ?")
                try delete.bind(table, at: 1)
                try delete.step()
            }
            for rollup in toBuild { try create(rollup, source: source) }
        }
        return toBuild
    }

    /// Drops, creates and fills one rollup table from `source`, and registers it (inside the
    /// caller's transaction).
    func create(_ rollup: RollupDefinition, source: WarehouseTable) throws {
        let table = SQLiteIdentifier.quote(rollup.tableName)
        try warehouse.connection.execute("DROP TABLE IF EXISTS \(table)")
        let keyColumns = rollup.keys.map { key in
            let type = source.columns.first { $0.name == key }?.type ?? .text
            return "\(SQLiteIdentifier.quote(key)) \(type.rawValue)"
        }
        let aggregates =
            ["\"count\" INTEGER NOT NULL"]
            + rollup.sums.flatMap {
                [
                    "\(SQLiteIdentifier.quote("sum_" + $0)) INTEGER",
                    "\(SQLiteIdentifier.quote("count_" + $0)) INTEGER NOT NULL",
                ]
            }
        try warehouse.connection.execute(
            "CREATE TABLE \(table) (\((keyColumns + aggregates).joined(separator: ", "))) STRICT")
        let keyList = rollup.keys.map(SQLiteIdentifier.quote).joined(separator: ", ")
        try warehouse.connection.execute(
            "CREATE INDEX \(SQLiteIdentifier.quote(rollup.tableName + "_keys")) ON \(table) (\(keyList))")
        try fill(rollup, source: source)
        let register = try warehouse.connection.prepare(
            "INSERT OR REPLACE INTO \(Self.registry) (\"table\", report, definition, source_table) VALUES (?, ?, ?, ?)")
        try register.bind([
            .text(rollup.tableName), .text(rollup.report), .text(rollup.canonicalText), .text(source.name),
        ])
        try register.step()
    }

    /// Replaces the rollup's rows by those computed from `source` by SQL.
    func fill(_ rollup: RollupDefinition, source: WarehouseTable) throws {
        let table = SQLiteIdentifier.quote(rollup.tableName)
        try warehouse.connection.execute("DELETE FROM \(table)")
        let columns = (rollup.keys + rollup.aggregateColumns).map(SQLiteIdentifier.quote).joined(separator: ", ")
        try warehouse.connection.execute("INSERT INTO \(table) (\(columns)) \(rollup.groupingQuery(from: source.name))")
    }

    /// Adds `groups` to the rollup (`sign` -1 takes them away; groups left empty are removed).
    func apply(_ groups: [RollupGroup], to rollup: RollupDefinition, sign: Int64) throws {
        guard !groups.isEmpty else { return }
        let table = SQLiteIdentifier.quote(rollup.tableName)
        let keyMatch = rollup.keys.map { "\(SQLiteIdentifier.quote($0)) IS ?" }.joined(separator: " AND ")
        var assignments = ["\"count\" = \"count\" + ?"]
        for sum in rollup.sums {
            let total = SQLiteIdentifier.quote("sum_" + sum), values = SQLiteIdentifier.quote("count_" + sum)
            // SQL's SUM is NULL for a group without values, and so is the rollup's.
            assignments.append("\(total) = CASE WHEN \(values) + ? > 0 THEN coalesce(\(total), 0) + ? END")
            assignments.append("\(values) = \(values) + ?")
        }
        let update = try warehouse.cachedStatement(
            "UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE \(keyMatch)")
        let columns = (rollup.keys + rollup.aggregateColumns).map(SQLiteIdentifier.quote).joined(separator: ", ")
        let marks = Array(repeating: "?", count: rollup.keys.count + rollup.aggregateColumns.count).joined(
            separator: ", ")
        let insert = try warehouse.cachedStatement("INSERT INTO \(table) (\(columns)) VALUES (\(marks))")
        for group in groups {
            update.reset()
            var values: [SQLiteValue] = [.integer(sign * group.count)]
            for sum in group.sums {
                values += [.integer(sign * sum.values), .integer(sign * sum.sum), .integer(sign * sum.values)]
            }
            try update.bind(values + group.key)
            try update.step()
            if warehouse.connection.changes == 0 {
                guard sign > 0 else {
                    throw PipelineError(
                        code: .warehouse,
                        message:
                            "rollup \(rollup.tableName) has no group \(group.key.map(\.displayText)) to take rows from; "
                            + "rebuild it with `sluice rollup --rebuild`")
                }
                insert.reset()
                var row = group.key + [.integer(group.count)]
                for sum in group.sums { row += [sum.values > 0 ? .integer(sum.sum) : .null, .integer(sum.values)] }
                try insert.bind(row)
                try insert.step()
            }
        }
        if sign < 0 { try warehouse.connection.execute("DELETE FROM \(table) WHERE \"count\" <= 0") }
    }

    /// The groups of one delivery's rows (by `_ingest_id`) for each rollup: what a forget takes
    /// away. One read of the delivery's rows serves every rollup (the table has no index on
    /// `_ingest_id`, so each read is a scan).
    func groups(ofDelivery id: Int64, rollups: [RollupDefinition], source: WarehouseTable) throws -> [[RollupGroup]] {
        try groups(
            where: "\(SQLiteIdentifier.quote(Ledger.ingestIDColumn)) = ?", values: [.integer(id)], rollups: rollups,
            source: source)
    }

    /// Per rollup, the groups of the rows of `source` that `condition` (with `values` bound) selects.
    func groups(
        where condition: String, values: [SQLiteValue], rollups: [RollupDefinition], source: WarehouseTable
    ) throws -> [[RollupGroup]] {
        var columns: [String] = []
        for rollup in rollups {
            for name in rollup.keys + rollup.sums + rollup.filters.map(\.column) where !columns.contains(name) {
                columns.append(name)
            }
        }
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        let statement = try warehouse.connection.prepare(
            "SELECT \(columns.map(SQLiteIdentifier.quote).joined(separator: ", ")) FROM \(SQLiteIdentifier.quote(source.name)) "
                + "WHERE \(condition)")
        try statement.bind(values)
        var slots = Array(repeating: [ExactKey: Int](), count: rollups.count)
        var groups = Array(repeating: [RollupGroup](), count: rollups.count)
        while try statement.step() {
            let row = statement.row
            for (index, rollup) in rollups.enumerated() {
                guard rollup.filters.allSatisfy({ $0.matches(row[position[$0.column]!]) }) else { continue }
                let key = rollup.keys.map { row[position[$0]!] }
                let slot: Int
                if let found = slots[index][ExactKey(values: key)] {
                    slot = found
                } else {
                    slot = groups[index].count
                    slots[index][ExactKey(values: key)] = slot
                    groups[index].append(
                        RollupGroup(key: key, count: 0, sums: Array(repeating: (0, 0), count: rollup.sums.count)))
                }
                groups[index][slot].count += 1
                for (sumIndex, name) in rollup.sums.enumerated() {
                    guard case .integer(let value) = row[position[name]!] else { continue }
                    groups[index][slot].sums[sumIndex].sum &+= value
                    groups[index][slot].sums[sumIndex].values += 1
                }
            }
        }
        return groups
    }

    /// Compares the rollup table with a recomputation from `source`; `nil` when they agree,
    /// else the first difference.
    func difference(_ rollup: RollupDefinition, source: String) throws -> String? {
        let table = SQLiteIdentifier.quote(rollup.tableName)
        let columns = (rollup.keys + rollup.aggregateColumns).map(SQLiteIdentifier.quote).joined(separator: ", ")
        let expected = rollup.groupingQuery(from: source)
        let stored = "SELECT \(columns) FROM \(table)"
        for (query, what) in [
            ("\(expected) EXCEPT \(stored)", "the table's rows give"),
            ("\(stored) EXCEPT \(expected)", "the rollup holds"),
        ] {
            let statement = try warehouse.connection.prepare(query + " LIMIT 1")
            if try statement.step() {
                let row = statement.row.map(\.displayText).joined(separator: ", ")
                return what == "the rollup holds"
                    ? "it holds (\(row)), which the table's rows do not give"
                    : "the table's rows give (\(row)), which it does not hold"
            }
        }
        let stray = try warehouse.connection.prepare(
            "SELECT count(*) - count(DISTINCT \(rollup.keys.map { "quote(\(SQLiteIdentifier.quote($0)))" }.joined(separator: " || ',' || "))) FROM \(table)"
        )
        if try stray.step(), stray.int64(at: 0) != 0 { return "a group is held more than once" }
        return nil
    }

    /// Rows in a rollup table.
    func rowCount(_ rollup: RollupDefinition) throws -> Int {
        let statement = try warehouse.connection.prepare(
            "SELECT count(*) FROM \(SQLiteIdentifier.quote(rollup.tableName))")
        _ = try statement.step()
        return Int(statement.int64(at: 0))
    }
}

extension SQLiteValue {
    /// The integer, if this is one.
    var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
