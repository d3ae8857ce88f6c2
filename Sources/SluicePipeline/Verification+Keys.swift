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
            let fields = reader.schema.fields
            let rows = try remainingRows(columns, fields: fields, rowCount: reader.rowCount, replacedKeys: keys)
            var digester = ContentDigest.RowDigester(columnCount: columns.count)
            for row in rows {
                // As the warehouse holds them: dates and timestamps as ISO text.
                digester.append(
                    row: columns.indices.map {
                        ColumnarValue.at(columns[$0], row: row, logicalType: fields[$0].logicalType)
                    })
            }
            if let digest = warehouse?.digest, digest != digester.finish() {
                finding.problem =
                    "the warehouse rows differ from the rows of its .scol file that were not replaced: "
                    + (firstDifference(entry, columns: columns, rows: rows, fields: reader.schema.fields).difference
                        ?? "the rows are the same but not in the same order")
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
    private func remainingRows(
        _ columns: [ColumnarColumn], fields: [ColumnarField], rowCount: Int, replacedKeys: Set<String>
    ) throws -> [Int] {
        guard let key = KeyColumns(schema), key.positions.allSatisfy({ $0 < columns.count }) else {
            throw PipelineError(
                code: .configuration, message: "rows were replaced under a primary key, but the schema has none now")
        }
        return (0..<rowCount).filter { row in
            !replacedKeys.contains(
                KeyText.of(
                    key.positions.map { ColumnarValue.at(columns[$0], row: row, logicalType: fields[$0].logicalType) }))
        }
    }
}
