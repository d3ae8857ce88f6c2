import Foundation
import SluiceWarehouse

/// What ``Ingestor/forget(_:)`` removed.
public struct ForgottenDelivery: Sendable, Hashable, Encodable {
    /// The ledger entry, now marked `forgotten`.
    public var ledgerID: Int64
    /// The file name as delivered.
    public var source: String
    /// Its SHA-256.
    public var sha256: String
    /// Warehouse rows deleted.
    public var rowsDeleted: Int
    /// The `.scol` file removed, if there was one.
    public var columnarFile: String?

    private enum CodingKeys: String, CodingKey {
        case ledgerID = "ledger_id", source, sha256, rowsDeleted = "rows_deleted", columnarFile = "columnar"
    }
}

extension Ingestor {
    /// Removes one loaded delivery from the warehouse: its rows (found by `_ingest_id`) are
    /// deleted and its ledger entry is marked `forgotten`, in one transaction; then its `.scol`
    /// file is removed. The archived source stays where it is, and the same bytes can be loaded
    /// again afterwards.
    ///
    /// - Parameter reference: A ledger id, a SHA-256 (or a unique prefix of at least 8 hex
    ///   digits), or a file name as delivered (the most recent loaded delivery of that name).
    /// - Throws: ``PipelineError`` `configuration` when nothing loaded matches, or it is ambiguous.
    public func forget(_ reference: String) throws -> ForgottenDelivery {
        let lookup = try warehouse.connection.prepare(
            """
            SELECT id, source, sha256, columnar FROM sluice_ingests
            WHERE status = 'loaded' AND target_table = ?1
              AND (CAST(id AS TEXT) = ?2 OR source = ?2 OR (length(?2) >= 8 AND substr(sha256, 1, length(?2)) = lower(?2)))
            ORDER BY id DESC
            """)
        try lookup.bind(table.name, at: 1)
        try lookup.bind(reference, at: 2)
        let matches = try lookup.readAll().rows
        guard let match = matches.first else {
            throw PipelineError(code: .configuration, message: "no loaded delivery matches '\(reference)' (give a ledger id, a file name or a SHA-256; see `sluice status`)")
        }
        let sources = Set(matches.map { $0[1] })
        guard matches.count == 1 || (sources.count == 1 && !reference.allSatisfy(\.isHexDigit)) else {
            throw PipelineError(code: .configuration, message: "'\(reference)' matches \(matches.count) deliveries; give a ledger id or a longer hash")
        }
        guard case .integer(let id) = match[0], case .text(let source) = match[1], case .text(let sha) = match[2] else {
            throw PipelineError(code: .warehouse, message: "the ledger entry for '\(reference)' is malformed")
        }
        var deleted = 0
        do {
            try warehouse.withTransaction {
                let delete = try warehouse.connection.prepare(
                    "DELETE FROM \(SQLiteIdentifier.quote(table.name)) WHERE \(SQLiteIdentifier.quote(Ledger.ingestIDColumn)) = ?")
                try delete.bind(id, at: 1)
                try delete.step()
                deleted = warehouse.connection.changes
                let mark = try warehouse.connection.prepare(
                    "UPDATE sluice_ingests SET status = 'forgotten', message = message || ' (forgotten: ' || ? || ' rows deleted)' WHERE id = ?")
                try mark.bind(Int64(deleted), at: 1)
                try mark.bind(id, at: 2)
                try mark.step()
            }
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot forget '\(reference)': \(error)", cause: error)
        }
        var columnar: String?
        if case .text(let path) = match[3] {
            try? FileManager.default.removeItem(atPath: path)
            columnar = path
        }
        logger.notice("\(source): forgotten, \(deleted) rows deleted", metadata: ["ledger": "\(id)", "sha256": "\(sha)"])
        return ForgottenDelivery(ledgerID: id, source: source, sha256: sha, rowsDeleted: deleted, columnarFile: columnar)
    }
}
