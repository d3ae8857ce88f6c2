import Foundation
import Logging
import SluiceColumnar
import SluiceSchema
import SluiceWarehouse

/// The writer stage. For a group of prepared files:
/// 1. per file, the file work that must precede the commit: its reason report, its refused
///    rows, its `.scol` renamed from a hidden name into place (never over another file); a
///    failure here ends that file alone (`deferred` when transient, else `rejected`);
/// 2. one flush of the workspace's file system (`syncfs`), so every file a ledger row will
///    name is on disk;
/// 3. one transaction: per file a savepoint with its ledger row and its warehouse rows; a file
///    whose rows the warehouse refuses (a constraint) is rolled back alone and quarantined;
/// 4. after the commit, the moves out of the work area (a move that fails is finished by the
///    next run, which finds the ledger row).
extension Ingestor {
    /// One file on its way through the writer.
    private struct Entry {
        var prepared: PreparedFile
        var record: IngestRecord
        /// What the writer does with it.
        var action: Action
        /// Files written for it before the commit (removed if it does not commit).
        var written: [String] = []
        /// Warehouse rows its rows replace (`on_conflict: replace`).
        var replacing: [KeyConflict] = []
    }

    private enum Action {
        case load(ValidationOutcome)
        case duplicate(of: Int64?)
        case quarantine(FileCheck.Findings)
        case deferred
        /// Its outcome was committed by an interrupted run; only its move was left.
        case finishMove(id: Int64, destination: String?)
    }

    /// Commits a group of prepared files and returns their records, in the group's order
    /// (files whose outcome an interrupted run had committed return none).
    ///
    /// - Throws: ``PipelineError`` when the warehouse refused the transaction (or the file
    ///   system cannot be flushed); then nothing of the group was committed and every source is
    ///   where it was.
    func commit(_ group: [PreparedFile]) throws -> [IngestRecord] {
        try rollups.refreshIfReportsChanged()
        // A keyed table: one file per transaction, so the key conflicts each file meets are
        // those of the warehouse as committed (see Ingestor+Keys).
        if !table.uniqueKey.isEmpty, group.count > 1 { return try group.flatMap { try commit([$0]) } }
        var entries = try group.map(plan)
        var reserved = Set<String>()
        for index in entries.indices { prepareFiles(&entries[index], reserved: &reserved) }
        var refusedByWarehouse: [PreparedFile] = []
        do {
            if entries.contains(where: { !$0.written.isEmpty }) {
                try files.syncFileSystem(containing: workspace.layout.root.path)
            }
            refusedByWarehouse = try record(&entries)
        } catch {
            // Whether the commit reached the disk is not known when a write or sync of it failed
            // (its frames may be in the WAL). So nothing it may name is removed here: the next
            // run, under the lock and after SQLite's own recovery, finds every file in the work
            // area again and removes the `.scol` files no loaded delivery names.
            if let error = error as? PipelineError { throw error }
            throw PipelineError(
                code: .warehouse, message: "the warehouse refused the load, nothing was written: \(error)", cause: error
            )
        }
        finishFiles(entries)
        var records = entries.compactMap { entry -> IngestRecord? in
            if case .finishMove = entry.action { return nil }
            return entry.record
        }
        if !refusedByWarehouse.isEmpty { records += try commit(refusedByWarehouse) }
        return records
    }

    // MARK: 1. What to do with each file

    private func plan(_ prepared: PreparedFile) throws -> Entry {
        let job = prepared.job
        var record = IngestRecord(
            source: job.source, sourcePath: job.url.path, status: .loaded, message: "", sha256: prepared.sha256,
            size: prepared.size,
            rowsRead: 0, rowsLoaded: 0, rowsDroppedMissing: 0, rowsDroppedDuplicate: 0, rowsRejected: 0)
        if job.isRecovered,
            let pending = try ledger.pendingMove(sha256: prepared.sha256, source: job.source, table: table.name)
        {
            return Entry(
                prepared: prepared, record: record, action: .finishMove(id: pending.id, destination: pending.storedAt))
        }
        if let identity = prepared.identity,
            files.identity(of: job.url.path, following: workspace.config.followSymlinks) != identity
        {
            let error = PipelineError(
                code: .io, message: "\(job.source) changed after it was read; it is left for the next run")
            return deferredEntry(prepared, record: record, reason: .changedWhileRead, error: error)
        }
        switch prepared.stage {
        case .deferred(let reason, let error):
            return deferredEntry(prepared, record: record, reason: reason, error: error)
        case .refused(let findings):
            return Entry(prepared: prepared, record: record, action: .quarantine(findings))
        case .alreadyLoaded:
            return Entry(prepared: prepared, record: record, action: .duplicate(of: nil))
        case .checked(let findings):
            record.dialect = findings.dialect
            record.header = findings.header
            record.rowsRead = findings.rows.read
            record.rowsLoaded = findings.rows.loaded
            record.rowsDroppedMissing = findings.rows.droppedMissing
            record.rowsDroppedDuplicate = findings.rows.droppedDuplicate
            record.rowsRejected = findings.rows.rejected
            guard let outcome = findings.outcome else {
                return Entry(prepared: prepared, record: record, action: .quarantine(findings))
            }
            record.contentDigest = prepared.contentDigest
            return Entry(prepared: prepared, record: record, action: .load(outcome))
        }
    }

