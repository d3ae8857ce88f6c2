import Foundation

/// `_sluice_manifest.json` in an export folder: which ledger entries are in which Parquet file.
///
/// It is what makes the export incremental and exact: a delivery in some file's `ledger_ids` is
/// not exported again, and a file holding a delivery that is no longer loaded is rewritten
/// without it (or removed). Readers ignore it (its name starts with `_`).
///
/// ```json
/// {"format_version": 1, "table": "student_data", "partition_by": "loaded_date", "next_run": 3,
///  "columns": [{"name": "school", "type": "string", "nullable": false}, …],
///  "files": [{"path": "loaded_date=2026-05-01/part-000001-0000.parquet", "partition": "2026-05-01",
///             "ledger_ids": [1, 2], "rows": 790, "bytes": 21345}]}
/// ```
struct LakeManifest: Codable, Sendable, Equatable {
    /// The manifest's file name in the export folder.
    static let fileName = "_sluice_manifest.json"
    /// The version this code writes and reads.
    static let currentVersion = 1

    /// One column of the lake's data files.
    struct Column: Codable, Sendable, Hashable {
        var name: String
        var type: String
        var nullable: Bool
    }

    /// One data file.
    struct File: Codable, Sendable, Equatable {
        /// Relative to the export folder: `COLUMN=value/part-RUN-INDEX.parquet`.
        var path: String
        /// The partition value (unescaped); `nil` stands for a null value.
        var partition: String?
        /// The deliveries whose rows (in this partition) the file holds, ascending.
        var ledgerIDs: [Int64]
        /// Rows in the file.
        var rows: Int
        /// The file's size.
        var bytes: Int

        private enum CodingKeys: String, CodingKey {
            case path, partition, ledgerIDs = "ledger_ids", rows, bytes
        }
    }

    var formatVersion = currentVersion
    /// The warehouse table exported.
    var table: String
    /// The partition column (`loaded_date` by default).
    var partitionBy: String
    /// The data files' columns (the partition column excluded).
    var columns: [Column]
    /// The number the next run's file names start with.
    var nextRun = 1
    /// The data files, in the order written.
    var files: [File] = []
    /// Rows per exported delivery (by ledger id) when last exported: a delivery that holds
    /// fewer now (rows replaced under the primary key since) has its files written again.
    /// Absent from manifests written before keys.
    var deliveryRows: [String: Int]?

    private enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", table, partitionBy = "partition_by", columns, nextRun = "next_run",
            files,
            deliveryRows = "delivery_rows"
    }

    /// Every ledger id some file holds.
    var exportedIDs: Set<Int64> { Set(files.flatMap(\.ledgerIDs)) }

    /// Reads the manifest in `directory`, or `nil` if there is none.
    ///
    /// - Throws: ``PipelineError`` `configuration` when it cannot be read or is from a newer version.
    static func load(from directory: URL) throws -> LakeManifest? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let manifest: LakeManifest
        do {
            manifest = try JSONDecoder().decode(LakeManifest.self, from: Data(contentsOf: url))
        } catch {
            throw PipelineError(
                code: .configuration,
                message: "\(url.path): not a readable export manifest (\(error)); export to a new folder")
        }
        guard manifest.formatVersion == currentVersion else {
            throw PipelineError(
                code: .configuration,
                message:
                    "\(url.path): manifest format \(manifest.formatVersion) is not supported (this sluice reads \(currentVersion))"
            )
        }
        return manifest
    }

    /// Writes the manifest to `directory` durably: a temporary file, fsynced, renamed over the old one.
    func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try LakeFileSystem.writeDurably(
            [UInt8](data) + [0x0A], to: directory.appendingPathComponent(Self.fileName).path)
    }
}
