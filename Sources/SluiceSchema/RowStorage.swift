/// One cleaned value of the row being validated.
enum CleanValue: Hashable, Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A missing value in an optional column.
    case null
}

/// A schema column prepared for fast validation: rules resolved, allowed values in a set.
/// A class, so handing a plan to the per-value code costs one reference, not one per field.
final class ColumnPlan: Sendable {
    let name: String
    let type: ColumnType
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
    /// Index of this column's array within the storage for its type.
    let slot: Int

    /// Resolves `column`'s rules and reserves its value array in `storage`.
    init(_ column: ColumnSchema, lowercase: Bool, storage: inout RowStorage) {
        name = column.name
        type = column.type
        minimum = column.minimum
        maximum = column.maximum
        maxLength = column.type == .text ? column.maxLength : nil
        let fold = lowercase && column.type == .text
        self.lowercase = fold
        required = column.isRequired
        let folded = column.allowedValues.map { values in values.map { fold ? $0.lowercased() : $0 } }
        allowed = folded.map(Set.init)
        allowedList = (column.allowedValues ?? []).joined(separator: ", ")
        slot = storage.addColumn(column.type)
    }
}

/// Column-wise storage of the accepted rows, one array per column grouped by type.
struct RowStorage: Sendable {
    private var integers: [[Int64]] = []
    private var reals: [[Double]] = []
    private var texts: [[String]] = []
    /// The source line of each accepted row.
    var lines: [Int] = []

    /// Adds an empty column of `type`; returns its slot.
    mutating func addColumn(_ type: ColumnType) -> Int {
        switch type {
        case .integer:
            integers.append([])
            return integers.count - 1
        case .real:
            reals.append([])
            return reals.count - 1
        case .text:
            texts.append([])
            return texts.count - 1
        }
    }

    /// Appends a value to the column at `slot` of `type`; `NULL` stores a placeholder (0 or
    /// `""`) that the validity mask marks as absent.
    mutating func append(_ value: CleanValue, slot: Int, type: ColumnType) {
        switch value {
        case .integer(let number): integers[slot].append(number)
        case .real(let number): reals[slot].append(number)
        case .text(let text): texts[slot].append(text)
        case .null:
            switch type {
            case .integer: integers[slot].append(0)
            case .real: reals[slot].append(0)
            case .text: texts[slot].append("")
            }
        }
    }

    /// True when accepted row `row` holds exactly `values` (in schema column order).
    func row(_ row: Int, equals values: [CleanValue], plans: [ColumnPlan], validity: [[Bool]?]) -> Bool {
        for (index, plan) in plans.enumerated() {
            let storedIsNull = validity[index].map { !$0[row] } ?? false
            let same: Bool
            switch values[index] {
            case .integer(let number): same = !storedIsNull && integers[plan.slot][row] == number
            case .real(let number): same = !storedIsNull && reals[plan.slot][row] == number
            case .text(let text): same = !storedIsNull && texts[plan.slot][row] == text
            case .null: same = storedIsNull
            }
            if !same { return false }
        }
        return true
    }

    /// The finished column at `slot` of `type`.
    func column(_ type: ColumnType, slot: Int) -> TypedColumn {
        switch type {
        case .integer: .integer(integers[slot])
        case .real: .real(reals[slot])
        case .text: .text(texts[slot])
        }
    }
}

/// A text value of at most 24 bytes packed into three words: a hashable key that costs no
/// allocation, for the per-column cache of already-cleaned text values.
struct ShortText: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var count: UInt8

    /// `nil` when `bytes` is longer than 24 bytes.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count <= 24 else { return nil }
        count = UInt8(bytes.count)
        var first: UInt64 = 0, second: UInt64 = 0, third: UInt64 = 0
        var offset = 0
        for byte in bytes {
            let shifted = UInt64(byte) << (UInt64(offset & 7) * 8)
            switch offset >> 3 {
            case 0: first |= shifted
            case 1: second |= shifted
            default: third |= shifted
            }
            offset += 1
        }
        words = (first, second, third)
    }

    static func == (lhs: ShortText, rhs: ShortText) -> Bool {
        lhs.count == rhs.count && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(count)
    }
}