    private func deferredEntry(
        _ prepared: PreparedFile, record: IngestRecord, reason: RejectionReason, error: PipelineError
    ) -> Entry {
        var record = record
        record.status = .deferred
        record.reason = reason
        record.message = error.message + (error.cause.map { ": \($0)" } ?? "")
        record.hint = "nothing was loaded; the next run takes the file again"
        return Entry(
            prepared: prepared, record: record, action: .deferred, written: prepared.columnar.map { [$0.path] } ?? [])
    }

    private func defer_(_ entry: inout Entry, _ error: any Error) {
        removeQuietly(entry.written)
        let failure =
            error as? PipelineError
            ?? PipelineError(code: .io, message: "\(entry.record.source): \(error)", cause: error)
        let reason: RejectionReason = .ioError
        var fresh = deferredEntry(entry.prepared, record: entry.record, reason: reason, error: failure)
        fresh.written = []
        entry = fresh
    }

    // MARK: 2. File work before the commit (per file)

    private func prepareFiles(_ entry: inout Entry, reserved: inout Set<String>) {
        do {
            switch entry.action {
            case .load(let outcome):
                // Loaded before (or earlier in this group)? Then a duplicate: no .scol, no rows.
                if let earlier = try ledger.loadedEntry(sha256: entry.record.sha256, table: table.name) {
                    removeQuietly(entry.prepared.columnar.map { [$0.path] } ?? [])
                    entry.action = .duplicate(of: earlier)
                    entry.record = duplicateRecord(entry.record, of: earlier)
                } else {
                    switch try resolveKeys(outcome, record: &entry.record, prepared: &entry.prepared) {
                    case .quarantine(let findings):
                        entry.action = .quarantine(findings)
                        try writeQuarantineReport(&entry, findings: findings, reserved: &reserved)
                    case .load(let outcome, let replacing):
                        entry.action = .load(outcome)
                        entry.replacing = replacing
                        try placeColumnar(&entry, reserved: &reserved)
                        try writePartialLoadFiles(&entry, outcome: outcome)
                    }
                }
            case .duplicate:
                guard let earlier = try ledger.loadedEntry(sha256: entry.record.sha256, table: table.name) else {
                    // Forgotten since the preparer looked: take it again next run.
                    throw PipelineError(
                        code: .io, message: "\(entry.record.source): its earlier load is no longer current")
                }
                entry.action = .duplicate(of: earlier)
                entry.record = duplicateRecord(entry.record, of: earlier)
            case .quarantine(let findings):
                try writeQuarantineReport(&entry, findings: findings, reserved: &reserved)
            case .deferred, .finishMove:
                break
            }
            if entry.prepared.job.origin == .inbox, workspace.config.afterLoad == .archive,
                entry.record.status != .deferred
            {
                if case .quarantine = entry.action {
                } else if case .finishMove = entry.action {
                } else {
                    let destination = uniqueDestination(
                        for: entry.record.source, in: workspace.layout.archive, reserved: reserved)
                    reserved.insert(destination.path)
                    entry.record.storedAt = destination.path
                }
            }
        } catch {
            defer_(&entry, error)
        }
    }

