import SluiceSchema
import SluiceWarehouse

/// One group of a rollup and what a batch adds to it (or takes away).
struct RollupGroup: Equatable, Sendable {
    /// The key columns' values, `.null` for `NULL`.
    var key: [SQLiteValue]
    /// Rows.
    var count: Int64
    /// Per summed column, the sum of its values and how many values there were.
    var sums: [(sum: Int64, values: Int64)]

    static func == (lhs: RollupGroup, rhs: RollupGroup) -> Bool {
        lhs.key == rhs.key && lhs.count == rhs.count
            && lhs.sums.elementsEqual(rhs.sums) { $0.sum == $1.sum && $0.values == $1.values }
    }
}

/// Counts one file's accepted rows into a rollup's groups, in Swift, on the columns as
/// validated: a text column's values are its dictionary codes, so a group is found by a few
/// integer operations per row, with no string and no SQL per row.
struct RollupCounter: Sendable {
    /// Where each of the rollup's columns sits among the outcome's columns (schema order).
    let keyColumns: [Int]
    let sumColumns: [Int]
    let filters: [(column: Int, filter: RollupFilter)]

    /// Resolves `definition`'s columns among `columns` (the table's, in schema order).
    init(_ definition: RollupDefinition, columns: [WarehouseColumn]) {
        func position(_ name: String) -> Int { columns.firstIndex { $0.name == name } ?? -1 }
        keyColumns = definition.keys.map(position)
        sumColumns = definition.sums.map(position)
        filters = definition.filters.map { (column: position($0.column), filter: $0) }
    }

    /// The groups of `outcome`'s accepted rows that pass the filters.
    ///
    /// - Throws: ``PipelineError`` when a sum leaves the 64-bit range (SQL `SUM` fails the same way).
    func groups(of outcome: ValidationOutcome) throws -> [RollupGroup] {
        let rows = outcome.rowsAccepted
        guard rows > 0 else { return [] }
        let keep = filters.isEmpty ? nil : passing(outcome, rows: rows)
        // Each key column as a dense index per row (NULL included), and the value of each index.
        let coded = keyColumns.map { DenseColumn(outcome.columns[$0], validity: outcome.validity[$0]) }
        var radixProduct = 1
        var fitsFlat = true
        for column in coded {
            let (product, overflow) = radixProduct.multipliedReportingOverflow(by: column.radix)
            if overflow || product > max(1 << 16, rows * 2) { fitsFlat = false; break }
            radixProduct = product
        }
        var slotOfKey: [Int: Int] = [:]
        var slotOfLongKey: [[Int]: Int] = [:]
        var flatSlots = fitsFlat ? [Int32](repeating: -1, count: radixProduct) : []
        var keyOfSlot: [[Int]] = []
        var counts: [Int64] = []
        var sums: [[(sum: Int64, values: Int64)]] = []
        let sumValues = sumColumns.map { column -> (values: [Int64], validity: [Bool]?) in
            guard case .integer(let values) = outcome.columns[column] else { return ([], nil) }
            return (values, outcome.validity[column])
        }
        var indices = [Int](repeating: 0, count: coded.count)
        for row in 0..<rows {
            if let keep, !keep[row] { continue }
            var combined = 0
            for (position, column) in coded.enumerated() {
                let index = column.dense[row]
                indices[position] = index
                if fitsFlat { combined = combined * column.radix + index }
            }
            let slot: Int
            if fitsFlat {
                if flatSlots[combined] < 0 {
                    flatSlots[combined] = Int32(keyOfSlot.count); keyOfSlot.append(indices); counts.append(0);
                    sums.append(Array(repeating: (0, 0), count: sumColumns.count))
                }
                slot = Int(flatSlots[combined])
            } else if coded.count == 1 {
                if let found = slotOfKey[indices[0]] {
                    slot = found
                } else {
                    slot = keyOfSlot.count
                    slotOfKey[indices[0]] = slot
                    keyOfSlot.append(indices); counts.append(0);
                    sums.append(Array(repeating: (0, 0), count: sumColumns.count))
                }
            } else {
                if let found = slotOfLongKey[indices] {
                    slot = found
                } else {
                    slot = keyOfSlot.count
                    slotOfLongKey[indices] = slot
                    keyOfSlot.append(indices); counts.append(0);
                    sums.append(Array(repeating: (0, 0), count: sumColumns.count))
                }
            }
            counts[slot] += 1
            for (position, column) in sumValues.enumerated() where column.validity?[row] ?? true {
                let (total, overflow) = sums[slot][position].sum.addingReportingOverflow(column.values[row])
                guard !overflow else {
                    throw PipelineError(
                        code: .warehouse,
                        message: "sum(\(sumColumns[position])) of a rollup leaves the 64-bit integer range")
                }
                sums[slot][position].sum = total
                sums[slot][position].values += 1
            }
        }
        return keyOfSlot.indices.map { slot in
            RollupGroup(
                key: zip(coded, keyOfSlot[slot]).map { $0.value(of: $1) }, count: counts[slot], sums: sums[slot])
        }
    }

