import Foundation
import Logging
import SluiceColumnar
import SluiceSchema
import SluiceWarehouse

/// The writer stage: refusals first (each recorded on its own), then the loads of a group in
/// one transaction, then the file moves.
extension Ingestor {
    /// A file whose rows are going into the warehouse in the current transaction.
    private struct PendingLoad {
        var index: Int
        var record: IngestRecord
        var outcome: ValidationOutcome
        var findings: FileCheck.Findings
        var job: IngestJob
        var columnar: ColumnarFileSummary?
    }

    /// Commits a group of prepared files and returns their records, in the group's order.
    ///
    /// - Throws: ``PipelineError`` when a file could not be read or the warehouse refused the
    ///   transaction; then no load of the group was committed and every source is where it was.
    func commit(_ group: [PreparedFile]) throws -> [IngestRecord] {
        // A path the user named must be readable; a claimed inbox file that is not is quarantined.
        if let unreadable = group.first(where: { $0.readError != nil && $0.job.origin == .external }), let error = unreadable.readError {
            throw error
        }
        var records: [IngestRecord?] = Array(repeating: nil, count: group.count)
        var loads: [PendingLoad] = []
        for (index, prepared) in group.enumerated() {
            var record = IngestRecord(
                source: prepared.job.source, sourcePath: prepared.job.url.path, status: .loaded, message: "",
                sha256: prepared.sha256 ?? "", size: prepared.size,
                rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0, rowsRejected: 0)
            if let error = prepared.readError {
                let entry = ErrorEntry(code: "unreadable", line: 0, message: error.message,
                                       hint: "check the file's permissions, then `sluice retry` it")
                records[index] = try quarantine(FileCheck.Findings(.unreadable, entry, message: error.message), record: record, job: prepared.job)
                continue
            }
            guard let findings = prepared.findings else {
                records[index] = try quarantineUnread(prepared, record: record)
                continue
            }
            record.dialect = findings.dialect
            record.header = findings.header
            record.rowsRead = findings.rows.read
            record.rowsLoaded = findings.rows.loaded
            record.rowsDroppedMissing = findings.rows.droppedMissing
            record.rowsDroppedDuplicate = findings.rows.droppedDuplicate
            record.rowsRejected = findings.rows.rejected
            if let outcome = findings.outcome {
                if let error = prepared.columnarError { throw error }
                loads.append(PendingLoad(index: index, record: record, outcome: outcome, findings: findings, job: prepared.job,
                                         columnar: prepared.columnar))
            } else {
                records[index] = try quarantine(findings, record: record, job: prepared.job)
            }
        }
        for (index, record) in try commitLoads(loads) {
            records[index] = record
        }
        return records.map { $0! }
    }

    /// Loads (or records as duplicates) every pending file in one transaction, each in its own
    /// savepoint, then moves the sources.
    private func commitLoads(_ loads: [PendingLoad]) throws -> [(Int, IngestRecord)] {
        guard !loads.isEmpty else { return [] }
        var reserved = Set<String>()
        var done: [(Int, IngestRecord, IngestJob)] = []
        var written: [URL] = loads.compactMap { $0.columnar.map { URL(fileURLWithPath: $0.path) } }
        if !written.isEmpty {
            // The .scol files were written without a flush each: one flush for the whole group,
            // before any row that points at them commits.
            sync()
        }
        do {
            try warehouse.withTransaction {
                for load in loads {
                    var record = load.record
                    try warehouse.connection.withSavepoint(named: "file") {
                        if let earlier = try Ledger.loadedEntry(sha256: record.sha256, table: table.name, in: warehouse) {
                            record = duplicateRecord(record, of: earlier)
                            if let columnar = load.columnar, try Ledger.columnarPath(ofEntry: earlier, in: warehouse) != columnar.path {
                                try? FileManager.default.removeItem(atPath: columnar.path)
                            }
                        } else {
                            record.columnarFile = load.columnar?.path
                            written += try prepareLoad(&record, load: load)
                        }
                        if load.job.origin == .inbox, workspace.config.afterLoad == .archive {
                            let destination = uniqueDestination(for: record.source, in: workspace.layout.archive, reserved: reserved)
                            reserved.insert(destination.path)
                            record.storedAt = destination.path
                        }
                        let id = try Ledger.append(record, table: table.name, in: warehouse, json: ledgerJSON)
                        record.ledgerID = id
                        if record.status == .loaded {
                            try warehouse.insert(ColumnBatch(load.outcome, ingestID: id), into: table)
                        }
                    }
                    done.append((load.index, record, load.job))
                }
            }
        } catch {
            // Nothing of the group committed: remove what it wrote, but never a .scol file that an
            // earlier, committed delivery of the same bytes and name points at.
            for file in written where (try? Ledger.isReferenced(columnarPath: file.path, in: warehouse)) != true {
                try? FileManager.default.removeItem(at: file)
            }
            throw PipelineError(code: .warehouse, message: "the warehouse refused the load, nothing was written: \(error)", cause: error)
        }
        // The rows are durable; only now may the sources leave the work area.
        for (_, record, job) in done where job.origin == .inbox {
            if let destination = record.storedAt {
                try move(job.url, to: URL(fileURLWithPath: destination))
            } else {
                try remove(job.url)
            }
        }
        for (_, record, _) in done {
            if record.status == .duplicate {
                logger.notice("\(record.message)", metadata: ["sha256": "\(record.sha256)"])
            } else {
                logger.info("\(record.message)", metadata: ["sha256": "\(record.sha256)", "ledger": "\(record.ledgerID ?? 0)"])
            }
        }
        return done.map { ($0.0, $0.1) }
    }

