import Foundation
import Logging
import SluiceColumnar
import SluiceParquet
import SluiceWarehouse

/// Exports a workspace's loaded deliveries as a Hive-style Parquet lake that Spark, Trino,
/// DuckDB and pyarrow read: `DIR/loaded_date=YYYY-MM-DD/part-RUN-INDEX.parquet` (or
/// `DIR/COLUMN=value/…`), plus `DIR/_sluice_manifest.json`.
///
/// - **Incremental**: a run writes one new file per partition holding the deliveries loaded
///   since the last run (one row group per ~1 M rows); files already written are left alone.
/// - **Exact**: the lake holds exactly the warehouse's rows. A delivery forgotten since the last
///   run is taken out by rewriting each file that holds it without it (under the same name,
///   replaced atomically), or removing the file when nothing is left in it; readers never need
///   to apply tombstones. Every file carries `_ingest_id`, the ledger entry of each row.
/// - **Crash-safe**: files are written under hidden names (`.part-….parquet.pending`, which
///   readers skip), fsynced, recorded in the manifest, and only then renamed into view; a run
///   killed at any point leaves no partial visible file, and the next run finds what the
///   manifest records but the folder lacks and exports it again.
///
/// ```swift
/// let summary = try LakeExporter(workspace: workspace, directory: URL(fileURLWithPath: "lake"), logger: logger).export()
/// print(summary.totals.rowsWritten)
/// ```
public struct LakeExporter {
    /// The workspace exported.
    public let workspace: Workspace
    /// The export folder (created if missing).
    public let directory: URL
    /// Partitioning and Parquet options.
    public let options: LakeExportOptions
    private let logger: Logger

    /// The lock file that keeps two exports out of one folder.
    static let lockFileName = "_sluice_export.lock"

    /// Creates an exporter; nothing is read or written until ``export()``.
    public init(workspace: Workspace, directory: URL, options: LakeExportOptions = .init(), logger: Logger) {
        self.workspace = workspace
        self.directory = directory.standardizedFileURL
        self.options = options
        self.logger = logger
    }

    /// Brings the lake up to date with the warehouse: retracts forgotten deliveries, then writes
    /// the deliveries loaded since the last run.
    ///
    /// - Returns: The files written, rewritten and removed, with their rows and bytes.
    /// - Throws: ``PipelineError``: `configuration` for an unknown partition column or a folder
    ///   exported from another table, partitioning or schema; `io` when another export holds
    ///   the folder or a file cannot be written; `warehouse` when a delivery's rows cannot be
    ///   read. `ParquetError` or `SQLiteError` from the layers below.
    public func export() throws -> LakeExportSummary {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(code: .io, message: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        let lock = try ExportLock(path: directory.appendingPathComponent(Self.lockFileName).path)
        defer { withExtendedLifetime(lock) {} }
        try removeLeftovers()

        let warehousePath = workspace.layout.warehouse.path
        guard FileManager.default.fileExists(atPath: warehousePath) else {
            throw PipelineError(
                code: .configuration, message: "no warehouse at \(warehousePath) yet: nothing was loaded",
                path: warehousePath, hint: "load data first")
        }
        let warehouse = try Warehouse(path: warehousePath, readOnly: true)
        let columnarSchema = ColumnarExport.schema(for: workspace.schema)
        let partitioning = try partitioning(for: columnarSchema)
        let fileSchema = Self.fileSchema(columnarSchema, partitioning: partitioning)
        let columns = fileSchema.fields.map {
            LakeManifest.Column(name: $0.name, type: $0.type.rawValue, nullable: $0.isNullable)
        }
        var manifest =
            try LakeManifest.load(from: directory)
            ?? LakeManifest(table: workspace.tableName, partitionBy: partitioning.name, columns: columns)
        guard manifest.table == workspace.tableName, manifest.partitionBy == partitioning.name,
            manifest.columns == columns
        else {
            throw PipelineError(
                code: .configuration,
                message:
                    "\(directory.path) holds an export of table '\(manifest.table)' partitioned by '\(manifest.partitionBy)' with other columns; export to a new folder"
            )
        }
        let deliveries = try Ledger.exportableDeliveries(table: workspace.tableName, in: warehouse)
        // Deliveries that hold fewer rows than when exported (replaced under the primary key).
        let changed = Set(
            deliveries.filter { delivery in
                manifest.deliveryRows?[String(delivery.id)].map { $0 != delivery.rowsLoaded } ?? false
            }.map(\.id))
        manifest.deliveryRows = Dictionary(
            deliveries.map { (String($0.id), $0.rowsLoaded) }, uniquingKeysWith: { first, _ in first })
        var run = LakeExportRun(
            directory: directory, manifest: manifest, partitioning: partitioning, fileSchema: fileSchema,
            options: options.parquet,
            rows: DeliveryRows(
                root: workspace.layout.root, columnarSchema: columnarSchema, table: workspace.tableName,
                warehouse: warehouse))
        try run.retract(keeping: deliveries, shrunk: changed)
        try run.write(deliveries.filter { !run.manifest.exportedIDs.contains($0.id) })
        manifest = run.manifest
        var summary = run.summary
        summary.totals.filesInLake = manifest.files.count
        summary.totals.rowsInLake = manifest.files.reduce(0) { $0 + $1.rows }
        logger.notice(
            "export to \(directory.path): \(summary.totals.filesWritten) file(s) written, \(summary.totals.filesRewritten) rewritten, \(summary.totals.filesRemoved) removed; \(summary.totals.rowsWritten) rows, \(summary.totals.bytesWritten) bytes; the lake holds \(summary.totals.rowsInLake) rows"
        )
        return summary
    }

    /// The partitioning the options ask for.
    private func partitioning(for schema: ColumnarSchema) throws -> LakePartitioning {
        guard let name = options.partitionBy, name != LakePartitioning.loadedDateName else { return .loadedDate }
        guard let index = schema.index(of: name) else {
            throw PipelineError(
                code: .configuration,
                message:
                    "--partition-by \(name): no such column; give one of \(schema.fields.map(\.name).joined(separator: ", ")) or \(LakePartitioning.loadedDateName)"
            )
        }
        return .column(name: name, index: index)
    }

    /// The data files' schema: the table's columns (less a partition column) and `_ingest_id`.
    static func fileSchema(_ schema: ColumnarSchema, partitioning: LakePartitioning) -> ParquetSchema {
        var fields = ColumnarParquet.schema(for: schema).fields
        if case .column(_, let index) = partitioning { fields.remove(at: index) }
        fields.append(ParquetField(name: Ledger.ingestIDColumn, type: .int64))
        return ParquetSchema(fields: fields)
    }

    /// Removes what an interrupted run left: hidden `.tmp` and `.pending` files in the folder
    /// and its partition folders.
    private func removeLeftovers() throws {
        let fileManager = FileManager.default
        var folders = [directory]
        for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] where name.contains("=") {
            folders.append(directory.appendingPathComponent(name))
        }
        for folder in folders {
            for name in (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            where name.hasPrefix(".") && (name.hasSuffix(".tmp") || name.hasSuffix(".pending")) {
                try LakeFileSystem.remove(folder.appendingPathComponent(name).path)
            }
        }
    }
}
