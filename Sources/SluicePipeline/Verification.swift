import Foundation
import SluiceColumnar
import SluiceSchema
import SluiceWarehouse

/// What `verify` found for one delivery (or one stray file).
public struct VerifyFinding: Sendable, Hashable, Encodable {
    /// The `.scol` file, or the delivery's name when it has none.
    public var file: String
    /// The ledger entry, when there is one.
    public var ledgerID: Int64?
    /// Whether everything matched.
    public var ok: Bool
    /// Rows checked.
    public var rows: Int?
    /// What did not match, naming the first differing row when the values differ.
    public var problem: String?

    private enum CodingKeys: String, CodingKey { case file, ledgerID = "ledger_id", ok, rows, problem }
}

extension Workspace {
    /// Proves that the warehouse, the `.scol` files and the ledger agree, delivery by delivery:
    /// each `.scol` file's checksums, its footer's source hash against the ledger's, the row
    /// counts, and the content digest (see ``ContentDigest``) recomputed from the `.scol` file
    /// and from the warehouse rows against the one recorded at load. A difference names the
    /// file and the first differing row. `.scol` files no ledger entry names are reported too.
    /// Reads only (a read-only connection; never waits for a writer).
    public func verify() throws -> [VerifyFinding] {
        guard let ledger = try Ledger.openReadOnly(self) else { return [] }
        let warehouse = ledger.warehouse
        let loaded = try ledger.entries(status: .loaded).filter { $0.table == tableName }
        let stored = try warehouseDigests(warehouse)
        let replaced = try ledger.replacedCounts()
        var findings: [VerifyFinding] = []
        var referenced = Set<String>()
        for entry in loaded {
            let fromWarehouse = stored[entry.id]
            if let count = replaced[entry.id] {
                if let path = entry.columnar { referenced.insert(path) }
                findings.append(checkPartlyReplaced(entry, ledger: ledger, replaced: count, warehouse: fromWarehouse))
                continue
            }
            guard let path = entry.columnar else {
                findings.append(check(entry, file: entry.source, scol: nil, warehouse: fromWarehouse))
                continue
            }
            referenced.insert(path)
            findings.append(check(entry, file: path, scol: path, warehouse: fromWarehouse))
        }
        let onDisk = (try? FileManager.default.contentsOfDirectory(atPath: layout.columnar.path)) ?? []
        for name in onDisk.sorted() where name.hasSuffix(".scol") && !name.hasPrefix(".") {
            let path = layout.columnar.appendingPathComponent(name).path
            if !referenced.contains(path) {
                findings.append(
                    VerifyFinding(
                        file: path, ok: false,
                        problem: "not named by any loaded delivery (left by an interrupted load, or copied in?)"))
            }
        }
        return findings + (try verifyRollups(warehouse))
    }

    private func check(_ entry: LedgerEntry, file: String, scol: String?, warehouse: (rows: Int, digest: String)?)
        -> VerifyFinding
    {
        var finding = VerifyFinding(file: file, ledgerID: entry.id, ok: false, rows: warehouse?.rows ?? 0)
        let warehouseRows = warehouse?.rows ?? 0
        guard warehouseRows == entry.rowsLoaded else {
            finding.problem = "the ledger says \(entry.rowsLoaded) rows, the warehouse holds \(warehouseRows)"
            return finding
        }
        if let scol {
            guard FileManager.default.fileExists(atPath: scol) else {
                finding.problem = "missing"
                return finding
            }
            do {
                let reader = try ColumnarReader(path: scol)
                try reader.verify()
                if reader.metadata["sha256"] != entry.sha256 {
                    finding.problem =
                        "its footer names source \(reader.metadata["source"] ?? "?") with SHA-256 \(reader.metadata["sha256"] ?? "none"), "
                        + "but ledger entry \(entry.id) is \(entry.source) with \(entry.sha256)"
                    return finding
                }
                guard reader.rowCount == entry.rowsLoaded else {
                    finding.problem = "\(reader.rowCount) rows, but the ledger says \(entry.rowsLoaded)"
                    return finding
                }
                if let recorded = entry.contentDigest, try ContentDigest.of(reader) != recorded {
                    finding.problem = "its values differ from those loaded: " + firstDifference(entry, reader: reader)
                    return finding
                }
            } catch {
                finding.problem = "\(error)"
                return finding
            }
        }
        if let recorded = entry.contentDigest, let digest = warehouse?.digest, digest != recorded {
            let reader = scol.flatMap { try? ColumnarReader(path: $0) }
            finding.problem =
                "the warehouse rows differ from those loaded: "
                + (reader.map { firstDifference(entry, reader: $0) } ?? "no .scol file to compare with")
            return finding
        }
        finding.ok = true
        if entry.contentDigest == nil { finding.problem = "counts only: loaded before content digests were recorded" }
        return finding
    }

