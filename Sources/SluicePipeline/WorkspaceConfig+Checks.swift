import SluiceCSV
import SluiceSchema

extension WorkspaceConfig {
    /// Refuses pinned dialect settings that cannot read any file: the same character as
    /// delimiter and quote, or a letter or digit as either (it would split values apart).
    func checkDialectConflicts(_ node: YAMLNode, file: String) throws(SchemaError) {
        func shown(_ byte: UInt8) -> String { byte == 0x09 ? "\\t" : String(Character(Unicode.Scalar(byte))) }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
        }
        if let delimiter = pins.delimiter, let quote = pins.quote, delimiter == quote {
            throw SchemaError(
                code: .conflict, file: file, line: node.line, column: node.column,
                message:
                    "dialect: delimiter and quote are both '\(shown(delimiter))'; they must differ (e.g. delimiter: \";\", quote: '\"')"
            )
        }
        for (name, byte) in [("delimiter", pins.delimiter), ("quote", pins.quote)] {
            if let byte, isAlphanumeric(byte) {
                throw SchemaError(
                    file: file, line: node.line, column: node.column,
                    message:
                        "dialect: \(name) '\(shown(byte))' is a letter or digit, which values are made of; use a punctuation character"
                )
            }
        }
    }
}
