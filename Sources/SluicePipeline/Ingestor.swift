import Foundation
import Logging
import SluiceSchema
import SluiceWarehouse

/// Where a file to ingest comes from, which decides what may happen to it afterwards.
public enum IngestOrigin: Sendable {
    /// A file in the workspace's `inbox/`: moved to `archive/` (or deleted) once its rows are
    /// committed, or moved to `failed/` when rejected.
    case inbox
    /// A file named by the user: never modified, moved or deleted; a rejected file is copied to `failed/`.
    case external
}

/// Loads CSV files into a workspace: check, then quarantine or commit, then record.
///
/// One file at a time: read bytes → SHA-256 → already loaded? → parse, clean, validate →
/// either `failed/<name>` + `failed/<name>.errors.json`, or one transaction holding the
/// rows and their ledger entry. Every file ends in exactly one ledger row.
public final class Ingestor {
    /// The workspace being loaded.
    public let workspace: Workspace
    private let warehouse: Warehouse
    private let table: WarehouseTable
    private let logger: Logger

    /// Opens the workspace's warehouse, creating the ledger and the data table if needed.
    ///
    /// - Throws: ``PipelineError`` when the warehouse cannot be opened or its table does not
    ///   match the schema.
    public init(workspace: Workspace, logger: Logger) throws {
        self.workspace = workspace
        self.logger = logger
        table = workspace.warehouseTable
        do {
            warehouse = try Warehouse(path: workspace.layout.warehouse.path)
            try Ledger.create(in: warehouse)
            try warehouse.createTableIfNeeded(table)
        } catch let error as WarehouseError where error.code == .tableMismatch {
            throw PipelineError(code: .configuration, message: error.message, cause: error)
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot prepare the warehouse \(workspace.layout.warehouse.path): \(error)", cause: error)
        }
    }

