import SluiceWarehouse

extension RollupDefinition {
    /// The rollups the reports declare over `table` (one `-- rollup:` line per report), and the
    /// headers that cannot be kept, with why (their reports then run as written and fail on
    /// the missing table, so the problem is also logged and shown by `sluice rollup`).
    public static func declared(by reports: [SavedReport], table: WarehouseTable) -> (
        rollups: [RollupDefinition], problems: [RollupDefinitionError]
    ) {
        var rollups: [RollupDefinition] = []
        var problems: [RollupDefinitionError] = []
        for report in reports {
            guard let text = report.properties["rollup"] else { continue }
            do {
                rollups.append(try parse(text, report: report.name, columns: table.columns))
            } catch {
                problems.append(error)
            }
        }
        return (rollups, problems)
    }

    /// Parses the text after `-- rollup:` and checks it against the table's columns.
    ///
    /// - Throws: ``RollupDefinitionError`` naming the problem and the expected form.
    public static func parse(_ text: String, report: String, columns: [WarehouseColumn]) throws(RollupDefinitionError)
        -> RollupDefinition
    {
        func fail(_ message: String) -> RollupDefinitionError {
            RollupDefinitionError(
                report: report,
                message: message
                    + " (expected: count[, sum(column)…] by column[, column…] [where column op literal [and …]])")
        }
        guard !report.isEmpty,
            report.utf8.allSatisfy({
                $0 == UInt8(ascii: "_") || ($0 < 128 && Character(Unicode.Scalar($0)).isLetter)
                    || ($0 >= 48 && $0 <= 57)
            })
        else {
            throw RollupDefinitionError(
                report: report,
                message:
                    "a report with a rollup needs a name of letters, digits and _ only (its table is sluice_rollup_<name>)"
            )
        }
        var tokens = try RollupTokens(text, fail: fail)
        guard tokens.takeWord("count") else { throw fail("it must start with count") }
        var sums: [String] = []
        while tokens.take(",") {
            guard tokens.takeWord("sum"), tokens.take("("), case .word(let name)? = tokens.next(), tokens.take(")")
            else {
                throw fail("after count, only sum(column) may follow")
            }
            sums.append(name)
        }
        guard tokens.takeWord("by") else { throw fail("missing 'by' and the grouping columns") }
        var keys: [String] = []
        repeat {
            guard case .word(let name)? = tokens.next() else {
                throw fail("a column name must follow 'by' and each ','")
            }
            keys.append(name)
        } while tokens.take(",")
        var filters: [RollupFilter] = []
        if tokens.takeWord("where") {
            repeat { filters.append(try condition(&tokens, fail: fail)) } while tokens.takeWord("and")
        }
        if let extra = tokens.next() { throw fail("unexpected '\(extra)'") }
        return try resolved(report: report, keys: keys, sums: sums, filters: filters, columns: columns, fail: fail)
    }

    private static func condition(_ tokens: inout RollupTokens, fail: (String) -> RollupDefinitionError)
        throws(RollupDefinitionError) -> RollupFilter
    {
        guard case .word(let column)? = tokens.next() else { throw fail("a condition must start with a column name") }
        if tokens.takeWord("in") {
            guard tokens.take("(") else { throw fail("'in' needs a list: in (1, 2)") }
            var values: [RollupLiteral] = []
            repeat {
                guard case .literal(let value)? = tokens.next() else {
                    throw fail("the list of 'in' holds literals only")
                }
                values.append(value)
            } while tokens.take(",")
            guard tokens.take(")") else { throw fail("the list of 'in' must end with ')'") }
            return RollupFilter(column: column, op: .isIn, values: values)
        }
        guard case .symbol(let symbol)? = tokens.next(),
            let op = RollupFilter.Operator(rawValue: symbol == "==" ? "=" : symbol == "<>" ? "!=" : symbol), op != .isIn
        else { throw fail("a comparison (=, !=, <, <=, >, >=, in) must follow '\(column)'") }
        guard case .literal(let value)? = tokens.next() else {
            throw fail("a literal (42, 1.5 or 'text') must follow '\(column) \(symbol)'")
        }
        return RollupFilter(column: column, op: op, values: [value])
    }

