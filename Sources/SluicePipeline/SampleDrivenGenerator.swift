import SluiceCSV

/// Makes realistic synthetic CSV deliveries from an example file: each column's values are drawn
/// with the frequencies seen in the example, written exactly as the example writes them (the
/// same quoting quirks — quoted text, quoted `G1`/`G2`, bare numbers — delimiter and header).
/// Columns are drawn independently; every file is distinct (its seed differs) and reproducible.
///
/// Used by `sluice generate` and by the ingest benchmark.
package struct SampleDrivenGenerator: Sendable {
    /// The header line, as in the example.
    package let header: [UInt8]
    /// Per column, the raw field texts seen (quotes included), repeated as often as seen.
    private let pools: [[[UInt8]]]
    private let delimiter: UInt8

    /// Learns the columns of `example` (a CSV file's bytes, with a header).
    /// - Throws: ``CSVError`` when the example cannot be read.
    package init(example: [UInt8]) throws(CSVError) {
        let text = try CSVTextDecoder.decode(example)
        let sniff = try CSVSniffer.sniff(text.utf8)
        var reader = CSVReader(bytes: text.utf8, dialect: sniff.dialect)
        guard let first = try reader.next() else {
            throw CSVError(code: .dialectError, line: 1, column: 1, byteOffset: 0, message: "the example has no header")
        }
        header = Array(text.utf8[first.byteOffset..<first.endOffset])
        delimiter = sniff.dialect.delimiter
        var pools = Array(repeating: [[UInt8]](), count: first.count)
        while let record = try reader.next() {
            guard record.count == first.count else { continue }
            // Split the record's original text on the delimiter to keep each field's quoting.
            let raw = text.utf8[record.byteOffset..<record.endOffset]
            let fields = raw.split(separator: delimiter, omittingEmptySubsequences: false)
            guard fields.count == first.count else { continue }  // a delimiter inside quotes: skip
            for (column, field) in fields.enumerated() { pools[column].append(Array(field)) }
        }
        self.pools = pools
    }

    /// One delivery of `rows` rows, made from `seed` (the same seed gives the same bytes).
    package func file(rows: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var output = header + [0x0A]
        output.reserveCapacity(header.count + rows * (header.count + 40))
        for _ in 0..<rows {
            for (column, pool) in pools.enumerated() {
                if column > 0 { output.append(delimiter) }
                if !pool.isEmpty { output += pool[Int(random.next() % UInt64(pool.count))] }
            }
            output.append(0x0A)
        }
        return output
    }
}

/// A small, fast, seedable generator (SplitMix64), so generated files are reproducible.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts from `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
