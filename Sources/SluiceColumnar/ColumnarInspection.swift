/// A description of a `.scol` file for `sluice inspect`: schema, row groups, and per chunk its
/// encoding, sizes, statistics and checksum status. Encodes to JSON with `JSONEncoder`.
public struct ColumnarInspection: Sendable, Hashable, Codable {
    /// Whether a chunk's checksum was checked, and the result.
    public enum ChecksumStatus: String, Sendable, Hashable, Codable {
        /// Not checked (inspection without verification reads only the footer).
        case unverified
        /// The stored bytes match the checksum.
        case ok
        /// The stored bytes do not match the checksum.
        case mismatch
        /// The chunk's bytes could not be read.
        case unreadable
    }

    /// One chunk of one row group.
    public struct Chunk: Sendable, Hashable, Codable {
        /// The column's name.
        public var column: String
        /// The value encoding.
        public var encoding: ColumnarEncoding
        /// Whether the chunk is a zstd frame.
        public var compressed: Bool
        /// The chunk's first byte in the file.
        public var offset: Int
        /// The encoded size before compression.
        public var rawBytes: Int
        /// The size in the file.
        public var storedBytes: Int
        /// The stored checksum (low 32 bits of XXH64), as 8 hex digits.
        public var checksum: String
        /// Whether the checksum was verified.
        public var checksumStatus: ChecksumStatus
        /// The chunk's statistics.
        public var statistics: ColumnStatistics
    }

    /// One row group.
    public struct RowGroup: Sendable, Hashable, Codable {
        /// The index of the first row.
        public var firstRow: Int
        /// The number of rows.
        public var rows: Int
        /// One entry per column, in schema order.
        public var chunks: [Chunk]
    }

    /// The file's path.
    public var path: String
    /// The format version, e.g. `1.0`.
    public var version: String
    /// The file's size in bytes.
    public var fileBytes: Int
    /// The footer's size in bytes.
    public var footerBytes: Int
    /// The number of rows.
    public var rows: Int
    /// The columns.
    public var schema: [ColumnarField]
    /// The key/value metadata.
    public var metadata: [String: String]
    /// The row groups.
    public var rowGroups: [RowGroup]
}

extension ColumnarReader {
    /// Describes the file from its footer; with `verifyingChecksums`, also reads every chunk
    /// and records whether its checksum matches (reading errors are recorded, not thrown).
    public func inspect(verifyingChecksums: Bool = false) -> ColumnarInspection {
        let groups = rowGroups.enumerated().map { groupIndex, group in
            ColumnarInspection.RowGroup(
                firstRow: group.firstRow, rows: group.rowCount,
                chunks: group.columns.enumerated().map { columnIndex, chunk in
                    var status = ColumnarInspection.ChecksumStatus.unverified
                    if verifyingChecksums {
                        status = checksumStatus(group: groupIndex, column: columnIndex)
                    }
                    let hex = String(chunk.checksum, radix: 16)
                    return ColumnarInspection.Chunk(
                        column: schema.fields[columnIndex].name, encoding: chunk.encoding,
                        compressed: chunk.isCompressed,
                        offset: chunk.offset, rawBytes: chunk.rawSize, storedBytes: chunk.storedSize,
                        checksum: String(repeating: "0", count: 8 - hex.count) + hex, checksumStatus: status,
                        statistics: chunk.statistics
                    )
                }
            )
        }
        return ColumnarInspection(
            path: path, version: "\(FileLayout.majorVersion).\(minorVersion)", fileBytes: fileSize,
            footerBytes: footerSize,
            rows: rowCount, schema: schema.fields, metadata: metadata, rowGroups: groups
        )
    }

    private func checksumStatus(group: Int, column: Int) -> ColumnarInspection.ChecksumStatus {
        do {
            let bytes = try storedBytes(group: group, column: column)
            let ok = UInt32(truncatingIfNeeded: XXH64.hash(bytes)) == rowGroups[group].columns[column].checksum
            return ok ? .ok : .mismatch
        } catch {
            return error.code == .checksumMismatch ? .mismatch : .unreadable
        }
    }

    /// Verifies every chunk's checksum and decodes every chunk in full, throwing the first
    /// problem (the footer was verified on open).
    ///
    /// - Throws: ``ColumnarError`` naming the damaged chunk and its byte offset.
    public func verify() throws(ColumnarError) {
        for group in rowGroups.indices {
            for column in schema.fields.indices { _ = try readChunk(rowGroup: group, column: column) }
        }
    }
}
