import Foundation
import SluiceWarehouse

/// A loaded delivery as the lake export sees it.
struct ExportableDelivery: Sendable, Hashable {
    /// The ledger id, also every row's `_ingest_id`.
    var id: Int64
    /// When it was loaded (ISO 8601, UTC): `YYYY-MM-DDTHH:MM:SS.sssZ`.
    var ingestedAt: String
    /// Its `.scol` file as the ledger records it (relative to the workspace or absolute).
    var columnar: String?
    /// Rows it put in the warehouse.
    var rowsLoaded: Int

    /// The load date, `YYYY-MM-DD` (the default partition).
    var loadedDate: String { String(ingestedAt.prefix(10)) }
}

extension Ledger {
    /// The deliveries currently loaded into `table` with at least one row, by ledger id: what
    /// the lake should hold. Everything else the lake holds (forgotten deliveries) must go.
    /// A delivery's ``ExportableDelivery/rowsLoaded`` are the rows it still holds: those that
    /// later deliveries replaced under the primary key are not counted (nor exported).
    static func exportableDeliveries(table: String, in warehouse: Warehouse) throws -> [ExportableDelivery] {
        let statement = try warehouse.connection.prepare(
            """
            SELECT id, ingested_at, columnar, rows_loaded FROM \(tableName)
            WHERE status = 'loaded' AND target_table = ? AND rows_loaded > 0
            ORDER BY id
            """)
        try statement.bind(table, at: 1)
        var deliveries: [ExportableDelivery] = []
        let replaced = try Ledger(warehouse: warehouse, root: URL(fileURLWithPath: "/")).replacedCounts()
        while try statement.step() {
            let columnar: String? = if case .text(let path) = statement.value(at: 2) { path } else { nil }
            deliveries.append(
                ExportableDelivery(
                    id: statement.int64(at: 0), ingestedAt: statement.text(at: 1), columnar: columnar,
                    rowsLoaded: Int(statement.int64(at: 3)) - (replaced[statement.int64(at: 0)] ?? 0)))
        }
        return deliveries.filter { $0.rowsLoaded > 0 }
    }
}
