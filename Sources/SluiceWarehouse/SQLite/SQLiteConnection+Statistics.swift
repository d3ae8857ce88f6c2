import CSluiceSQLite

/// The aggregate functions every Sluice connection has beside SQLite's own, for people who
/// write reports and ad-hoc queries by hand:
///
/// - `median(x)`: the middle of the non-NULL values (the mean of the two middle ones for an
///   even count), as a real; NULL when there are none.
/// - `percentile(x, p)`: the `p`-th percentile, `p` from 0 to 100, interpolated linearly between
///   the two nearest values (`percentile(x, 50)` is `median(x)`), as SQLite's own percentile
///   extension defines it.
/// - `mode(x)`: the most frequent non-NULL value, with its own type; on a tie the smallest.
///
/// Values are numbers (text that reads as a number counts as that number); any other value is
/// an error naming the function, never a silent skip. The bundled reports do not use them, so
/// they keep running in the stock `sqlite3` shell.
extension SQLiteConnection {
    /// Registers `median`, `percentile` and `mode` on this connection.
    func registerStatisticsFunctions() {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        sqlite3_create_function_v2(handle, "median", 1, flags, nil, nil, numbersStep, medianFinal, nil)
        sqlite3_create_function_v2(handle, "percentile", 2, flags, nil, nil, numbersStep, percentileFinal, nil)
        sqlite3_create_function_v2(handle, "mode", 1, flags, nil, nil, modeStep, modeFinal, nil)
    }
}

/// The values one aggregate call has collected, kept behind a pointer in SQLite's aggregate context.
private final class AggregateState {
    var numbers: [Double] = []
    var percent: Double?
    var counts: [SQLiteValue: Int] = [:]
    var failure: String?
}

/// The state of this aggregate call, created on first use (`nil` only when SQLite is out of memory).
private func state(_ context: OpaquePointer?, create: Bool) -> AggregateState? {
    let size = Int32(MemoryLayout<UnsafeMutableRawPointer?>.size)
    guard let slot = sqlite3_aggregate_context(context, create ? size : 0) else { return nil }
    let pointer = slot.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    if let existing = pointer.pointee { return Unmanaged<AggregateState>.fromOpaque(existing).takeUnretainedValue() }
    guard create else { return nil }
    let fresh = AggregateState()
    pointer.pointee = Unmanaged.passRetained(fresh).toOpaque()
    return fresh
}

/// Takes the state out of the context for the final call (releasing it).
private func finalState(_ context: OpaquePointer?) -> AggregateState? {
    guard let slot = sqlite3_aggregate_context(context, 0) else { return nil }
    let pointer = slot.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    guard let existing = pointer.pointee else { return nil }
    pointer.pointee = nil
    return Unmanaged<AggregateState>.fromOpaque(existing).takeRetainedValue()
}

/// One argument as a number, `nil` for NULL, or a failure text for anything else.
private func number(_ value: OpaquePointer?) -> Result<Double?, StatisticsFailure> {
    switch sqlite3_value_type(value) {
    case SQLITE_NULL: return .success(nil)
    case SQLITE_INTEGER: return .success(Double(sqlite3_value_int64(value)))
    case SQLITE_FLOAT: return .success(sqlite3_value_double(value))
    case SQLITE_TEXT:
        let text = sqlite3_value_text(value).map { String(cString: $0) } ?? ""
        if let number = Double(text.trimmingCharacters(in: " ")) { return .success(number) }
        return .failure(StatisticsFailure(text: "'\(text.prefix(40))' is not a number"))
    default: return .failure(StatisticsFailure(text: "a blob is not a number"))
    }
}

private struct StatisticsFailure: Error {
    let text: String
}

private extension String {
    func trimmingCharacters(in character: Character) -> Substring {
        var slice = self[...]
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return slice
    }
}

