/// The distinct cleaned values of one text column, each with a code, plus a cache from short
/// raw values already seen to their codes.
///
/// Categorical columns repeat a handful of values, so after the first sighting of each raw
/// value the validator finds its code with one table probe: no decoding, lower-casing, string
/// or rule check per value.
struct TextDictionary: Sendable {
    /// Code → cleaned value, in order of first appearance.
    private(set) var values: [String] = []
    /// Cleaned value's UTF-8 bytes → code. Keyed by bytes, not `String`: string equality is
    /// canonical equivalence, which would store `"café"` typed two ways as one of them.
    private var codeByValue: [[UInt8]: UInt32] = [:]
    /// Raw trimmed bytes (up to 24) → code of their cleaned value; only valid values go in.
    private var rawCodes = ShortTextTable()

    /// The code of `value`, adding it if it is new.
    mutating func code(for value: String) -> UInt32 {
        let bytes = Array(value.utf8)
        if let code = codeByValue[bytes] { return code }
        let code = UInt32(values.count)
        values.append(value)
        codeByValue[bytes] = code
        return code
    }

    /// The code remembered for a raw value, if any.
    ///
    /// `mutating` although it changes nothing: called on an array element, a mutating method
    /// works in place, where a non-mutating one may copy the whole dictionary (four references
    /// retained and released per value on the hot path).
    @inline(__always)
    mutating func cachedCode(forRaw raw: ShortText) -> UInt32? {
        rawCodes.find(raw)
    }

    /// Remembers that `raw` cleans to the value with `code` (ignored once the cache is full).
    mutating func remember(raw: ShortText, code: UInt32) {
        rawCodes.insert(raw, code: code)
    }
}

/// A value of at most 24 bytes packed into three words: a key that costs no allocation.
struct ShortText: Sendable, Equatable {
    fileprivate var words: (UInt64, UInt64, UInt64)
    fileprivate var count: UInt8

    /// `nil` when `bytes` is longer than 24 bytes.
    @inline(__always)
    init?(_ bytes: Span<UInt8>) {
        self.init(bytes, offset: 0, count: bytes.count)
    }

    /// The `count` bytes at `offset` in `buffer`; `nil` when `count` is over 24. A value of up
    /// to 8 bytes with 8 bytes of buffer from its start is one unaligned load and a mask.
    @inline(__always)
    init?(_ buffer: Span<UInt8>, offset: Int, count: Int) {
        guard count <= 24 else { return nil }
        self.count = UInt8(count)
        if count <= 8, offset + 8 <= buffer.count {
            let word = UInt64(littleEndian: buffer.bytes.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self))
            words = (count == 8 ? word : word & ((1 << (UInt64(count) * 8)) - 1), 0, 0)
            return
        }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for index in 0..<count {
            let shifted = UInt64(buffer[offset + index]) << (UInt64(index & 7) * 8)
            switch index >> 3 {
            case 0: words.0 |= shifted
            case 1: words.1 |= shifted
            default: words.2 |= shifted
            }
        }
        self.words = words
    }

    /// The empty-slot marker of ``ShortTextTable`` (no real value has this count).
    fileprivate static let vacant = ShortText(vacant: ())

    private init(vacant: Void) {
        words = (0, 0, 0)
        count = .max
    }

    static func == (lhs: ShortText, rhs: ShortText) -> Bool {
        lhs.count == rhs.count && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
    }
}

/// An open-addressing hash table from ``ShortText`` to a code, capped at ``limit`` entries.
///
/// Smaller and faster than `Dictionary` for this one job (no SipHash per lookup); the hash is
/// keyed with a per-process random seed so a hostile file cannot aim at one probe chain, and
/// the cap bounds its memory.
struct ShortTextTable: Sendable {
    /// Most entries kept; further inserts are ignored.
    static let limit = 1_024

    private var keys: [ShortText] = []
    private var codes: [UInt32] = []
    private var count = 0

    /// Mixed into every hash; random per process.
    private static let seed = UInt64.random(in: .min ... .max)

    @inline(__always)
    private func slot(for key: ShortText, mask: Int) -> Int {
        var hash = (key.words.0 ^ Self.seed) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ (hash >> 29) ^ key.words.1) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 32) ^ key.words.2 ^ UInt64(key.count)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: hash ^ (hash >> 31)) & mask
    }

    /// The code stored for `key`, if any.
    @inline(__always)
    func find(_ key: ShortText) -> UInt32? {
        guard !keys.isEmpty else { return nil }
        let mask = keys.count - 1
        var index = slot(for: key, mask: mask)
        while true {
            let stored = keys[index]
            if stored == key { return codes[index] }
            if stored.count == ShortText.vacant.count { return nil }
            index = (index + 1) & mask
        }
    }

    /// Stores `code` for `key` unless the table is full or already holds the key.
    mutating func insert(_ key: ShortText, code: UInt32) {
        guard count < Self.limit, find(key) == nil else { return }
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var index = slot(for: key, mask: mask)
        while keys[index].count != ShortText.vacant.count { index = (index + 1) & mask }
        keys[index] = key
        codes[index] = code
        count += 1
    }

    /// Doubles the capacity (starting at 32), keeping the load at most one half.
    private mutating func grow() {
        let old = zip(keys, codes).filter { $0.0.count != ShortText.vacant.count }
        let capacity = max(32, keys.count * 2)
        keys = Array(repeating: .vacant, count: capacity)
        codes = Array(repeating: 0, count: capacity)
        count = 0
        for (key, code) in old { insert(key, code: code) }
    }
}
