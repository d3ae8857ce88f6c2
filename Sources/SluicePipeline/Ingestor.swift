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
    /// - Returns: How it ended. Data problems are a `rejected` record (or rejected rows in a
    ///   `loaded` one), not an error.
    /// - Throws: ``PipelineError`` when the file cannot be read or the warehouse refuses the write;
    ///   in that case nothing was committed and the file was left where it was.
    public func ingest(fileAt url: URL, origin: IngestOrigin) throws -> IngestRecord {
        let name = url.lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
        if size > workspace.config.maxFileBytes {
            return try quarantineUnread(url, size: size, origin: origin)
        }
        let bytes = try readBytes(of: url)
        let sha256 = SHA256.hexDigest(bytes)
        var record = IngestRecord(
            source: name, sourcePath: url.path, status: .loaded, message: "", sha256: sha256, size: bytes.count,
            rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0, rowsRejected: 0)

        if let earlier = try ledgerLookup(sha256: sha256) {
            record.status = .duplicate
            record.duplicateOf = earlier
            record.message = "\(name): the same bytes were loaded before (ledger entry \(earlier)); nothing loaded again"
            return try finishDuplicate(record, url: url, origin: origin)
        }

        let settings = FileCheck.Settings(
            schema: workspace.schema, policy: workspace.policy, encoding: workspace.config.encoding,
            pins: workspace.config.pins, limits: workspace.config.limits)
        let findings = FileCheck(settings: settings).check(bytes, name: name)
        record.dialect = findings.dialect
        record.header = findings.header
        record.rowsRead = findings.rows.read
        record.rowsLoaded = findings.rows.loaded
        record.rowsDroppedMissing = findings.rows.droppedMissing
        record.rowsDroppedDuplicate = findings.rows.droppedDuplicate
        record.rowsRejected = findings.rows.rejected
        if let outcome = findings.outcome {
            return try load(outcome, findings: findings, record: record, url: url, origin: origin)
        }
        return try quarantine(findings, record: record, url: url, origin: origin)
    }

    // MARK: Outcomes

    private func load(_ outcome: ValidationOutcome, findings: FileCheck.Findings, record: IngestRecord, url: URL,
                      origin: IngestOrigin) throws -> IngestRecord {
        var record = record
        var message = "\(record.source): loaded \(record.rowsLoaded) of \(record.rowsRead) rows"
        var notes: [String] = []
        if record.rowsDroppedMissing > 0 { notes.append("\(record.rowsDroppedMissing) with a missing value dropped") }
        if record.rowsDroppedDuplicate > 0 { notes.append("\(record.rowsDroppedDuplicate) repeated rows dropped") }
        if record.rowsRejected > 0 { notes.append("\(record.rowsRejected) bad rows rejected") }
        if !notes.isEmpty { message += " (" + notes.joined(separator: ", ") + ")" }
        record.message = message
        if !findings.rejectedRows.isEmpty {
            // The refused rows and their reasons are written before the good rows commit.
            let destination = uniqueDestination(for: record.source, in: workspace.layout.failed, suffixes: [".rejected.csv", ".errors.json"])
            let rowsURL = URL(fileURLWithPath: destination.path + ".rejected.csv")
            try writeRejectedRows(findings, to: rowsURL)
            record.rejectedRowsFile = rowsURL.path
            record.hint = findings.hint
            record.errorsReport = try writeReport(findings, record: record, status: "partially-loaded", next: destination).path
        }
        let archived = origin == .inbox && workspace.config.afterLoad == .archive
            ? uniqueDestination(for: record.source, in: workspace.layout.archive) : nil
        record.storedAt = archived?.path
        do {
            try warehouse.withTransaction {
                let id = try Ledger.append(record, table: table.name, in: warehouse)
                record.ledgerID = id
                try warehouse.insert(ValidatedRows(columns: outcome.columns, validity: outcome.validity, ingestID: id), into: table)
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

    private func quarantine(_ findings: FileCheck.Findings, record: IngestRecord, url: URL, origin: IngestOrigin) throws -> IngestRecord {
        var record = record
        record.status = .rejected
        record.reason = findings.reason
        record.message = findings.message
        record.hint = findings.hint

        let destination = uniqueDestination(for: record.source, in: workspace.layout.failed, suffixes: [".errors.json"])
        // The reason first, then the file: a crash in between leaves the input where it was.
        record.errorsReport = try writeReport(findings, record: record, status: "rejected", next: destination).path
        switch origin {
        case .inbox: try move(url, to: destination)
        case .external: try copy(url, to: destination)
        }
        record.storedAt = destination.path
        try recordInLedger(&record)
        logger.warning("\(record.message)", metadata: ["report": "\(record.errorsReport ?? "")", "reason": "\(findings.reason?.rawValue ?? "")"])
        return record
    }

    /// Quarantines a file over `max_file_bytes` without reading it (so no hash is known).
    private func quarantineUnread(_ url: URL, size: Int, origin: IngestOrigin) throws -> IngestRecord {
        let limit = workspace.config.maxFileBytes
        let message = "\(url.lastPathComponent) is \(size) bytes, over the limit of \(limit) bytes; it was not read"
        let entry = ErrorEntry(code: "file-too-large", line: 0, message: message,
                               hint: "split the file, or raise max_file_bytes in sluice.yaml")
        let findings = FileCheck.Findings(.fileTooLarge, entry, message: message)
        let record = IngestRecord(
            source: url.lastPathComponent, sourcePath: url.path, status: .rejected, message: message, sha256: "", size: size,
            rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0, rowsRejected: 0)
        return try quarantine(findings, record: record, url: url, origin: origin)
    }

    /// Writes `<destination>.errors.json` (atomically) and returns its URL.
    private func writeReport(_ findings: FileCheck.Findings, record: IngestRecord, status: String, next destination: URL) throws -> URL {
        let reportURL = URL(fileURLWithPath: destination.path + ".errors.json")
        let report = ErrorReport(
            source: record.source, sha256: record.sha256, size: record.size, status: status,
            reason: findings.reason?.rawValue ?? "rejected-rows", message: findings.message, hint: findings.hint,
            dialect: findings.dialect, header: findings.header,
            rows: RowCounts(read: record.rowsRead, loaded: record.rowsLoaded, droppedMissing: record.rowsDroppedMissing,
                            droppedDuplicate: record.rowsDroppedDuplicate, rejected: record.rowsRejected),
            countsByCode: findings.countsByCode, countsByRule: findings.countsByRule, totalErrors: findings.totalErrors,
            errorsShown: findings.errors.count, errors: findings.errors, rejectedRows: record.rejectedRowsFile,
            createdAt: FileLogHandler.timestamp())
        do {
            try report.jsonData().write(to: reportURL, options: .atomic)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(reportURL.path): \(error.localizedDescription)")
        }
        return reportURL
    }

    /// Writes the refused rows, each prefixed by its line number in a `_source_line` column, under
    /// the original header: fixed, the file can be delivered again as it is (the column is ignored).
    private func writeRejectedRows(_ findings: FileCheck.Findings, to url: URL) throws {
        var output: [UInt8] = []
        let delimiter = findings.delimiter
        if let header = findings.headerText {
            output += Array("_source_line".utf8) + [delimiter] + header + [0x0A]
        }
        for row in findings.rejectedRows {
            if findings.headerText != nil { output += Array(String(row.line).utf8) + [delimiter] }
            output += row.text + [0x0A]
        }
        do {
            try Data(output).write(to: url, options: .atomic)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(url.path): \(error.localizedDescription)")
        }
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

    /// Reads the whole file in 1 MiB chunks into one buffer (peak memory: the file plus one
    /// chunk), refusing it as soon as it passes `max_file_bytes`, even if it grows while read.
    private func readBytes(of url: URL) throws -> [UInt8] {
        let limit = workspace.config.maxFileBytes
        let tooLarge = { (size: Int) in
            PipelineError(code: .io, message: "\(url.path): \(size) bytes is over the limit of \(limit) bytes (max_file_bytes in sluice.yaml)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let expected = attributes?[.size] as? Int ?? 0
        if expected > limit { throw tooLarge(expected) }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(expected)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                bytes.append(contentsOf: chunk)
                if bytes.count > limit { throw tooLarge(bytes.count) }
            }
            return bytes
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(code: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// `folder/name`, or `folder/stem~2.ext`, `~3`, … when that name (or the name plus one of
    /// `suffixes`) is taken: nothing is overwritten.
    private func uniqueDestination(for name: String, in folder: URL, suffixes: [String] = []) -> URL {
        var candidate = folder.appendingPathComponent(name)
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var counter = 2
        while ([""] + suffixes).contains(where: { FileManager.default.fileExists(atPath: candidate.path + $0) }) {
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
    let validity: [[Bool]?]
    let ingestID: Int64

    var rowCount: Int { columns.first?.count ?? 0 }

    func value(row: Int, column: Int) -> SQLiteValue {
        guard column < columns.count else { return .integer(ingestID) }
        if let mask = validity[column], !mask[row] { return .null }
        switch columns[column] {
        case .integer(let values): return .integer(values[row])
        case .real(let values): return .real(values[row])
        case .text(let values): return .text(values[row])
        }
    }
}
