import Foundation
import SluiceColumnar
import SluiceParquet
import SluiceSchema
import SluiceWarehouse

/// Reads one loaded delivery's rows for the lake: from its `.scol` file when that matches the
/// ledger (same schema, as many rows as loaded), else from the warehouse by `_ingest_id`. Both
/// hold exactly the rows loaded, in load order.
struct DeliveryRows {
    /// The workspace root, against which relative ledger paths resolve.
    let root: URL
    /// The columnar schema the workspace writes (its `.scol` files must have it).
    let columnarSchema: ColumnarSchema
    /// The warehouse table and its data columns, for the fallback.
    let table: String
    let warehouse: Warehouse

    /// Where a path from the ledger points: relative paths are relative to the workspace root.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : root.appendingPathComponent(path).path
    }

    /// Where a delivery's rows were read from.
    enum Source {
        case columnar, warehouse
    }

    /// The delivery's rows as batches of data columns in schema order (one batch per `.scol`
    /// row group, or one from the warehouse), and where they came from.
    ///
    /// - Throws: ``PipelineError`` when neither source holds the ledger's row count.
    func batches(of delivery: ExportableDelivery) throws -> (batches: [[ParquetColumn]], source: Source) {
        if let columnar = delivery.columnar,
            let batches = try fromColumnar(resolve(columnar), rows: delivery.rowsLoaded)
        {
            return (batches, .columnar)
        }
        let batch = try fromWarehouse(delivery.id)
        let rows = batch.first?.count ?? 0
        guard rows == delivery.rowsLoaded else {
            throw PipelineError(
                code: .warehouse,
                message:
                    "ledger entry \(delivery.id) says \(delivery.rowsLoaded) rows were loaded, but the warehouse holds \(rows) and its .scol file does not match; verify the workspace"
            )
        }
        return ([batch], .warehouse)
    }

    /// The rows of a `.scol` file, or `nil` when it is missing, unreadable, of another schema
    /// or of another row count.
    private func fromColumnar(_ path: String, rows: Int) throws -> [[ParquetColumn]]? {
        guard FileManager.default.fileExists(atPath: path),
            let reader = try? ColumnarReader(path: path),
            reader.schema == columnarSchema, reader.rowCount == rows
        else { return nil }
        var batches: [[ParquetColumn]] = []
        for group in reader.rowGroups.indices {
            var batch: [ParquetColumn] = []
            for column in columnarSchema.fields.indices {
                guard let chunk = try? reader.readChunkKeepingCodes(rowGroup: group, column: column) else { return nil }
                batch.append(ColumnarParquet.column(chunk))
            }
            batches.append(batch)
        }
        return batches
    }

    /// The rows of ledger entry `id` in the warehouse, in insertion order.
    private func fromWarehouse(_ id: Int64) throws -> [ParquetColumn] {
        let names = columnarSchema.fields.map { SQLiteIdentifier.quote($0.name) }.joined(separator: ", ")
        let statement = try warehouse.connection.prepare(
            "SELECT \(names) FROM \(SQLiteIdentifier.quote(table)) WHERE \(SQLiteIdentifier.quote(Ledger.ingestIDColumn)) = ? ORDER BY rowid"
        )
        try statement.bind(id, at: 1)
        let fields = columnarSchema.fields
        var integers = [[Int64]](repeating: [], count: fields.count)
        var doubles = [[Double]](repeating: [], count: fields.count)
        var texts = [[String]](repeating: [], count: fields.count)
        var validity = [[Bool]](repeating: [], count: fields.count)
        while try statement.step() {
            for (index, field) in fields.enumerated() {
                let value = statement.value(at: index)
                validity[index].append(value != .null)
                switch field.type {
                case .int64 where field.logicalType == .date || field.logicalType == .timestamp:
                    // Stored as ISO text in the warehouse.
                    let type: ColumnType = field.logicalType == .date ? .date : .timestamp
                    let parsed = value == .null ? 0 : CalendarValue.value(iso: statement.text(at: index), type: type)
                    guard let parsed else {
                        throw PipelineError(
                            code: .warehouse,
                            message:
                                "ledger entry \(id): column '\(field.name)' holds '\(statement.text(at: index).prefix(40))', which is not an ISO 8601 \(type.rawValue)"
                        )
                    }
                    integers[index].append(parsed)
                case .int64: integers[index].append(value == .null ? 0 : statement.int64(at: index))
                case .double: doubles[index].append(value == .null ? 0 : statement.double(at: index))
                case .string: texts[index].append(value == .null ? "" : statement.text(at: index))
                }
            }
        }
        return fields.enumerated().map { index, field in
            let values: ParquetValues =
                switch field.type {
                case .int64: .int64(integers[index])
                case .double: .double(doubles[index])
                case .string: .string(texts[index])
                }
            return ParquetColumn(values: values, validity: validity[index].contains(false) ? validity[index] : nil)
        }
    }
}