    /// Renames the `.scol` file from its hidden name to `<name>-<sha8>.scol`, never over a file.
    private func placeColumnar(_ entry: inout Entry, reserved: inout Set<String>) throws {
        guard let columnar = entry.prepared.columnar else { return }
        entry.written.append(columnar.path)
        let wanted = ColumnarExport.fileName(for: entry.record.source, sha256: entry.record.sha256)
        let destination = uniqueDestination(for: wanted, in: workspace.layout.columnar, reserved: reserved)
        reserved.insert(destination.path)
        try files.rename(columnar.path, to: destination.path)
        entry.written = [destination.path]
        entry.record.columnarFile = destination.path
    }

    /// For a partially loaded file: its refused rows and their reason report, in `failed/`.
    private func writePartialLoadFiles(_ entry: inout Entry, outcome: ValidationOutcome) throws {
        var record = entry.record
        var notes: [String] = []
        if record.rowsDroppedMissing > 0 { notes.append("\(record.rowsDroppedMissing) with a missing value dropped") }
        if record.rowsDroppedDuplicate > 0 { notes.append("\(record.rowsDroppedDuplicate) repeated rows dropped") }
        if record.rowsRejected > 0 { notes.append("\(record.rowsRejected) bad rows rejected") }
        if record.rowsReplaced > 0 {
            notes.append("\(record.rowsReplaced) replaced rows loaded before under the same key")
        }
        if record.rowsIgnored > 0 { notes.append("\(record.rowsIgnored) rows ignored, their key was loaded before") }
        record.message =
            "\(record.source): loaded \(record.rowsLoaded) of \(record.rowsRead) rows"
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
        defer { entry.record = record }
        guard let findings = entry.prepared.findings, !findings.rejectedRows.isEmpty else { return }
        let destination = uniqueDestination(
            for: record.source, in: workspace.layout.failed, suffixes: [".rejected.csv", ".errors.json"])
        let rowsURL = URL(fileURLWithPath: destination.path + ".rejected.csv")
        try writeRejectedRows(findings, to: rowsURL)
        entry.written.append(rowsURL.path)
        record.rejectedRowsFile = rowsURL.path
        record.hint = findings.hint
        let report = try writeReport(findings, record: record, status: "partially-loaded", next: destination)
        entry.written.append(report.path)
        record.errorsReport = report.path
    }

    /// For a refused file: its reason report, beside where the file will go in `failed/`.
    private func writeQuarantineReport(_ entry: inout Entry, findings: FileCheck.Findings, reserved: inout Set<String>)
        throws
    {
        var record = entry.record
        record.status = .rejected
        record.reason = findings.reason
        record.message = findings.message
        record.hint = findings.hint
        record.rowsLoaded = 0
        let destination = uniqueDestination(
            for: record.source, in: workspace.layout.failed, suffixes: [".errors.json"], reserved: reserved)
        reserved.insert(destination.path)
        let report = try writeReport(findings, record: record, status: "rejected", next: destination)
        entry.written.append(report.path)
        record.errorsReport = report.path
        // A user's file that is not regular is never opened, so it is not copied either.
        let copyable =
            entry.prepared.job.origin == .inbox
            || (findings.reason != .notRegularFile && findings.reason != .symbolicLink)
        record.storedAt = copyable ? destination.path : nil
        entry.record = record
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
        duplicate.contentDigest = nil
        duplicate.dialect = nil
        duplicate.header = nil
        duplicate.message =
            "\(record.source): the same bytes were loaded before (ledger entry \(earlier)); nothing loaded again"
        return duplicate
    }

    // MARK: 3. The transaction

