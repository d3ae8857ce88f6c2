/// Upper bounds a reader enforces on every size and count it reads from a file, before it
/// allocates anything for them.
///
/// The defaults accept every file ``ColumnarWriter`` can write with default options and refuse
/// absurd values from damaged or hostile files.
public struct ColumnarLimits: Sendable, Hashable {
    /// The largest file accepted, in bytes (default 4 GiB).
    public var maxFileBytes: Int = 4 << 30
    /// The largest footer accepted, in bytes (default 16 MiB).
    public var maxFooterBytes: Int = 16 << 20
    /// The most columns accepted (default 10,000).
    public var maxColumns: Int = 10_000
    /// The most row groups accepted (default 2^20).
    public var maxRowGroups: Int = 1 << 20
    /// The most rows in one row group (default 2^20).
    public var maxRowsPerGroup: Int = 1 << 20
    /// The most rows in the file (default 2^31). ``ColumnarReader/readColumn(_:)`` allocates
    /// one value per row, so lower this when reading untrusted files whole; a scan allocates
    /// only one row group at a time.
    public var maxRows: Int = 1 << 31
    /// The largest decoded chunk, in bytes (default 256 MiB).
    public var maxRawChunkBytes: Int = 256 << 20
    /// The longest string value or name, in bytes (default 16 MiB).
    public var maxStringBytes: Int = 16 << 20
    /// The most metadata entries (default 10,000).
    public var maxMetadataEntries: Int = 10_000
    /// Whether to verify the footer's and each chunk's checksum (default true). Turn off only
    /// for trusted files, or to fuzz the decoders behind the checksums.
    public var verifyChecksums: Bool = true

    /// The default limits.
    public static let `default` = ColumnarLimits()

    /// Creates the default limits; change fields to taste.
    public init() {}
}

/// Choices for ``ColumnarWriter``.
public struct ColumnarWriterOptions: Sendable, Hashable {
    /// The most rows per row group (default 65,536; 1…2^20). A row group is the writer's memory
    /// bound, the unit of predicate skipping, and the reader's allocation bound per chunk.
    public var rowGroupRows: Int
    /// The zstd level for chunks (default 1: on bit-packed data higher levels gain little and
    /// cost several times the write time). 0 or less turns compression off.
    public var zstdLevel: Int
    /// The fraction a zstd frame must save, besides at least 16 bytes, to be kept (default 0.03).
    public var minimumCompressionGain: Double
    /// Whether to fsync the file and its directory before and after the rename (default true).
    public var durable: Bool

    /// Creates options.
    public init(
        rowGroupRows: Int = 65_536, zstdLevel: Int = 1, minimumCompressionGain: Double = 0.03, durable: Bool = true
    ) {
        self.rowGroupRows = rowGroupRows
        self.zstdLevel = zstdLevel
        self.minimumCompressionGain = minimumCompressionGain
        self.durable = durable
    }
}
