/// How many bytes a result takes as the JSON answer (the largest of the formats served): what
/// ``ReadOnlyWarehouse`` counts against ``ReadOnlyWarehouse/Limits/maxResultBytes``.
///
/// Text counts its UTF-8 bytes plus JSON's escapes (`\"`, `\\`, `\u0001`); blobs count as hex;
/// numbers at their widest; plus one separator per value and two brackets per row.
package enum ResultSize {
    /// The bytes of one row.
    package static func row(_ row: [SQLiteValue]) -> Int {
        row.reduce(2) { $0 + value($1) + 1 }
    }

    /// The bytes of one value.
    package static func value(_ value: SQLiteValue) -> Int {
        switch value {
        case .null: 4
        case .integer: 20
        case .real: 24
        case .text(let text): self.text(text)
        case .blob(let bytes): 2 * bytes.count + 5
        }
    }

    /// A JSON string's bytes: quotes, UTF-8, escapes.
    package static func text(_ text: String) -> Int {
        var count = 2
        for byte in text.utf8 {
            count += byte < 0x20 ? 6 : (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")) ? 2 : 1
        }
        return count
    }
}