    /// Records every entry in one transaction, each in its own savepoint. Returns the files
    /// whose rows the warehouse refused, to be quarantined.
    private func record(_ entries: inout [Entry]) throws -> [PreparedFile] {
        var refused: [PreparedFile] = []
        var refusedIndices = IndexSet()
        rollups.discardPending()
        try warehouse.withTransaction {
            for index in entries.indices {
                if case .finishMove = entries[index].action { continue }
                var record = entries[index].record
                // Two deliveries of the same bytes in one group: the second is a duplicate of the first.
                if case .load = entries[index].action,
                    let earlier = try ledger.loadedEntry(sha256: record.sha256, table: table.name)
                {
                    removeQuietly(entries[index].written)
                    entries[index].written = []
                    entries[index].action = .duplicate(of: earlier)
                    record = duplicateRecord(record, of: earlier)
                }
                do {
                    try warehouse.connection.withSavepoint(named: "file") {
                        let id = try ledger.append(record, table: table.name, json: ledgerJSON)
                        record.ledgerID = id
                        if case .load(let outcome) = entries[index].action {
                            _ = try deleteReplacedRows(entries[index].replacing, by: id)
                            try warehouse.insert(
                                ColumnBatch(outcome, types: workspace.schema.columns.map(\.type), ingestID: id),
                                into: table)
                        }
                    }
                    if case .load(let outcome) = entries[index].action {
                        // A keyed table's rows may change at commit: counted here, not in advance.
                        let precounted = table.uniqueKey.isEmpty ? entries[index].prepared.rollups : nil
                        try rollups.add(outcome, precounted: precounted)
                    }
                    entries[index].record = record
                } catch let error as SQLiteError
                    where error.isConstraintViolation || error.code == 20 /* SQLITE_MISMATCH */
                {
                    removeQuietly(entries[index].written)
                    refused.append(warehouseRefusal(entries[index], error: error))
                    refusedIndices.insert(index)
                }
            }
            try rollups.flushPending()
        }
        // The refused ones are recorded by a commit of their own.
        for index in refusedIndices.reversed() { entries.remove(at: index) }
        return refused
    }

    private func warehouseRefusal(_ entry: Entry, error: SQLiteError) -> PreparedFile {
        let message = "\(entry.record.source): the warehouse refused its rows: \(error.message)"
        let issue = ErrorEntry(
            code: .warehouseRefused, line: 0, message: message,
            hint: "check the warehouse table against the schema (sluice verify)")
        var prepared = entry.prepared
        prepared.columnar = nil
        prepared.identity = nil
        prepared.stage = .refused(FileCheck.Findings(.warehouseRefused, issue, message: message))
        return prepared
    }

    // MARK: 4. After the commit

    private func finishFiles(_ entries: [Entry]) {
        for entry in entries {
            let job = entry.prepared.job
            switch entry.action {
            case .finishMove(let id, let destination):
                finishMove(job, to: destination)
                logger.notice(
                    "\(job.source): finished moving a file committed before a restart", metadata: ["ledger": "\(id)"])
                continue
            case .deferred:
                removeQuietly(entry.written)
                logger.warning(
                    "\(entry.record.message)", metadata: ["reason": "\(entry.record.reason?.rawValue ?? "")"])
                continue
            case .quarantine:
                if let destination = entry.record.storedAt {
                    if job.origin == .inbox {
                        finishMove(job, to: destination)
                    } else {
                        do { try FileManager.default.copyItem(atPath: job.url.path, toPath: destination) } catch {
                            logger.error(
                                "\(job.source): cannot copy it to \(destination): \(error.localizedDescription)")
                        }
                    }
                } else if job.origin == .inbox {
                    finishMove(job, to: nil)
                }
                logger.warning(
                    "\(entry.record.message)",
                    metadata: [
                        "report": "\(entry.record.errorsReport ?? "")",
                        "reason": "\(entry.record.reason?.rawValue ?? "")",
                    ])
            case .load, .duplicate:
                if job.origin == .inbox { finishMove(job, to: entry.record.storedAt) }
                if entry.record.status == .duplicate {
                    logger.notice("\(entry.record.message)", metadata: ["sha256": "\(entry.record.sha256)"])
                } else {
                    logger.info(
                        "\(entry.record.message)",
                        metadata: [
                            "sha256": "\(entry.record.sha256)", "ledger": "\(entry.record.ledgerID ?? 0)",
                        ])
                }
            }
        }
    }

    /// Moves a committed inbox file out of the work area (or deletes it when `destination` is
    /// `nil`), then removes its claim folder. A failure is logged: the next run finds the file
    /// and its ledger row, and finishes the move.
    private func finishMove(_ job: IngestJob, to destination: String?) {
        do {
            if let destination {
                try files.rename(job.url.path, to: destination)
            } else {
                try files.removeFile(job.url.path)
            }
        } catch {
            logger.error("\(job.source): \(error); the next run finishes the move")
            return
        }
        // A claim folder (`.work/<time>-<random>/<name>`) goes with its file.
        let path = job.url.path
        guard let slash = path.lastIndex(of: "/") else { return }
        let folder = String(path[..<slash])
        if let parent = folder.lastIndex(of: "/"), folder[..<parent] == workspace.layout.work.path {
            try? files.removeDirectory(folder)
        }
    }

    private func removeQuietly(_ paths: [String]) {
        for path in paths { try? files.removeFile(path) }
    }
}