    /// Checks names and types against the table and spells names as the table does.
    private static func resolved(
        report: String, keys: [String], sums: [String], filters: [RollupFilter], columns: [WarehouseColumn],
        fail: (String) -> RollupDefinitionError
    ) throws(RollupDefinitionError) -> RollupDefinition {
        func column(_ name: String) throws(RollupDefinitionError) -> WarehouseColumn {
            guard name.lowercased() != Ledger.ingestIDColumn,
                let found = columns.first(where: { $0.name.lowercased() == name.lowercased() })
            else { throw fail("no column '\(name)' in the table") }
            return found
        }
        var definition = RollupDefinition(report: report, keys: [], sums: [], filters: [])
        for key in keys { definition.keys.append(try column(key).name) }
        guard definition.keys.count <= maxKeys else { throw fail("at most \(maxKeys) grouping columns") }
        guard Set(definition.keys).count == definition.keys.count else {
            throw fail("a grouping column is named twice")
        }
        for sum in sums {
            let found = try column(sum)
            guard found.type == .integer else {
                throw fail("sum(\(sum)): only integer columns are summed (exactly, like SQL)")
            }
            definition.sums.append(found.name)
        }
        guard Set(definition.sums).count == definition.sums.count else { throw fail("a column is summed twice") }
        let taken = Set(definition.keys.map { $0.lowercased() })
        if definition.aggregateColumns.contains(where: { taken.contains($0.lowercased()) }) {
            throw fail("a grouping column is named like an aggregate column (count, sum_…, count_…)")
        }
        for filter in filters {
            let found = try column(filter.column)
            for value in filter.values {
                switch (found.type, value) {
                case (.text, .text), (.integer, .integer), (.integer, .real), (.real, .integer), (.real, .real): break
                default:
                    throw fail(
                        "'\(found.name)' is \(found.type.rawValue.lowercased()); compare it with a \(found.type == .text ? "'quoted' text" : "number")"
                    )
                }
            }
            definition.filters.append(RollupFilter(column: found.name, op: filter.op, values: filter.values))
        }
        return definition
    }
}

/// The tokens of a rollup header: words, literals and symbols.
struct RollupTokens {
    enum Token: Equatable, CustomStringConvertible {
        case word(String)
        case literal(RollupLiteral)
        case symbol(String)

        var description: String {
            switch self {
            case .word(let word): word
            case .literal(let literal): literal.sql
            case .symbol(let symbol): symbol
            }
        }
    }

    private var tokens: [Token] = []
    private var position = 0

    init(_ text: String, fail: (String) -> RollupDefinitionError) throws(RollupDefinitionError) {
        let bytes = Array(text.utf8)
        var index = 0
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 122)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 32 || byte == 9 {
                index += 1
            } else if byte == UInt8(ascii: "'") {
                var value: [UInt8] = []
                index += 1
                while true {
                    guard index < bytes.count else { throw fail("a quoted text is not closed") }
                    if bytes[index] == UInt8(ascii: "'") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
                            value.append(bytes[index])
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(bytes[index])
                    index += 1
                }
                tokens.append(.literal(.text(String(decoding: value, as: UTF8.self))))
            } else if (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                var end = index + 1
                while end < bytes.count, (bytes[end] >= 48 && bytes[end] <= 57) || bytes[end] == UInt8(ascii: ".") {
                    end += 1
                }
                let number = String(decoding: bytes[index..<end], as: UTF8.self)
                if let integer = Int64(number) {
                    tokens.append(.literal(.integer(integer)))
                } else if let real = Double(number), real.isFinite, number.contains(where: \.isNumber) {
                    tokens.append(.literal(.real(real)))
                } else {
                    throw fail("'\(number)' is not a number")
                }
                index = end
            } else if isWordByte(byte) {
                var end = index + 1
                while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
                tokens.append(.word(String(decoding: bytes[index..<end], as: UTF8.self)))
                index = end
            } else if byte == UInt8(ascii: "\"") {
                // A quoted column name, as in SQL.
                guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
                    throw fail("a quoted name is not closed")
                }
                tokens.append(.word(String(decoding: bytes[(index + 1)..<close], as: UTF8.self)))
                index = close + 1
            } else {
                let pair = index + 1 < bytes.count ? String(decoding: bytes[index...(index + 1)], as: UTF8.self) : ""
                if ["<=", ">=", "!=", "<>", "=="].contains(pair) {
                    tokens.append(.symbol(pair))
                    index += 2
                } else if "=<>,()".utf8.contains(byte) {
                    tokens.append(.symbol(String(decoding: [byte], as: UTF8.self)))
                    index += 1
                } else {
                    throw fail("unexpected character '\(String(decoding: [byte], as: UTF8.self))'")
                }
            }
        }
    }

    /// The next token, consumed.
    mutating func next() -> Token? {
        guard position < tokens.count else { return nil }
        position += 1
        return tokens[position - 1]
    }

    /// Consumes `symbol` if it comes next.
    mutating func take(_ symbol: String) -> Bool {
        guard position < tokens.count, tokens[position] == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    /// Consumes the keyword `word` (any case) if it comes next.
    mutating func takeWord(_ word: String) -> Bool {
        guard position < tokens.count, case .word(let found) = tokens[position], found.lowercased() == word else {
            return false
        }
        position += 1
        return true
    }
}
