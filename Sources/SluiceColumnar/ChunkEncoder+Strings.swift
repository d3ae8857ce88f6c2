extension ChunkEncoder {
    /// Encodes string values: constant, plain, dictionary or run-length.
    ///
    /// Strings are keyed by their UTF-8 bytes (``UTF8Key``), never by `String` equality, which
    /// is canonical equivalence and would merge different byte sequences.
    static func encodeString(_ values: ArraySlice<String>, into writer: inout ByteWriter) -> (
        ColumnarEncoding, ColumnStatistics
    ) {
        let count = values.count
        guard count > 0 else {
            return (.constant, ColumnStatistics(nullCount: 0, distinctCount: 0, min: nil, max: nil))
        }
        var builder = StringDictionaryBuilder(capacity: maxDictionaryEntries)
        var codes: [UInt32] = []
        codes.reserveCapacity(count)
        var totalBytes = 0, longestString = 0
        var runs = 0, longestRun = 0, currentRun = 0
        var runBytes = 0, longestRunString = 0
        var previous = UTF8Key("")
        var previousValue = ""
        var first = true
        for value in values {
            let key = UTF8Key(value)
            totalBytes += key.length
            longestString = max(longestString, key.length)
            if !first, key == previous, !key.isHashed || UTF8Key.sameBytes(value, previousValue) {
                currentRun += 1
                if builder.isComplete { codes.append(codes[codes.count - 1]) }
                continue
            }
            longestRun = max(longestRun, currentRun)
            runs += 1
            currentRun = 1
            runBytes += key.length
            longestRunString = max(longestRunString, key.length)
            previous = key
            previousValue = value
            first = false
            if builder.isComplete, let code = builder.code(for: key, value: value) { codes.append(code) }
        }
        longestRun = max(longestRun, currentRun)

        // Sort the dictionary by bytes and renumber the codes.
        var dictionary: [String] = []
        var renumber: [UInt32] = []
        if builder.isComplete {
            let order = builder.entries.indices.sorted {
                UTF8Order.compare(builder.entries[$0], builder.entries[$1]) < 0
            }
            renumber = [UInt32](repeating: 0, count: order.count)
            for (newCode, oldCode) in order.enumerated() { renumber[oldCode] = UInt32(newCode) }
            dictionary = order.map { builder.entries[$0] }
        }
        let distinct = builder.isComplete ? dictionary.count : nil
        let codeWidth = BitPacking.width(of: UInt64(max(dictionary.count, 1) - 1))
        let runWidth = BitPacking.width(of: UInt64(longestRun - 1))
        let dictionaryLongest = dictionary.reduce(0) { max($0, $1.utf8.count) }
        let encoding = StringChunkShape(
            count: count, distinct: distinct, dictionaryBytes: dictionary.reduce(0) { $0 + $1.utf8.count },
            dictionaryLongest: dictionaryLongest, codeWidth: codeWidth, runs: runs, runWidth: runWidth,
            runBytes: runBytes,
            longestRunString: longestRunString, totalBytes: totalBytes, longestString: longestString
        ).cheapestEncoding()
        switch encoding {
        case .constant:
            writer.writeString(values[values.startIndex])
        case .dictionary:
            writer.writeVarint(dictionary.count)
            writePlainStrings(dictionary, longest: dictionaryLongest, into: &writer)
            writer.writeByte(UInt8(codeWidth))
            BitPacking.pack(codes, width: codeWidth, into: &writer.bytes) { UInt64(renumber[Int($0)]) }
        case .runLength:
            let (lengths, runKeys) = RunSplitter.split(values.lazy.map { RunString($0) })
            writer.writeVarint(runs)
            writer.writeByte(UInt8(runWidth))
            BitPacking.pack(lengths, width: runWidth, into: &writer.bytes) { UInt64($0 - 1) }
            writePlainStrings(runKeys.map(\.value), longest: longestRunString, into: &writer)
        case .plain, .frameOfReference:
            writePlainStrings(values, longest: longestString, into: &writer)
        }
        let (minimum, maximum) =
            builder.isComplete
            ? (dictionary[0], dictionary[dictionary.count - 1])
            : values.dropFirst().reduce((values.first!, values.first!)) { bounds, value in
                (
                    UTF8Order.compare(value, bounds.0) < 0 ? value : bounds.0,
                    UTF8Order.compare(value, bounds.1) > 0 ? value : bounds.1
                )
            }
        return (encoding, stringStatistics(min: minimum, max: maximum, distinct: distinct))
    }

    /// Encodes string values given as codes into a dictionary: the same choices and the same
    /// bytes as ``encodeString(_:into:)`` on the decoded values (when the dictionary's entries
    /// differ by bytes), but one pass over integer codes instead of hashing every string.
    static func encodeCodedString(
        _ dictionary: [String], _ codes: ArraySlice<UInt32>,
        into writer: inout ByteWriter
    ) -> (ColumnarEncoding, ColumnStatistics) {
        let count = codes.count
        guard let firstCode = codes.first else {
            return (.constant, ColumnStatistics(nullCount: 0, distinctCount: 0, min: nil, max: nil))
        }
        let lengths = dictionary.map(\.utf8.count)
        var used = [Bool](repeating: false, count: dictionary.count)
        var totalBytes = 0, longestString = 0
        var runs = 0, longestRun = 0, currentRun = 0
        var runBytes = 0, longestRunString = 0
        var previous = UInt32.max
        for code in codes {
            let length = lengths[Int(code)]
            totalBytes += length
            longestString = max(longestString, length)
            if code == previous {
                currentRun += 1
                continue
            }
            longestRun = max(longestRun, currentRun)
            runs += 1
            currentRun = 1
            runBytes += length
            longestRunString = max(longestRunString, length)
            previous = code
            used[Int(code)] = true
        }
        longestRun = max(longestRun, currentRun)

        // The used entries sorted by bytes, and each old code's new number.
        let sorted = used.indices.filter { used[$0] }.sorted { UTF8Order.compare(dictionary[$0], dictionary[$1]) < 0 }
        var renumber = [UInt32](repeating: 0, count: dictionary.count)
        for (newCode, oldCode) in sorted.enumerated() { renumber[oldCode] = UInt32(newCode) }
        let entries = sorted.map { dictionary[$0] }
        let distinct = entries.count <= maxDictionaryEntries ? entries.count : nil
        let codeWidth = BitPacking.width(of: UInt64(max(entries.count, 1) - 1))
        let runWidth = BitPacking.width(of: UInt64(longestRun - 1))
        let dictionaryLongest = sorted.reduce(0) { max($0, lengths[$1]) }
        let encoding = StringChunkShape(
            count: count, distinct: distinct, dictionaryBytes: sorted.reduce(0) { $0 + lengths[$1] },
            dictionaryLongest: dictionaryLongest, codeWidth: codeWidth, runs: runs, runWidth: runWidth,
            runBytes: runBytes,
            longestRunString: longestRunString, totalBytes: totalBytes, longestString: longestString
        ).cheapestEncoding()
        switch encoding {
        case .constant:
            writer.writeString(dictionary[Int(firstCode)])
        case .dictionary:
            writer.writeVarint(entries.count)
            writePlainStrings(entries, longest: dictionaryLongest, into: &writer)
            writer.writeByte(UInt8(codeWidth))
            BitPacking.pack(codes, width: codeWidth, into: &writer.bytes) { UInt64(renumber[Int($0)]) }
        case .runLength:
            let (runLengths, runCodes) = RunSplitter.split(codes)
            writer.writeVarint(runs)
            writer.writeByte(UInt8(runWidth))
            BitPacking.pack(runLengths, width: runWidth, into: &writer.bytes) { UInt64($0 - 1) }
            writePlainStrings(runCodes.map { dictionary[Int($0)] }, longest: longestRunString, into: &writer)
        case .plain, .frameOfReference:
            writePlainStrings(codes.map { dictionary[Int($0)] }, longest: longestString, into: &writer)
        }
        let minimum = entries[0], maximum = entries[entries.count - 1]
        return (encoding, stringStatistics(min: minimum, max: maximum, distinct: distinct))
    }

    /// A string chunk's statistics: bounds cut to ``maxStatisticBytes``, marked inexact if cut.
    static func stringStatistics(min minimum: String, max maximum: String, distinct: Int?) -> ColumnStatistics {
        let lower = truncated(minimum), upper = truncated(maximum)
        return ColumnStatistics(
            nullCount: 0, distinctCount: distinct, min: .string(lower), max: .string(upper),
            boundsExact: lower.utf8.count == minimum.utf8.count && upper.utf8.count == maximum.utf8.count
        )
    }

    /// Writes a plain string section: length width, packed lengths, then the bytes.
    static func writePlainStrings<C: RandomAccessCollection>(_ strings: C, longest: Int, into writer: inout ByteWriter)
    where C.Element == String, C.Index == Int {
        let width = BitPacking.width(of: UInt64(longest))
        writer.writeByte(UInt8(width))
        BitPacking.pack(strings, width: width, into: &writer.bytes) { UInt64($0.utf8.count) }
        for string in strings { writer.bytes.append(contentsOf: string.utf8) }
    }

    /// `string` cut to at most ``maxStatisticBytes`` bytes at a scalar boundary.
    static func truncated(_ string: String) -> String {
        guard string.utf8.count > maxStatisticBytes else { return string }
        var result = ""
        for scalar in string.unicodeScalars {
            if result.utf8.count + String(scalar).utf8.count > maxStatisticBytes { break }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// A string compared by its UTF-8 bytes, for splitting runs.
private struct RunString: Equatable {
    let value: String
    let key: UTF8Key
    init(_ value: String) {
        self.value = value
        key = UTF8Key(value)
    }
    static func == (a: RunString, b: RunString) -> Bool {
        a.key == b.key && (!a.key.isHashed || UTF8Key.sameBytes(a.value, b.value))
    }
}

/// Builds a dictionary of distinct strings by UTF-8 bytes with an open-addressing table, and
/// gives up once it would exceed its capacity.
struct StringDictionaryBuilder {
    /// The distinct strings, in first-seen order (their codes).
    private(set) var entries: [String] = []
    private var keys: [UTF8Key] = []
    private var slots: [Int32]
    private let capacity: Int
    /// False once more than `capacity` distinct values were seen.
    private(set) var isComplete = true

    init(capacity: Int) {
        self.capacity = capacity
        slots = [Int32](repeating: -1, count: 16)
    }

    /// The code of `value` (whose key is `key`), adding it if new; `nil` once the builder gave up.
    mutating func code(for key: UTF8Key, value: String) -> UInt32? {
        guard isComplete else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.mixed) & mask
        while true {
            let index = slots[slot]
            if index < 0 { break }
            if keys[Int(index)] == key, !key.isHashed || UTF8Key.sameBytes(entries[Int(index)], value) {
                return UInt32(index)
            }
            slot = (slot + 1) & mask
        }
        guard entries.count < capacity else {
            isComplete = false
            return nil
        }
        slots[slot] = Int32(entries.count)
        entries.append(value)
        keys.append(key)
        if entries.count * 2 > slots.count { grow() }
        return UInt32(entries.count - 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.mixed) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

/// What decides a string chunk's encoding: the exact size each candidate would take.
struct StringChunkShape {
    var count: Int
    /// Distinct values, or `nil` past the dictionary cap.
    var distinct: Int?
    var dictionaryBytes: Int
    var dictionaryLongest: Int
    var codeWidth: Int
    var runs: Int
    var runWidth: Int
    var runBytes: Int
    var longestRunString: Int
    var totalBytes: Int
    var longestString: Int

    /// The smallest encoding (ties to the faster decode: constant, dictionary, run-length, plain).
    func cheapestEncoding() -> ColumnarEncoding {
        let plainSize = { (values: Int, bytes: Int, longest: Int) in
            1 + ChunkEncoder.packed(values, BitPacking.width(of: UInt64(longest))) + bytes
        }
        return ChunkEncoder.cheapest([
            (.constant, distinct == 1 ? ByteWriter.varintSize(UInt64(longestString)) + longestString : nil),
            (
                .dictionary,
                distinct.map {
                    ByteWriter.varintSize(UInt64($0)) + plainSize($0, dictionaryBytes, dictionaryLongest) + 1
                        + ChunkEncoder.packed(count, codeWidth)
                }
            ),
            (
                .runLength,
                ByteWriter.varintSize(UInt64(runs)) + 1 + ChunkEncoder.packed(runs, runWidth)
                    + plainSize(runs, runBytes, longestRunString)
            ),
            (.plain, plainSize(count, totalBytes, longestString)),
        ])
    }
}