    /// Writes the refused rows and their report for a partially loaded file; returns the files written.
    private func prepareLoad(_ record: inout IngestRecord, load: PendingLoad) throws -> [URL] {
        var notes: [String] = []
        if record.rowsDroppedMissing > 0 { notes.append("\(record.rowsDroppedMissing) with a missing value dropped") }
        if record.rowsDroppedDuplicate > 0 { notes.append("\(record.rowsDroppedDuplicate) repeated rows dropped") }
        if record.rowsRejected > 0 { notes.append("\(record.rowsRejected) bad rows rejected") }
        record.message = "\(record.source): loaded \(record.rowsLoaded) of \(record.rowsRead) rows"
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
        guard !load.findings.rejectedRows.isEmpty else { return [] }
        let destination = uniqueDestination(for: record.source, in: workspace.layout.failed, suffixes: [".rejected.csv", ".errors.json"])
        let rowsURL = URL(fileURLWithPath: destination.path + ".rejected.csv")
        try writeRejectedRows(load.findings, to: rowsURL)
        record.rejectedRowsFile = rowsURL.path
        record.hint = load.findings.hint
        let report = try writeReport(load.findings, record: record, status: "partially-loaded", next: destination)
        record.errorsReport = report.path
        return [rowsURL, report]
    }

    private func duplicateRecord(_ record: IngestRecord, of earlier: Int64) -> IngestRecord {
        var duplicate = record
        duplicate.status = .duplicate
        duplicate.duplicateOf = earlier
        duplicate.rowsRead = 0
        duplicate.rowsLoaded = 0
        duplicate.rowsDroppedMissing = 0
        duplicate.rowsDroppedDuplicate = 0
        duplicate.rowsRejected = 0
        duplicate.message = "\(record.source): the same bytes were loaded before (ledger entry \(earlier)); nothing loaded again"
        return duplicate
    }

    /// Quarantines a refused file: its reason report first, then the file, then the ledger row.
    func quarantine(_ findings: FileCheck.Findings, record: IngestRecord, job: IngestJob) throws -> IngestRecord {
        var record = record
        record.status = .rejected
        record.reason = findings.reason
        record.message = findings.message
        record.hint = findings.hint
        record.rowsLoaded = 0
        let destination = uniqueDestination(for: record.source, in: workspace.layout.failed, suffixes: [".errors.json"])
        // The reason, then the ledger entry naming where the file goes, then the file: a crash
        // before the move leaves the input in the work area, and the restart finishes the move.
        record.errorsReport = try writeReport(findings, record: record, status: "rejected", next: destination).path
        record.storedAt = destination.path
        do {
            record.ledgerID = try Ledger.append(record, table: table.name, in: warehouse, json: ledgerJSON)
        } catch {
            throw PipelineError(code: .warehouse, message: "\(record.source): cannot record the outcome in the ledger: \(error)", cause: error)
        }
        switch job.origin {
        case .inbox: try move(job.url, to: destination)
        case .external: try copy(job.url, to: destination)
        }
        logger.warning("\(record.message)", metadata: ["report": "\(record.errorsReport ?? "")", "reason": "\(findings.reason?.rawValue ?? "")"])
        return record
    }

    /// Quarantines a file over `max_file_bytes` without reading it (so no hash is known).
    private func quarantineUnread(_ prepared: PreparedFile, record: IngestRecord) throws -> IngestRecord {
        let limit = workspace.config.maxFileBytes
        let message = "\(prepared.job.source) is \(prepared.size) bytes, over the limit of \(limit) bytes; it was not read"
        let entry = ErrorEntry(code: "file-too-large", line: 0, message: message,
                               hint: "split the file, or raise max_file_bytes in sluice.yaml")
        return try quarantine(FileCheck.Findings(.fileTooLarge, entry, message: message), record: record, job: prepared.job)
    }
}