    /// Per row, whether it meets every filter (a `NULL` meets none, as in SQL).
    private func passing(_ outcome: ValidationOutcome, rows: Int) -> [Bool] {
        var keep = [Bool](repeating: true, count: rows)
        for (column, filter) in filters {
            let validity = outcome.validity[column]
            switch outcome.columns[column] {
            case .text(let text):
                // One decision per distinct value, then one lookup per row.
                let byCode = text.dictionary.map { filter.matches(text: $0) }
                for row in 0..<rows where keep[row] {
                    keep[row] = (validity?[row] ?? true) && byCode[Int(text.codes[row])]
                }
            case .integer(let values):
                for row in 0..<rows where keep[row] {
                    keep[row] = (validity?[row] ?? true) && filter.matches(integer: values[row])
                }
            case .real(let values):
                for row in 0..<rows where keep[row] {
                    keep[row] = (validity?[row] ?? true) && filter.matches(real: values[row])
                }
            }
        }
        return keep
    }
}

/// A key column as small dense integers: text by its dictionary code, integers by their offset
/// from the smallest when the range is small (else through a table), `NULL` as one more index.
private struct DenseColumn {
    var dense: [Int]
    /// How many distinct indices there can be.
    var radix: Int
    private var values: [SQLiteValue]

    init(_ column: TypedColumn, validity: [Bool]?) {
        func isValid(_ row: Int) -> Bool { validity?[row] ?? true }
        var dense: [Int]
        var values: [SQLiteValue]
        switch column {
        case .text(let text):
            let null = text.dictionary.count
            dense = text.codes.indices.map { isValid($0) ? Int(text.codes[$0]) : null }
            values = text.dictionary.map { SQLiteValue.text($0) } + [SQLiteValue.null]
        case .integer(let numbers):
            var low = Int64.max, high = Int64.min
            for row in numbers.indices where isValid(row) {
                low = min(low, numbers[row])
                high = max(high, numbers[row])
            }
            let (range, overflow) = high.subtractingReportingOverflow(low)
            if low <= high, !overflow, range < 1 << 16 {
                let null = Int(range) + 1
                dense = numbers.indices.map { isValid($0) ? Int(numbers[$0] - low) : null }
                values = (0...range).map { SQLiteValue.integer(low + $0) } + [SQLiteValue.null]
            } else {
                var table: [Int64: Int] = [:]
                var seen: [SQLiteValue] = []
                dense = numbers.indices.map { row in
                    guard isValid(row) else { return -1 }
                    if let index = table[numbers[row]] { return index }
                    table[numbers[row]] = seen.count
                    seen.append(.integer(numbers[row]))
                    return seen.count - 1
                }
                let null = seen.count
                dense = dense.map { $0 < 0 ? null : $0 }
                values = seen + [SQLiteValue.null]
            }
        case .real(let numbers):
            var table: [UInt64: Int] = [:]
            var seen: [SQLiteValue] = []
            dense = numbers.indices.map { row in
                guard isValid(row) else { return -1 }
                let value = numbers[row] == 0 ? 0 : numbers[row]  // -0.0 groups with 0.0, as in SQL
                if let index = table[value.bitPattern] { return index }
                table[value.bitPattern] = seen.count
                seen.append(.real(value))
                return seen.count - 1
            }
            let null = seen.count
            dense = dense.map { $0 < 0 ? null : $0 }
            values = seen + [SQLiteValue.null]
        }
        self.dense = dense
        self.values = values
        radix = values.count
    }

    func value(of index: Int) -> SQLiteValue { values[index] }
}

extension RollupFilter {
    /// Whether a stored value meets the condition (`NULL` meets none, as in SQL).
    func matches(_ value: SQLiteValue) -> Bool {
        switch value {
        case .integer(let number): matches(integer: number)
        case .real(let number): matches(real: number)
        case .text(let text): matches(text: text)
        default: false
        }
    }

    /// Whether a text value meets the condition (SQLite's BINARY collation: byte order).
    func matches(text: String) -> Bool {
        values.contains { literal in
            guard case .text(let wanted) = literal else { return false }
            let order: Int =
                text.utf8.elementsEqual(wanted.utf8) ? 0 : (text.utf8.lexicographicallyPrecedes(wanted.utf8) ? -1 : 1)
            return holds(order)
        }
    }

    /// Whether an integer value meets the condition.
    func matches(integer: Int64) -> Bool {
        values.contains { literal in
            switch literal {
            case .integer(let wanted): holds(integer == wanted ? 0 : integer < wanted ? -1 : 1)
            case .real(let wanted): holds(Double(integer) == wanted ? 0 : Double(integer) < wanted ? -1 : 1)
            case .text: false
            }
        }
    }

    /// Whether a real value meets the condition.
    func matches(real: Double) -> Bool {
        values.contains { literal in
            let wanted: Double
            switch literal {
            case .integer(let value): wanted = Double(value)
            case .real(let value): wanted = value
            case .text: return false
            }
            return holds(real == wanted ? 0 : real < wanted ? -1 : 1)
        }
    }

    /// Whether a value that compares as `order` (-1, 0, 1) with a literal meets the operator.
    private func holds(_ order: Int) -> Bool {
        switch op {
        case .equal, .isIn: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }
}

/// A group's key compared byte for byte, as SQLite compares text (a `String` compares by
/// canonical equivalence, which would merge `"café"` typed two ways into one group).
struct ExactKey: Hashable {
    let values: [SQLiteValue]

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        lhs.values.count == rhs.values.count
            && zip(lhs.values, rhs.values).allSatisfy { left, right in
                if case .text(let a) = left, case .text(let b) = right { return a.utf8.elementsEqual(b.utf8) }
                return left == right
            }
    }

    func hash(into hasher: inout Hasher) {
        for value in values {
            if case .text(let text) = value {
                hasher.combine(text.utf8.count)
                for byte in text.utf8 { hasher.combine(byte) }
            } else {
                hasher.combine(value)
            }
        }
    }
}