    /// Ingests every file waiting in `inbox/`, in name order. Hidden files (`.name`) are skipped:
    /// they are still being written (write-then-rename).
    public func ingestInbox() throws -> [IngestRecord] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: workspace.layout.inbox.path)
        } catch {
            throw PipelineError(code: .io, message: "cannot list \(workspace.layout.inbox.path): \(error.localizedDescription)")
        }
        var records: [IngestRecord] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = workspace.layout.inbox.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            records.append(try ingest(fileAt: url, origin: .inbox))
        }
        return records
    }

    /// Ingests one file.
    ///
    /// - Returns: How it ended. Data problems are a `rejected` record, not an error.
    /// - Throws: ``PipelineError`` when the file cannot be read or the warehouse refuses the write;
    ///   in that case nothing was committed and the file was left where it was.
    public func ingest(fileAt url: URL, origin: IngestOrigin) throws -> IngestRecord {
        let name = url.lastPathComponent
        let bytes = try readBytes(of: url)
        let sha256 = SHA256.hexDigest(bytes)
        var record = IngestRecord(
            source: name, sourcePath: url.path, status: .loaded, message: "", sha256: sha256, size: bytes.count,
            rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0, rowsInvalid: 0)

        if let earlier = try ledgerLookup(sha256: sha256) {
            record.status = .duplicate
            record.duplicateOf = earlier
            record.message = "\(name): the same bytes were loaded before (ledger entry \(earlier)); nothing loaded again"
            return try finishDuplicate(record, url: url, origin: origin)
        }

        let check = FileCheck(schema: workspace.schema, options: workspace.config.cleaning)
        switch check.check(bytes, name: name) {
        case .accepted(let outcome, _):
            return try load(outcome, record: record, url: url, origin: origin)
        case .rejected(let rejection):
            return try quarantine(rejection, record: record, url: url, origin: origin)
        }
    }

    // MARK: Outcomes

    private func load(_ outcome: ValidationOutcome, record: IngestRecord, url: URL, origin: IngestOrigin) throws -> IngestRecord {
        var record = record
        record.rowsRead = outcome.rowsRead
        record.rowsLoaded = outcome.rowsAccepted
        record.rowsDroppedMissing = outcome.rowsDroppedMissing
        record.rowsDroppedDuplicate = outcome.rowsDroppedDuplicate
        record.message = "\(record.source): loaded \(outcome.rowsAccepted) of \(outcome.rowsRead) rows"
            + (record.rowsDropped > 0 ? " (\(outcome.rowsDroppedMissing) with a missing value and \(outcome.rowsDroppedDuplicate) duplicates dropped)" : "")
        let archived = origin == .inbox && workspace.config.afterLoad == .archive
            ? uniqueDestination(for: record.source, in: workspace.layout.archive) : nil
        record.storedAt = archived?.path
        do {
            try warehouse.withTransaction {
                let id = try Ledger.append(record, table: table.name, in: warehouse)
                record.ledgerID = id
                try warehouse.insert(ValidatedRows(columns: outcome.columns, ingestID: id), into: table)
            }
        } catch {
            throw PipelineError(code: .warehouse, message: "\(record.source): the warehouse refused the load, nothing was written: \(error)", cause: error)
        }
        // The rows are durable; only now may the source leave the inbox.
        if origin == .inbox {
            if let archived {
                try move(url, to: archived)
            } else {
                try remove(url)
            }
        }
        logger.info("\(record.message)", metadata: ["sha256": "\(record.sha256)", "ledger": "\(record.ledgerID ?? 0)"])
        return record
    }

    private func quarantine(_ rejection: FileCheck.Rejection, record: IngestRecord, url: URL, origin: IngestOrigin) throws -> IngestRecord {
        var record = record
        record.status = .rejected
        record.reason = rejection.reason
        record.message = rejection.message
        record.rowsRead = rejection.rowsRead
        record.rowsInvalid = rejection.rowsInvalid
        record.rowsDroppedMissing = rejection.rowsDroppedMissing
        record.rowsDroppedDuplicate = rejection.rowsDroppedDuplicate

        let destination = uniqueDestination(for: record.source, in: workspace.layout.failed)
        let reportURL = destination.deletingLastPathComponent().appendingPathComponent(destination.lastPathComponent + ".errors.json")
        let report = ErrorReport(
            source: record.source, sha256: record.sha256, size: record.size, reason: rejection.reason,
            message: rejection.message, dialect: rejection.dialect?.reportFields, header: rejection.header,
            rowsRead: rejection.rowsRead, rowsInvalid: rejection.rowsInvalid, countsByRule: rejection.countsByRule,
            totalErrors: rejection.totalErrors, errors: rejection.errors, createdAt: FileLogHandler.timestamp())
        // The reason first, then the file: a crash in between leaves the input where it was.
        do {
            try report.jsonData().write(to: reportURL, options: .atomic)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(reportURL.path): \(error.localizedDescription)")
        }
        switch origin {
        case .inbox: try move(url, to: destination)
        case .external: try copy(url, to: destination)
        }
        record.errorsReport = reportURL.path
        record.storedAt = destination.path
        try recordInLedger(&record)
        logger.warning("\(record.message)", metadata: ["report": "\(reportURL.path)", "reason": "\(rejection.reason.rawValue)"])
        return record
    }

    private func finishDuplicate(_ record: IngestRecord, url: URL, origin: IngestOrigin) throws -> IngestRecord {
        var record = record
        if origin == .inbox {
            if workspace.config.afterLoad == .archive {
                let destination = uniqueDestination(for: record.source, in: workspace.layout.archive)
                try move(url, to: destination)
                record.storedAt = destination.path
            } else {
                try remove(url)
            }
        }
        try recordInLedger(&record)
        logger.notice("\(record.message)", metadata: ["sha256": "\(record.sha256)"])
        return record
    }

    // MARK: Helpers

    private func recordInLedger(_ record: inout IngestRecord) throws {
        do {
            record.ledgerID = try Ledger.append(record, table: table.name, in: warehouse)
        } catch {
            throw PipelineError(code: .warehouse, message: "\(record.source): cannot record the outcome in the ledger: \(error)", cause: error)
        }
    }

    private func ledgerLookup(sha256: String) throws -> Int64? {
        do {
            return try Ledger.loadedEntry(sha256: sha256, table: table.name, in: warehouse)
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot read the ledger: \(error)", cause: error)
        }
    }

    private func readBytes(of url: URL) throws -> [UInt8] {
        let limit = workspace.config.maxFileBytes
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > limit {
            throw PipelineError(code: .io, message: "\(url.path): \(size) bytes is over the limit of \(limit) bytes (max_file_bytes in sluice.yaml)")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PipelineError(code: .io, message: "cannot read \(url.path): no such file or no permission")
        }
        return [UInt8](data)
    }

    /// `folder/name`, or `folder/stem~2.ext`, `~3`, … when that name is taken: nothing is overwritten.
    private func uniqueDestination(for name: String, in folder: URL) -> URL {
        var candidate = folder.appendingPathComponent(name)
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate.path)
            || FileManager.default.fileExists(atPath: candidate.path + ".errors.json")
        {
            candidate = folder.appendingPathComponent("\(stem)~\(counter)" + (ext.isEmpty ? "" : ".\(ext)"))
            counter += 1
        }
        return candidate
    }

    private func move(_ source: URL, to destination: URL) throws {
        do { try FileManager.default.moveItem(at: source, to: destination) } catch {
            throw PipelineError(code: .io, message: "cannot move \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
    }

    private func copy(_ source: URL, to destination: URL) throws {
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            throw PipelineError(code: .io, message: "cannot copy \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
    }

    private func remove(_ url: URL) throws {
        do { try FileManager.default.removeItem(at: url) } catch {
            throw PipelineError(code: .io, message: "cannot delete \(url.path): \(error.localizedDescription)")
        }
    }
}

/// Validated columns plus the ledger id, seen as rows for the warehouse's bulk insert.
struct ValidatedRows: RowBatch {
    let columns: [TypedColumn]
    let ingestID: Int64

    var rowCount: Int { columns.first?.count ?? 0 }

    func value(row: Int, column: Int) -> SQLiteValue {
        guard column < columns.count else { return .integer(ingestID) }
        switch columns[column] {
        case .integer(let values): return .integer(values[row])
        case .real(let values): return .real(values[row])
        case .text(let values): return .text(values[row])
        }
    }
}
