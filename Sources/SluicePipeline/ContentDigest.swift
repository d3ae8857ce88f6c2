import SluiceColumnar
import SluiceSchema
import SluiceWarehouse

/// A digest of a delivery's rows as stored, computed the same way from the validated columns
/// (at load), from the warehouse rows (by `_ingest_id`) and from the `.scol` file, so `verify`
/// can prove that all three hold the same values in the same order.
///
/// The canonical form, per column: each value becomes one 64-bit word — an integer's two's
/// complement, a real's IEEE 754 bits (±0 as +0), a text's XXH64 of its UTF-8 bytes, 0 for
/// NULL; a date or timestamp is the XXH64 of its ISO 8601 text (what the warehouse stores). Rows are cut into blocks of 65,536; a block's digest is the XXH64 of its words, followed
/// (only when the block holds a NULL) by its validity bits packed 64 to a word. A column's digest
/// is the XXH64 of its block digests, and the delivery's is the XXH64 of the row count, the column
/// count and the column digests, as 16 hex digits.
public enum ContentDigest {
    static let blockRows = 65_536

    /// The digest of the rows a validation accepted (what the warehouse and the `.scol` get).
    static func of(_ outcome: ValidationOutcome, types: [ColumnType]) -> String {
        let digests = zip(zip(outcome.columns, outcome.validity), types).map { pair, type -> UInt64 in
            let (column, validity) = pair
            var digester = ColumnDigester()
            let isNull: (Int) -> Bool = { row in validity.map { !$0[row] } ?? false }
            switch column {
            case .integer(let values) where type.isTemporal:
                digestISOText(values, type: type, isNull: isNull, into: &digester)
            case .integer(let values) where validity == nil:
                return ColumnDigester.digest(ofValues: values.map { UInt64(bitPattern: $0) })
            case .integer(let values):
                for row in values.indices { digester.append(UInt64(bitPattern: values[row]), isNull: isNull(row)) }
            case .real(let values) where validity == nil:
                return ColumnDigester.digest(ofValues: values.map(word))
            case .real(let values):
                for row in values.indices { digester.append(word(values[row]), isNull: isNull(row)) }
            case .text(let text) where validity == nil:
                let words = text.dictionary.map { XXH64.hash(utf8: $0) }
                return ColumnDigester.digest(ofValues: text.codes.map { words[Int($0)] })
            case .text(let text):
                let words = text.dictionary.map { XXH64.hash(utf8: $0) }
                for row in text.codes.indices { digester.append(words[Int(text.codes[row])], isNull: isNull(row)) }
            }
            return digester.finish()
        }
        return combine(rowCount: outcome.rowsAccepted, columnDigests: digests)
    }

    /// The digest of the columns of a `.scol` file, in file order.
    static func of(_ reader: ColumnarReader) throws -> String {
        var digests: [UInt64] = []
        for index in reader.schema.fields.indices {
            let column = try reader.readColumnWithValidity(index)
            var digester = ColumnDigester()
            let logical = reader.schema.fields[index].logicalType
            switch column.values {
            case .int64(let values) where logical == .date || logical == .timestamp:
                digestISOText(
                    values, type: logical == .date ? .date : .timestamp, isNull: column.isNull, into: &digester)
            case .int64(let values):
                for row in values.indices {
                    digester.append(UInt64(bitPattern: values[row]), isNull: column.isNull(row))
                }
            case .double(let values):
                for row in values.indices { digester.append(word(values[row]), isNull: column.isNull(row)) }
            case .string(let values):
                for row in values.indices { digester.append(XXH64.hash(utf8: values[row]), isNull: column.isNull(row)) }
            case .codedString(let dictionary, let codes):
                let words = dictionary.map { XXH64.hash(utf8: $0) }
                for row in codes.indices { digester.append(words[Int(codes[row])], isNull: column.isNull(row)) }
            }
            digests.append(digester.finish())
        }
        return combine(rowCount: reader.rowCount, columnDigests: digests)
    }

    /// The digest of rows read from the warehouse, one ``append(row:)`` at a time, in stored order.
    struct RowDigester {
        private var columns: [ColumnDigester]
        private(set) var rowCount = 0

        init(columnCount: Int) {
            columns = Array(repeating: ColumnDigester(), count: columnCount)
        }

        mutating func append(row: [SQLiteValue]) {
            for (index, value) in row.enumerated() {
                switch value {
                case .null: columns[index].append(0, isNull: true)
                case .integer(let number): columns[index].append(UInt64(bitPattern: number), isNull: false)
                case .real(let number): columns[index].append(ContentDigest.word(number), isNull: false)
                case .text(let text): columns[index].append(XXH64.hash(utf8: text), isNull: false)
                case .blob(let bytes): columns[index].append(XXH64.hash(bytes), isNull: false)
                }
            }
            rowCount += 1
        }

        func finish() -> String {
            ContentDigest.combine(rowCount: rowCount, columnDigests: columns.map { $0.finish() })
        }
    }

    /// Days or microseconds digested as the XXH64 of their ISO text (each distinct value formatted once).
    private static func digestISOText(
        _ values: [Int64], type: ColumnType, isNull: (Int) -> Bool, into digester: inout ColumnDigester
    ) {
        var words: [Int64: UInt64] = [:]
        for row in values.indices {
            if isNull(row) {
                digester.append(0, isNull: true)
                continue
            }
            let value = values[row]
            if let word = words[value] {
                digester.append(word, isNull: false)
                continue
            }
            let word = XXH64.hash(utf8: CalendarValue.isoText(value, type: type))
            words[value] = word
            digester.append(word, isNull: false)
        }
    }

    private static func word(_ number: Double) -> UInt64 {
        number == 0 ? 0 : number.bitPattern
    }

    static func combine(rowCount: Int, columnDigests: [UInt64]) -> String {
        let words = [UInt64(rowCount), UInt64(columnDigests.count)] + columnDigests
        let digest = XXH64.hash(words: words[...])
        let hex = String(digest, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// One column's digest, built block by block (memory: one block of words).
struct ColumnDigester {
    private var words: [UInt64] = []
    private var validity: [UInt64] = []
    private var hasNull = false
    private var blockDigests: [UInt64] = []

    mutating func append(_ word: UInt64, isNull: Bool) {
        let row = words.count
        if row % 64 == 0 { validity.append(0) }
        if isNull {
            hasNull = true
            words.append(0)
        } else {
            validity[validity.count - 1] |= 1 << UInt64(row % 64)
            words.append(word)
        }
        if words.count == ContentDigest.blockRows { closeBlock() }
    }

    private mutating func closeBlock() {
        guard !words.isEmpty else { return }
        if hasNull { words += validity }
        blockDigests.append(XXH64.hash(words: words[...]))
        words.removeAll(keepingCapacity: true)
        validity.removeAll(keepingCapacity: true)
        hasNull = false
    }

    /// What a digester fed `words`, none of them `NULL`, finishes with: a block's validity
    /// joins its words only when the block holds a `NULL`, so here each block is its words alone.
    static func digest(ofValues words: [UInt64]) -> UInt64 {
        let blocks = stride(from: 0, to: words.count, by: ContentDigest.blockRows).map { start in
            XXH64.hash(words: words[start..<min(start + ContentDigest.blockRows, words.count)])
        }
        return XXH64.hash(words: blocks[...])
    }

    func finish() -> UInt64 {
        var copy = self
        copy.closeBlock()
        return XXH64.hash(words: copy.blockDigests[...])
    }
}
