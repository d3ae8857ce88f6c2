import Foundation
import SluiceColumnar
import SluiceWarehouse

extension Workspace {
    /// `verify` for a delivery some of whose rows later deliveries replaced under the primary
    /// key: its `.scol` file must still hold every row it loaded (the recorded digest), and the
    /// warehouse exactly the rows of it that no delivery replaced (those listed in
    /// ``Ledger/replacedRowsTable`` are left out of the comparison), in the same order.
    func checkPartlyReplaced(
        _ entry: LedgerEntry, ledger: Ledger, replaced: Int,
        warehouse: (rows: Int, digest: String)?
    ) -> VerifyFinding {
        var finding = VerifyFinding(
            file: entry.columnar ?? entry.source, ledgerID: entry.id, ok: false, rows: warehouse?.rows ?? 0)
        let owned = entry.rowsLoaded - replaced
        guard (warehouse?.rows ?? 0) == owned else {
            finding.problem =
                "the ledger says \(entry.rowsLoaded) rows loaded, \(replaced) replaced since, so \(owned) left; "
                + "the warehouse holds \(warehouse?.rows ?? 0)"
            return finding
        }
        guard let scol = entry.columnar else {
            finding.ok = true
            finding.problem = "counts only: no .scol file to compare the rows it still holds with"
            return finding
        }
        guard FileManager.default.fileExists(atPath: scol) else {
            finding.problem = "missing"
            return finding
        }
        do {
            let reader = try ColumnarReader(path: scol)
            try reader.verify()
            guard reader.metadata["sha256"] == entry.sha256, reader.rowCount == entry.rowsLoaded else {
                finding.problem =
                    "its footer or row count (\(reader.rowCount)) does not match ledger entry \(entry.id) (\(entry.rowsLoaded) rows of \(entry.sha256))"
                return finding
            }
            if let recorded = entry.contentDigest, try ContentDigest.of(reader) != recorded {
                finding.problem = "its values differ from those loaded"
                return finding
            }
            let keys = try ledger.replacedKeys(of: entry.id)
            let columns = try (0..<reader.schema.fields.count).map { try reader.readColumnWithValidity($0) }
            let rows = try remainingRows(columns, rowCount: reader.rowCount, replacedKeys: keys)
            var digester = ContentDigest.RowDigester(columnCount: columns.count)
            for row in rows { digester.append(row: columns.map { ColumnarValue.at($0, row: row) }) }
            if let digest = warehouse?.digest, digest != digester.finish() {
                finding.problem =
                    "the warehouse rows differ from the rows of its .scol file that were not replaced: "
                    + firstDifference(entry, columns: columns, rows: rows, names: reader.schema.fields.map(\.name))
                return finding
            }
        } catch {
            finding.problem = "\(error)"
            return finding
        }
        finding.ok = true
        return finding
    }

    /// The `.scol` rows whose key is not among `replacedKeys`, in file order.
    private func remainingRows(_ columns: [ColumnarColumn], rowCount: Int, replacedKeys: Set<String>) throws -> [Int] {
        guard let key = KeyColumns(schema), key.positions.allSatisfy({ $0 < columns.count }) else {
            throw PipelineError(
                code: .configuration, message: "rows were replaced under a primary key, but the schema has none now")
        }
        return (0..<rowCount).filter { row in
            !replacedKeys.contains(KeyText.of(key.positions.map { ColumnarValue.at(columns[$0], row: row) }))
        }
    }

    /// The first remaining row where the warehouse differs from the `.scol` file.
    private func firstDifference(_ entry: LedgerEntry, columns: [ColumnarColumn], rows: [Int], names: [String])
        -> String
    {
        guard let warehouse = try? Warehouse(path: layout.warehouse.path, readOnly: true) else {
            return "cannot read the warehouse"
        }
        let list = schema.columns.map { SQLiteIdentifier.quote($0.name) }.joined(separator: ", ")
        guard
            let statement = try? warehouse.connection.prepare(
                "SELECT \(list) FROM \(SQLiteIdentifier.quote(tableName)) WHERE \(Ledger.ingestIDColumn) = ? ORDER BY rowid"
            ),
            (try? statement.bind(entry.id, at: 1)) != nil
        else { return "cannot read the warehouse rows" }
        var position = 0
        while (try? statement.step()) == true, position < rows.count {
            for (index, column) in columns.enumerated() {
                let scolValue = ColumnarValue.at(column, row: rows[position])
                let stored = statement.value(at: index)
                if !ColumnarValue.same(scolValue, stored) {
                    return "first at row \(rows[position] + 1) of the delivery, column '\(names[index])': "
                        + "warehouse \(stored.displayText), .scol \(scolValue.displayText)"
                }
            }
            position += 1
        }
        return "the rows are the same but not in the same order"
    }
}
