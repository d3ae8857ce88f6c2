import Foundation
import SluiceParquet

/// One export's work on the folder: retracting forgotten deliveries, then writing new ones,
/// keeping the manifest and the summary up to date.
struct LakeExportRun {
    let directory: URL
    var manifest: LakeManifest
    let partitioning: LakePartitioning
    let fileSchema: ParquetSchema
    let options: ParquetWriterOptions
    let rows: DeliveryRows
    private(set) var summary: LakeExportSummary

    init(
        directory: URL, manifest: LakeManifest, partitioning: LakePartitioning, fileSchema: ParquetSchema,
        options: ParquetWriterOptions, rows: DeliveryRows
    ) {
        self.directory = directory
        self.manifest = manifest
        self.partitioning = partitioning
        self.fileSchema = fileSchema
        self.options = options
        self.rows = rows
        summary = LakeExportSummary(directory: directory.path, partitionBy: partitioning.name)
    }

    /// A data file being written under its hidden pending name.
    private final class PendingFile {
        let partition: String?
        let relativePath: String
        let pendingPath: String
        let writer: ParquetWriter
        var ledgerIDs: [Int64] = []
        var rows = 0

        init(
            partition: String?, relativePath: String, directory: URL, schema: ParquetSchema,
            options: ParquetWriterOptions
        ) throws {
            self.partition = partition
            self.relativePath = relativePath
            let (folder, name) = LakeFileSystem.split(directory.appendingPathComponent(relativePath).path)
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw PipelineError(code: .io, message: "cannot create \(folder): \(error.localizedDescription)")
            }
            pendingPath = "\(folder)/.\(name).pending"
            writer = try ParquetWriter(path: pendingPath, schema: schema, options: options)
        }
    }

    // MARK: Retracting

    /// Rewrites or removes every file holding a delivery that is no longer loaded, and drops
    /// the manifest's entries for files that are gone (an interrupted run's, or deleted by hand).
    ///
    /// The deliveries of a vanished file are exported again, whole: with a column partitioning a
    /// delivery spans several files, so its rows are also taken out of the files that remain
    /// (rewritten as for a forgotten delivery) before ``write(_:)`` writes it anew.
    /// Files holding a delivery in `shrunk` (rows replaced since) are rewritten with its current rows.
    mutating func retract(keeping deliveries: [ExportableDelivery], shrunk: Set<Int64> = []) throws {
        let loaded = Dictionary(deliveries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var vanished = Set<Int64>()
        manifest.files.removeAll { file in
            let gone = !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file.path).path)
            if gone { vanished.formUnion(file.ledgerIDs) }
            return gone
        }
        var changed = !vanished.isEmpty
        for (index, file) in manifest.files.enumerated().reversed() {
            let keep = file.ledgerIDs.filter { loaded[$0] != nil && !vanished.contains($0) }
            guard keep.count < file.ledgerIDs.count || file.ledgerIDs.contains(where: shrunk.contains) else { continue }
            changed = true
            summary.totals.deliveriesRetracted += file.ledgerIDs.filter { loaded[$0] == nil }.count
            let path = directory.appendingPathComponent(file.path).path
            if keep.isEmpty {
                try LakeFileSystem.remove(path)
                let folder = LakeFileSystem.split(path).directory
                LakeFileSystem.syncDirectory(folder)
                if (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true,
                    folder != directory.path
                {
                    try? FileManager.default.removeItem(atPath: folder)
                }
                manifest.files.remove(at: index)
                summary.files.append(
                    LakeFileChange(
                        action: .removed, path: file.path, partition: file.partition, ledgerIDs: [], rows: 0, bytes: 0))
                summary.totals.filesRemoved += 1
                continue
            }
            // The same name, replaced atomically: a reader sees the old file or the new one.
            let pending = try PendingFile(
                partition: file.partition, relativePath: file.path, directory: directory, schema: fileSchema,
                options: options)
            for id in keep {
                guard let delivery = loaded[id] else { continue }
                try append(delivery, to: pending, onlyPartition: file.partition)
            }
            let written = try pending.writer.finish()
            try LakeFileSystem.rename(pending.pendingPath, to: path)
            LakeFileSystem.syncDirectory(LakeFileSystem.split(path).directory)
            manifest.files[index] = LakeManifest.File(
                path: file.path, partition: file.partition, ledgerIDs: pending.ledgerIDs,
                rows: pending.rows, bytes: written.bytes)
            summary.files.append(
                LakeFileChange(
                    action: .rewritten, path: file.path, partition: file.partition,
                    ledgerIDs: pending.ledgerIDs, rows: pending.rows, bytes: written.bytes))
            summary.totals.filesRewritten += 1
            summary.totals.rowsWritten += pending.rows
            summary.totals.bytesWritten += written.bytes
        }
        if changed { try manifest.save(to: directory) }
    }

    // MARK: Writing new deliveries

    /// Writes `deliveries` (not yet in the lake) as one new file per partition, records them in
    /// the manifest, and only then renames the files into view.
    mutating func write(_ deliveries: [ExportableDelivery]) throws {
        guard !deliveries.isEmpty else { return }
        let run = manifest.nextRun
        manifest.nextRun += 1
        var files: [PendingFile] = []
        var byPartition: [String?: PendingFile] = [:]
        for delivery in deliveries {
            let (batches, source) = try rows.batches(of: delivery)
            if source == .warehouse { summary.totals.deliveriesFromWarehouse += 1 }
            for batch in batches {
                for (partition, selection) in split(batch, delivery: delivery) {
                    let file: PendingFile
                    if let existing = byPartition[partition] {
                        file = existing
                    } else {
                        guard files.count < Self.maxPartitionsPerRun else {
                            throw PipelineError(
                                code: .configuration,
                                message:
                                    "--partition-by \(partitioning.name) makes more than \(Self.maxPartitionsPerRun) partitions; partition by a column with fewer values"
                            )
                        }
                        let name = String(format: "part-%06d-%04d.parquet", run, files.count)
                        file = try PendingFile(
                            partition: partition, relativePath: "\(partitioning.folder(for: partition))/\(name)",
                            directory: directory, schema: fileSchema, options: options)
                        byPartition[partition] = file
                        files.append(file)
                    }
                    try append(batch, rows: selection, of: delivery, to: file)
                }
            }
        }
        var written: [(PendingFile, Int)] = []
        for file in files {
            written.append((file, try file.writer.finish().bytes))
        }
        for (file, bytes) in written {
            manifest.files.append(
                LakeManifest.File(
                    path: file.relativePath, partition: file.partition, ledgerIDs: file.ledgerIDs,
                    rows: file.rows, bytes: bytes))
        }
        try manifest.save(to: directory)
        var folders = Set<String>()
        for (file, bytes) in written {
            let path = directory.appendingPathComponent(file.relativePath).path
            try LakeFileSystem.rename(file.pendingPath, to: path)
            folders.insert(LakeFileSystem.split(path).directory)
            summary.files.append(
                LakeFileChange(
                    action: .written, path: file.relativePath, partition: file.partition,
                    ledgerIDs: file.ledgerIDs, rows: file.rows, bytes: bytes))
            summary.totals.filesWritten += 1
            summary.totals.rowsWritten += file.rows
            summary.totals.bytesWritten += bytes
        }
        for folder in folders { LakeFileSystem.syncDirectory(folder) }
        summary.totals.deliveriesExported += deliveries.count
    }

    /// Most partitions one run may create (each holds an open file and a row group in memory).
    static let maxPartitionsPerRun = 1_024

    // MARK: Rows

    /// The partition of each row of a delivery's batch: all rows in the load date's partition,
    /// or the rows of each value of the partition column (`nil` rows: the whole batch).
    private func split(_ batch: [ParquetColumn], delivery: ExportableDelivery) -> [(partition: String?, rows: [Int]?)] {
        guard case .column(_, let index) = partitioning else { return [(delivery.loadedDate, nil)] }
        var order: [String?] = []
        var groups: [String?: [Int]] = [:]
        for (row, value) in LakePartitioning.values(of: batch[index]).enumerated() {
            if groups[value] == nil { order.append(value) }
            groups[value, default: []].append(row)
        }
        if order.count == 1 { return [(order[0], nil)] }
        return order.map { ($0, groups[$0]) }
    }

    /// Appends `delivery`'s rows in `partition` to `file`.
    private mutating func append(_ delivery: ExportableDelivery, to file: PendingFile, onlyPartition partition: String?)
        throws
    {
        let (batches, source) = try rows.batches(of: delivery)
        if source == .warehouse { summary.totals.deliveriesFromWarehouse += 1 }
        for batch in batches {
            for (value, selection) in split(batch, delivery: delivery) where value == partition {
                try append(batch, rows: selection, of: delivery, to: file)
            }
        }
    }

    /// Appends the selected rows of a batch (all when `selection` is nil) to `file`: the data
    /// columns less the partition column, plus `_ingest_id`.
    private func append(
        _ batch: [ParquetColumn], rows selection: [Int]?, of delivery: ExportableDelivery, to file: PendingFile
    ) throws {
        var columns = batch
        if case .column(_, let index) = partitioning { columns.remove(at: index) }
        if let selection { columns = columns.map { ColumnarParquet.gather($0, rows: selection) } }
        let count = selection?.count ?? batch.first?.count ?? 0
        guard count > 0 else { return }
        columns.append(ParquetColumn(values: .int64(Array(repeating: delivery.id, count: count))))
        try file.writer.append(columns)
        if file.ledgerIDs.last != delivery.id { file.ledgerIDs.append(delivery.id) }
        file.rows += count
    }
}
