/// One bit per row: set when the row holds a value, clear when it is null.
///
/// In the file the bitmap is `ceil(count / 8)` bytes, least significant bit first (row 0 is
/// bit 0 of byte 0), with the unused high bits of the last byte zero.
public struct ValidityBitmap: Sendable, Hashable {
    /// The bits, 64 rows per word, least significant bit first.
    private(set) var words: [UInt64]
    /// The number of rows.
    public private(set) var count: Int

    /// A bitmap of `count` rows, all valid (or all null when `valid` is false).
    public init(count: Int, valid: Bool = true) {
        precondition(count >= 0, "negative count")
        self.count = count
        words = Array(repeating: valid ? ~0 : 0, count: (count + 63) / 64)
        clearTail()
    }

    /// A bitmap with one bit per element of `valid`.
    public init(_ valid: [Bool]) {
        self.init(count: valid.count, valid: false)
        for (row, isValid) in valid.enumerated() where isValid { self[row] = true }
    }

    /// Whether row `row` holds a value.
    ///
    /// - Precondition: `0 <= row < count`.
    public subscript(row: Int) -> Bool {
        get {
            precondition(row >= 0 && row < count, "row out of range")
            return words[row >> 6] & (1 << UInt64(row & 63)) != 0
        }
        set {
            precondition(row >= 0 && row < count, "row out of range")
            if newValue {
                words[row >> 6] |= 1 << UInt64(row & 63)
            } else {
                words[row >> 6] &= ~(1 << UInt64(row & 63))
            }
        }
    }

    /// Appends one row.
    public mutating func append(_ isValid: Bool) {
        if count & 63 == 0 { words.append(0) }
        count += 1
        if isValid { self[count - 1] = true }
    }

    /// The number of null rows.
    public var nullCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The bits for rows `range`, as a new bitmap.
    func slice(_ range: Range<Int>) -> ValidityBitmap {
        var result = ValidityBitmap(count: range.count, valid: false)
        for row in range where self[row] { result[row - range.lowerBound] = true }
        return result
    }

    /// Appends the rows of `other`.
    mutating func append(contentsOf other: ValidityBitmap) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        for row in 0..<other.count { append(other[row]) }
    }

    /// The file form: `ceil(count / 8)` bytes, LSB first.
    var fileBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
        for index in bytes.indices {
            bytes[index] = UInt8(truncatingIfNeeded: words[index >> 3] >> UInt64((index & 7) * 8))
        }
        return bytes
    }

    /// Reads the file form; `nil` if the unused high bits of the last byte are not zero.
    init?(fileBytes bytes: ArraySlice<UInt8>, count: Int) {
        self.init(count: count, valid: false)
        for (index, byte) in bytes.enumerated() {
            words[index >> 3] |= UInt64(byte) << UInt64((index & 7) * 8)
        }
        let tailBits = count & 7
        if tailBits != 0, let last = bytes.last, last >> UInt8(tailBits) != 0 { return nil }
    }

    /// Zeroes the bits past `count` in the last word.
    private mutating func clearTail() {
        let tail = count & 63
        if tail != 0 { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }
}
