import Foundation
import SluiceParquet

/// How ``LakeExporter`` lays out the lake.
public struct LakeExportOptions: Sendable {
    /// The partition column: a data column of the schema, or `nil` for `loaded_date` (the
    /// delivery's load date from the ledger).
    public var partitionBy: String?
    /// Row group and page sizes, zstd level, durability of each Parquet file.
    public var parquet: ParquetWriterOptions

    /// Creates options.
    public init(partitionBy: String? = nil, parquet: ParquetWriterOptions = .init()) {
        self.partitionBy = partitionBy
        self.parquet = parquet
    }
}

/// One data file an export wrote, rewrote or removed.
public struct LakeFileChange: Sendable, Hashable, Encodable {
    /// What happened to the file.
    public enum Action: String, Sendable, Hashable, Encodable {
        /// A new file with newly loaded deliveries.
        case written
        /// An existing file written again without the deliveries forgotten since.
        case rewritten
        /// A file all of whose deliveries were forgotten.
        case removed
    }

    /// What happened.
    public var action: Action
    /// The file, relative to the export folder.
    public var path: String
    /// Its partition value (`nil` for null).
    public var partition: String?
    /// The deliveries (ledger ids) it holds now (empty once removed).
    public var ledgerIDs: [Int64]
    /// Rows it holds now.
    public var rows: Int
    /// Its size now.
    public var bytes: Int

    private enum CodingKeys: String, CodingKey {
        case action, path, partition, ledgerIDs = "ledger_ids", rows, bytes
    }
}

/// What one export did, as `sluice export --json` prints it.
public struct LakeExportSummary: Sendable, Hashable, Encodable {
    /// The totals of one export.
    public struct Totals: Sendable, Hashable, Encodable {
        /// New files.
        public var filesWritten = 0
        /// Files written again without forgotten deliveries.
        public var filesRewritten = 0
        /// Files removed (every delivery in them forgotten).
        public var filesRemoved = 0
        /// Rows in the files written or rewritten.
        public var rowsWritten = 0
        /// Bytes of the files written or rewritten.
        public var bytesWritten = 0
        /// Deliveries exported for the first time.
        public var deliveriesExported = 0
        /// Deliveries taken out of the lake because they were forgotten.
        public var deliveriesRetracted = 0
        /// Deliveries read from the warehouse because their `.scol` file was missing or did not
        /// match the ledger (the others are read from their `.scol` files).
        public var deliveriesFromWarehouse = 0
        /// Data files in the lake afterwards.
        public var filesInLake = 0
        /// Rows in the lake afterwards (equals the warehouse's rows).
        public var rowsInLake = 0

        private enum CodingKeys: String, CodingKey {
            case filesWritten = "files_written", filesRewritten = "files_rewritten", filesRemoved = "files_removed"
            case rowsWritten = "rows_written", bytesWritten = "bytes_written", deliveriesExported =
                "deliveries_exported"
            case deliveriesRetracted = "deliveries_retracted", deliveriesFromWarehouse = "deliveries_from_warehouse"
            case filesInLake = "files_in_lake", rowsInLake = "rows_in_lake"
        }
    }

    /// The export folder.
    public var directory: String
    /// The partition column.
    public var partitionBy: String
    /// Every file written, rewritten or removed, in that order.
    public var files: [LakeFileChange] = []
    /// The counts.
    public var totals = Totals()

    private enum CodingKeys: String, CodingKey {
        case directory, partitionBy = "partition_by", files, totals
    }
}
