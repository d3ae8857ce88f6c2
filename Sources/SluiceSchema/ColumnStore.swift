/// A schema column prepared for fast validation: rules resolved, allowed values in a set.
struct ColumnPlan: Sendable {
    let name: String
    let type: ColumnType
    /// How values are written, compiled (one reference, so copying a plan stays cheap).
    let reading: ValueReading
    /// Numbers written the plain way (a point, no grouping): the fast path.
    let plainNumbers: Bool
    let minimum: Double?
    let maximum: Double?
    let maxLength: Int?
    /// Allowed values as compared (lower-cased for text columns when lower-casing is on).
    let allowed: Set<String>?
    /// The allowed values as written in the schema, for messages.
    let allowedList: String
    /// Whether text values are lower-cased.
    let lowercase: Bool
    /// Whether a value must be present.
    let required: Bool
    /// Index of this column's array within the store's arrays for its type.
    let slot: Int
    /// `minimum` and `maximum` with "no bound" as ∓infinity: one comparison each on the hot path.
    let lowerBound: Double
    let upperBound: Double

    /// Resolves `column`'s rules and reserves its value array in `store`.
    init(_ column: ColumnSchema, lowercase: Bool, store: inout ColumnStore) {
        name = column.name
        type = column.type
        reading = ValueReading(column)
        plainNumbers = column.valueFormat.hasPlainNumbers
        minimum = column.minimum
        maximum = column.maximum
        maxLength = column.type == .text ? column.maxLength : nil
        let fold = lowercase && column.type == .text
        self.lowercase = fold
        required = column.isRequired
        let folded = column.allowedValues.map { values in values.map { fold ? $0.lowercased() : $0 } }
        allowed = folded.map(Set.init)
        allowedList = (column.allowedValues ?? []).joined(separator: ", ")
        slot = store.addColumn(column.type)
        lowerBound = column.minimum ?? -.infinity
        upperBound = column.maximum ?? .infinity
    }
}

/// Column-wise storage of the accepted rows: one array per column, grouped by type; text
/// columns hold codes into a per-column ``TextDictionary``.
///
/// The row being validated is appended column by column as its values are cleaned, so every
/// column holds either ``rowCount`` values or one more; ``discardPartialRow()`` takes a
/// refused row's values back.
struct ColumnStore: Sendable {
    var integers: [[Int64]] = []
    var reals: [[Double]] = []
    var textCodes: [[UInt32]] = []
    var dictionaries: [TextDictionary] = []
    /// The source line of each accepted row.
    var lines: [Int] = []

    /// The number of accepted rows.
    var rowCount: Int { lines.count }

    /// Adds an empty column of `type`; returns its slot.
    mutating func addColumn(_ type: ColumnType) -> Int {
        switch type.storage {
        case .integer:
            integers.append([])
            return integers.count - 1
        case .real:
            reals.append([])
            return reals.count - 1
        case .text:
            textCodes.append([])
            dictionaries.append(TextDictionary())
            return textCodes.count - 1
        }
    }

    /// Appends the placeholder of a `NULL` (0, 0.0 or `""`), which the validity mask marks absent.
    mutating func appendNull(_ type: ColumnType, slot: Int) {
        switch type.storage {
        case .integer: integers[slot].append(0)
        case .real: reals[slot].append(0)
        case .text: textCodes[slot].append(dictionaries[slot].code(for: ""))
        }
    }

    /// Removes the values of the row being built from every column that has one.
    mutating func discardPartialRow() {
        let count = rowCount
        for slot in integers.indices where integers[slot].count > count { integers[slot].removeLast() }
        for slot in reals.indices where reals[slot].count > count { reals[slot].removeLast() }
        for slot in textCodes.indices where textCodes[slot].count > count { textCodes[slot].removeLast() }
    }

    /// Feeds the values of `row` to `hasher` (a `NULL` as the column's position, without its placeholder).
    /// Reads each plan's type and slot in place: copying a whole ``ColumnPlan`` per value (its
    /// strings and sets retained and released) would cost more than the hashing.
    func hashRow(_ row: Int, plans: [ColumnPlan], isNull: (Int) -> Bool, into hasher: inout Hasher) {
        for index in plans.indices {
            if isNull(index) {
                hasher.combine(UInt64(index) | 1 << 63)
                continue
            }
            let slot = plans[index].slot
            switch plans[index].type.storage {
            case .integer: hasher.combine(UInt64(bitPattern: integers[slot][row]))
            case .real:
                let value = reals[slot][row]
                hasher.combine(value == 0 ? 0 : value.bitPattern)  // -0.0 == 0.0
            case .text: hasher.combine(UInt64(textCodes[slot][row]))
            }
        }
    }

    /// True when rows `first` and `second` hold the same values and the same `NULL`s.
    func row(_ first: Int, equals second: Int, plans: [ColumnPlan], isNull: (Int, Int) -> Bool) -> Bool {
        for index in plans.indices {
            let firstIsNull = isNull(index, first)
            guard firstIsNull == isNull(index, second) else { return false }
            if firstIsNull { continue }
            let slot = plans[index].slot
            let same =
                switch plans[index].type.storage {
                case .integer: integers[slot][first] == integers[slot][second]
                case .real: reals[slot][first] == reals[slot][second]
                case .text: textCodes[slot][first] == textCodes[slot][second]
                }
            if !same { return false }
        }
        return true
    }

    /// The finished column at `slot` of `type`.
    func column(_ type: ColumnType, slot: Int) -> TypedColumn {
        switch type.storage {
        case .integer: .integer(integers[slot])
        case .real: .real(reals[slot])
        case .text: .text(TextColumn(dictionary: dictionaries[slot].values, codes: textCodes[slot]))
        }
    }
}
