/// How strictly the reader treats quotes that RFC 4180 does not allow.
public enum CSVQuotePolicy: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180: a quote inside an unquoted field (`unexpected-quote`), text after a closing
    /// quote (`text-after-quote`) and a quote never closed (`unterminated-quote`) are errors.
    case strict
    /// What real exports need: a quote inside an unquoted field is a literal character
    /// (`37°36'37.8"N`), text after a closing quote is part of the field (`"ab"c` reads `abc`),
    /// and an opening quote closed nowhere before the end of the input is a literal character
    /// too. The reader counts the fields it read this way (``CSVReader/lenientFieldCount``).
    case lenient
}

extension CSVRecord {
    /// The value of a field read leniently from `source[range]`, which starts at its opening
    /// quote: the quoted part with `""` unescaped, then the rest as written.
    static func lenientValue(_ source: [UInt8], _ range: Range<Int>, quote: UInt8) -> [UInt8] {
        var value: [UInt8] = []
        value.reserveCapacity(range.count)
        var position = range.lowerBound + 1
        while position < range.upperBound {
            let byte = source[position]
            if byte == quote {
                if position + 1 < range.upperBound, source[position + 1] == quote {
                    value.append(quote)
                    position += 2
                    continue
                }
                value.append(contentsOf: source[(position + 1)..<range.upperBound])  // after the closing quote
                break
            }
            value.append(byte)
            position += 1
        }
        return value
    }
}
