/// How a name typed by a person picks one of a list (saved reports, quarantined files): the
/// exact name first, then a unique prefix. A prefix never ends inside a number, so `q1` matches
/// `q1_mother_jobs` but never `q10_travel_time`, and adding `q10_…` cannot make `q1` ambiguous.
public enum NameMatcher {
    /// The outcome of a match.
    public enum Match: Sendable, Hashable {
        /// Exactly one name: its index in the list.
        case found(Int)
        /// More than one name starts with the prefix: those names.
        case ambiguous([String])
        /// No name matches.
        case none
    }

    /// Matches `wanted` against `names`.
    public static func match(_ wanted: String, in names: [String]) -> Match {
        if let exact = names.firstIndex(of: wanted) { return .found(exact) }
        guard !wanted.isEmpty else { return .none }
        let candidates = names.indices.filter { isPrefix(wanted, of: names[$0]) }
        switch candidates.count {
        case 0: return .none
        case 1: return .found(candidates[0])
        default: return .ambiguous(candidates.map { names[$0] })
        }
    }

    /// Whether `prefix` starts `name` without splitting a run of digits.
    static func isPrefix(_ prefix: String, of name: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let rest = name.dropFirst(prefix.count)
        guard let next = rest.first, let last = prefix.last else { return true }
        return !(last.isNumber && next.isNumber)
    }
}