private func numbersStep(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?)
{
    guard let arguments, let state = state(context, create: true), state.failure == nil else { return }
    switch number(arguments[0]) {
    case .success(let value?): state.numbers.append(value)
    case .success(nil): break
    case .failure(let failure): state.failure = failure.text
    }
    guard count == 2 else { return }
    switch number(arguments[1]) {
    case .success(let percent?) where (0...100).contains(percent):
        if let earlier = state.percent, earlier != percent {
            state.failure = "the percentile must be the same on every row"
        }
        state.percent = percent
    default: state.failure = "the percentile must be a number from 0 to 100"
    }
}

/// The `percent`-th percentile of sorted `values`, interpolated linearly.
private func percentile(_ percent: Double, ofSorted values: [Double]) -> Double {
    let position = percent / 100 * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, values.count - 1)
    let fraction = position - Double(lower)
    return values[lower] + (values[upper] - values[lower]) * fraction
}

private func finish(_ context: OpaquePointer?, name: String, percent: (AggregateState) -> Double?) {
    guard let state = finalState(context) else { return sqlite3_result_null(context) }
    if let failure = state.failure { return sqlite3_result_error(context, "\(name)(): \(failure)", -1) }
    guard !state.numbers.isEmpty, let percent = percent(state) else { return sqlite3_result_null(context) }
    sqlite3_result_double(context, percentile(percent, ofSorted: state.numbers.sorted()))
}

private func medianFinal(_ context: OpaquePointer?) {
    finish(context, name: "median") { _ in 50 }
}

private func percentileFinal(_ context: OpaquePointer?) {
    finish(context, name: "percentile") { $0.percent }
}

private func modeStep(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let arguments, let state = state(context, create: true) else { return }
    let value: SQLiteValue
    let argument = arguments[0]
    switch sqlite3_value_type(argument) {
    case SQLITE_NULL: return
    case SQLITE_INTEGER: value = .integer(sqlite3_value_int64(argument))
    case SQLITE_FLOAT: value = .real(sqlite3_value_double(argument))
    case SQLITE_TEXT: value = .text(sqlite3_value_text(argument).map { String(cString: $0) } ?? "")
    default:
        let bytes = Int(sqlite3_value_bytes(argument))
        let start = sqlite3_value_blob(argument)?.assumingMemoryBound(to: UInt8.self)
        value = .blob(start.map { Array(UnsafeBufferPointer(start: $0, count: bytes)) } ?? [])
    }
    state.counts[value, default: 0] += 1
}

private func modeFinal(_ context: OpaquePointer?) {
    guard let state = finalState(context),
        let best = state.counts.max(by: { ($0.value, $1.key.sortKey) < ($1.value, $0.key.sortKey) })
    else { return sqlite3_result_null(context) }
    switch best.key {
    case .null: sqlite3_result_null(context)
    case .integer(let value): sqlite3_result_int64(context, value)
    case .real(let value): sqlite3_result_double(context, value)
    case .text(let text): sqlite3_result_text(context, text, -1, sqliteTransient)
    case .blob(let bytes):
        bytes.withUnsafeBytes { sqlite3_result_blob(context, $0.baseAddress, Int32($0.count), sqliteTransient) }
    }
}

private extension SQLiteValue {
    /// An order for ties: numbers before text before blobs, each by value (the smallest wins).
    var sortKey: SortKey {
        switch self {
        case .null: SortKey(rank: 0, number: 0, text: "")
        case .integer(let value): SortKey(rank: 1, number: Double(value), text: "")
        case .real(let value): SortKey(rank: 1, number: value, text: "")
        case .text(let value): SortKey(rank: 2, number: 0, text: value)
        case .blob(let bytes): SortKey(rank: 3, number: 0, text: bytes.map { String($0) }.joined(separator: ","))
        }
    }

    struct SortKey: Comparable {
        let rank: Int, number: Double, text: String
        static func < (left: SortKey, right: SortKey) -> Bool {
            (left.rank, left.number, left.text) < (right.rank, right.number, right.text)
        }
    }
}
