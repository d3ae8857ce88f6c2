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
        let matches = try ledger.loadedMatches(reference, table: table.name)
        guard let match = matches.first else {
            throw PipelineError(
                code: .configuration,
                message: "no loaded delivery matches '\(reference)' (give a ledger id, a file name or a SHA-256)")
        }
        let sources = Set(matches.map(\.source))
        guard matches.count == 1 || (sources.count == 1 && !reference.allSatisfy(\.isHexDigit)) else {
            throw PipelineError(
                code: .configuration,
                message: "'\(reference)' matches \(matches.count) deliveries; give a ledger id or a longer hash")
        }
        var deleted = 0
        do {
            try warehouse.withTransaction {
                try rollups.subtract(delivery: match.id)
                let delete = try warehouse.connection.prepare(
                    "DELETE FROM \(SQLiteIdentifier.quote(table.name)) WHERE \(SQLiteIdentifier.quote(Ledger.ingestIDColumn)) = ?"
                )
                try delete.bind(match.id, at: 1)
                _ = try delete.step()
                deleted = warehouse.connection.changes
                try ledger.markForgotten(id: match.id, rowsDeleted: deleted)
            }
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot forget '\(reference)': \(error)", cause: error)
        }
        if let path = match.columnar { try? files.removeFile(path) }
        logger.notice(
            "\(match.source): forgotten, \(deleted) rows deleted",
            metadata: ["ledger": "\(match.id)", "sha256": "\(match.sha256)"])
        return ForgottenDelivery(
            ledgerID: match.id, source: match.source, sha256: match.sha256, rowsDeleted: deleted,
            columnarFile: match.columnar)
    }
}