    /// Each delivery's row count and digest, from one pass over the table in stored order.
    private func warehouseDigests(_ warehouse: Warehouse) throws -> [Int64: (rows: Int, digest: String)] {
        let columns = schema.columns.map { SQLiteIdentifier.quote($0.name) }.joined(separator: ", ")
        let statement = try warehouse.connection.prepare(
            "SELECT \(SQLiteIdentifier.quote(Ledger.ingestIDColumn)), \(columns) FROM \(SQLiteIdentifier.quote(tableName)) ORDER BY rowid"
        )
        var result: [Int64: (rows: Int, digest: String)] = [:]
        var current: (id: Int64, digester: ContentDigest.RowDigester)?
        func close() {
            if let current { result[current.id] = (current.digester.rowCount, current.digester.finish()) }
        }
        while try statement.step() {
            let row = statement.row
            guard case .integer(let id) = row[0] else { continue }
            if current?.id != id {
                close()
                current = (id, ContentDigest.RowDigester(columnCount: row.count - 1))
            }
            current?.digester.append(row: Array(row.dropFirst()))
        }
        close()
        return result
    }

    /// The first row where the warehouse and the `.scol` file differ, for a message.
    private func firstDifference(_ entry: LedgerEntry, reader: ColumnarReader) -> String {
        guard let columns = try? (0..<reader.schema.fields.count).map({ try reader.readColumnWithValidity($0) }) else {
            return "cannot read both to compare"
        }
        let rows = Array(0..<reader.rowCount)
        let compared = firstDifference(entry, columns: columns, rows: rows, fields: reader.schema.fields)
        guard compared.difference == nil else { return compared.difference! }
        return compared.rowsRead == reader.rowCount
            ? "the ledger's digest matches neither (recorded wrongly?)"
            : "the warehouse holds \(compared.rowsRead) rows, the .scol \(reader.rowCount)"
    }

    /// Compares the delivery's warehouse rows, in load order, with `rows` of the `.scol`
    /// `columns` (all of them, or those a primary-key replace left it): the first differing
    /// value as a message, or `nil` with how many warehouse rows were read.
    func firstDifference(_ entry: LedgerEntry, columns: [ColumnarColumn], rows: [Int], fields: [ColumnarField])
        -> (difference: String?, rowsRead: Int)
    {
        guard let warehouse = try? Warehouse(path: layout.warehouse.path, readOnly: true) else {
            return ("cannot read the warehouse", 0)
        }
        let names = schema.columns.map { SQLiteIdentifier.quote($0.name) }.joined(separator: ", ")
        guard
            let statement = try? warehouse.connection.prepare(
                "SELECT \(names) FROM \(SQLiteIdentifier.quote(tableName)) WHERE \(Ledger.ingestIDColumn) = ? ORDER BY rowid"
            ),
            (try? statement.bind(entry.id, at: 1)) != nil
        else { return ("cannot read the warehouse rows", 0) }
        var position = 0
        while (try? statement.step()) == true {
            guard position < rows.count else { return (nil, position + 1) }
            for (index, column) in columns.enumerated() where rows[position] < column.count {
                let scolValue = ColumnarValue.at(column, row: rows[position], logicalType: fields[index].logicalType)
                let stored = statement.value(at: index)
                if !ColumnarValue.same(scolValue, stored) {
                    return (
                        "first at row \(rows[position] + 1) of the delivery, column '\(fields[index].name)': "
                            + "warehouse \(stored.displayText), .scol \(scolValue.displayText)", position
                    )
                }
            }
            position += 1
        }
        return (nil, position)
    }
}

/// One value of a `.scol` column as a SQLite value (for comparisons, and for `sluice cat`).
public enum ColumnarValue {
    /// The value at `row` of `column`, `.null` where it is null.
    public static func at(_ column: ColumnarColumn, row: Int) -> SQLiteValue {
        if column.isNull(row) { return .null }
        switch column.values {
        case .int64(let values): return .integer(values[row])
        case .double(let values): return .real(values[row])
        case .string(let values): return .text(values[row])
        case .codedString(let dictionary, let codes): return .text(dictionary[Int(codes[row])])
        }
    }

    /// The value at `row` as the warehouse stores it: a date or timestamp as ISO text.
    public static func at(_ column: ColumnarColumn, row: Int, logicalType: ColumnarLogicalType?) -> SQLiteValue {
        let value = at(column, row: row)
        switch (value, logicalType) {
        case (.integer(let days), .date?): return .text(CalendarValue.isoDate(days: days))
        case (.integer(let micros), .timestamp?): return .text(CalendarValue.isoTimestamp(microseconds: micros))
        default: return value
        }
    }

    /// Whether two values are equal, an integer and a real of the same value included.
    static func same(_ left: SQLiteValue, _ right: SQLiteValue) -> Bool {
        switch (left, right) {
        case (.real(let a), .real(let b)): a == b
        case (.real(let a), .integer(let b)), (.integer(let b), .real(let a)): a == Double(b)
        default: left == right
        }
    }
}
