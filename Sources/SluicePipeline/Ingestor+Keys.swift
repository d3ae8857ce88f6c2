import Foundation
import SluiceSchema
import SluiceWarehouse

/// One accepted row whose primary key the warehouse already holds.
struct KeyConflict: Sendable {
    /// The row's position among the file's accepted rows.
    var row: Int
    /// The key values.
    var values: [SQLiteValue]
    /// The ledger entry that loaded the row holding the key.
    var owner: Int64
}

/// What the writer does with a keyed file once its conflicts with the warehouse are known.
enum KeyDecision {
    /// Load these rows; `replacing` lists the warehouse rows they take the place of.
    case load(ValidationOutcome, replacing: [KeyConflict])
    /// Refuse the file (`on_conflict: reject` under `reject_file`, or too many refused rows).
    case quarantine(FileCheck.Findings)
}

/// The primary key at commit time. A keyed table is committed one file per transaction, so the
/// conflicts found before the transaction are exactly those it meets.
extension Ingestor {
    /// The table's key, if the schema has one.
    var keyColumns: KeyColumns? { KeyColumns(workspace.schema) }

    /// Applies `on_conflict` to a file about to load: finds its rows whose key the warehouse
    /// holds, then keeps them to replace (`replace`), leaves them out (`ignore`, counted in
    /// `rows_ignored`) or refuses them (`reject`: refused rows under `reject_rows`, the file
    /// under `reject_file`). A `.scol` file written for rows now left out is written again, so
    /// it always holds exactly the rows loaded.
    func resolveKeys(_ outcome: ValidationOutcome, record: inout IngestRecord, prepared: inout PreparedFile) throws
        -> KeyDecision
    {
        guard let key = keyColumns else { return .load(outcome, replacing: []) }
        let conflicts = try warehouseConflicts(outcome, key: key)
        guard !conflicts.isEmpty else { return .load(outcome, replacing: []) }
        switch key.key.onConflict {
        case .replace:
            record.rowsReplaced = conflicts.count
            return .load(outcome, replacing: conflicts)
        case .ignore:
            record.rowsIgnored = conflicts.count
            record.rowsLoaded -= conflicts.count
            return .load(try leavingOut(conflicts, of: outcome, record: &record, prepared: &prepared), replacing: [])
        case .reject:
            return try reject(conflicts, of: outcome, key: key, record: &record, prepared: &prepared)
        }
    }

    /// Deletes the warehouse rows a delivery replaces and records them (see ``Ledger/replacedRowsTable``).
    /// Runs in the delivery's savepoint, after its ledger row and before its rows.
    /// - Returns: The rows deleted.
    func deleteReplacedRows(_ conflicts: [KeyConflict], by id: Int64) throws -> Int {
        guard !conflicts.isEmpty, let key = keyColumns else { return 0 }
        let condition = key.key.columns.map { "\(SQLiteIdentifier.quote($0)) = ?" }.joined(separator: " AND ")
        let delete = try warehouse.cachedStatement(
            "DELETE FROM \(SQLiteIdentifier.quote(table.name)) WHERE \(condition)")
        defer { delete.reset() }
        var deleted = 0
        for conflict in conflicts {
            try rollups.subtract(rowsWhere: condition, values: conflict.values)
            delete.reset()
            try delete.bind(conflict.values)
            _ = try delete.step()
            guard warehouse.connection.changes > 0 else { continue }
            deleted += warehouse.connection.changes
            try ledger.recordReplaced(id: conflict.owner, replacedBy: id, key: KeyText.of(conflict.values))
        }
        return deleted
    }

    /// The accepted rows whose key a warehouse row holds, with that row's ledger entry.
    private func warehouseConflicts(_ outcome: ValidationOutcome, key: KeyColumns) throws -> [KeyConflict] {
        let condition = key.key.columns.map { "\(SQLiteIdentifier.quote($0)) = ?" }.joined(separator: " AND ")
        let lookup = try warehouse.cachedStatement(
            "SELECT \(SQLiteIdentifier.quote(Ledger.ingestIDColumn)) FROM \(SQLiteIdentifier.quote(table.name)) WHERE \(condition) LIMIT 1"
        )
        defer { lookup.reset() }
        var conflicts: [KeyConflict] = []
        for row in 0..<outcome.rowsAccepted {
            let values = key.values(of: outcome, row: row)
            lookup.reset()
            try lookup.bind(values)
            if try lookup.step() { conflicts.append(KeyConflict(row: row, values: values, owner: lookup.int64(at: 0))) }
        }
        return conflicts
    }

    /// The outcome without the conflicting rows, its `.scol` file and digest written again.
    private func leavingOut(
        _ conflicts: [KeyConflict], of outcome: ValidationOutcome, record: inout IngestRecord,
        prepared: inout PreparedFile
    ) throws -> ValidationOutcome {
        var keep = Array(repeating: true, count: outcome.rowsAccepted)
        for conflict in conflicts { keep[conflict.row] = false }
        let kept = outcome.keepingRows(keep)
        prepared.contentDigest = ContentDigest.of(kept, types: workspace.schema.columns.map(\.type))
        record.contentDigest = prepared.contentDigest
        if let old = prepared.columnar {
            let folder = URL(fileURLWithPath: old.path).deletingLastPathComponent()
            let pending = folder.appendingPathComponent(".pending-\(UInt64.random(in: 0...UInt64.max)).scol")
            do {
                prepared.columnar = try ColumnarExport.write(
                    kept, schema: workspace.schema, to: pending,
                    metadata: [
                        "source": prepared.job.source, "sha256": prepared.sha256, "table": table.name,
                        "writer": "sluice",
                    ])
            } catch {
                try? files.removeFile(pending.path)
                throw PipelineError(
                    code: .io, message: "\(prepared.job.source): cannot write its columnar file", cause: error)
            }
            try? files.removeFile(old.path)
        }
        return kept
    }

    /// `on_conflict: reject`: the conflicting rows become refused rows (with their line, text and
    /// a `duplicate-key` error), or the whole file is refused under `reject_file` or when the
    /// refused rows pass `max_error_rate`.
    private func reject(
        _ conflicts: [KeyConflict], of outcome: ValidationOutcome, key: KeyColumns, record: inout IngestRecord,
        prepared: inout PreparedFile
    ) throws -> KeyDecision {
        guard var findings = prepared.findings else { return .load(outcome, replacing: []) }
        let policy = workspace.policy
        let sources = findings.acceptedSources.count == outcome.rowsAccepted ? findings.acceptedSources : []
        var owners: [Int64: String] = [:]
        var entries: [ErrorEntry] = []
        for conflict in conflicts {
            let known =
                try owners[conflict.owner]
                ?? ledger.entry(id: conflict.owner).map { "\($0.source) (ledger entry \($0.id))" }
            let owner = known ?? "ledger entry \(conflict.owner)"
            owners[conflict.owner] = owner
            let source = sources.isEmpty ? nil : sources[conflict.row]
            let shown = KeyText.display(conflict.values, columns: key.key.columns)
            entries.append(
                ErrorEntry(
                    code: InFileKeys.code, rule: InFileKeys.rule, line: outcome.sourceLines[conflict.row],
                    record: source?.record ?? 0,
                    byteOffset: source?.byteOffset ?? 0, column: key.key.columns.joined(separator: ","), value: shown,
                    message: "primary key (\(shown)) was loaded before by \(owner)",
                    hint:
                        "set on_conflict: replace to take the new rows, or ignore to keep the loaded ones; or forget the earlier delivery"
                ))
        }
        let cap = policy.cleaning.maxReportedIssues
        findings.errors = Array((findings.errors + entries).sorted { $0.line < $1.line }.prefix(cap))
        findings.countsByCode[InFileKeys.code, default: 0] += conflicts.count
        findings.countsByRule[InFileKeys.rule, default: 0] += conflicts.count
        findings.totalErrors += conflicts.count
        let refusedRows = record.rowsRejected + conflicts.count
        let rate = record.rowsRead == 0 ? 0 : Double(refusedRows) / Double(record.rowsRead)
        let first =
            "\(conflicts.count) row(s) have a primary key loaded before, first at line \(outcome.sourceLines[conflicts[0].row]): "
            + "(\(KeyText.display(conflicts[0].values, columns: key.key.columns))) by \(owners[conflicts[0].owner] ?? "?")"
        if policy.onError == .rejectFile || rate > policy.maxErrorRate {
            findings.reason = policy.onError == .rejectFile ? .duplicateKey : .tooManyErrors
            findings.message = "\(record.source): \(first)"
            findings.hint =
                policy.onError == .rejectFile
                ? "set on_conflict: replace to take the new rows, or ignore to keep the loaded ones (or on_error: reject_rows)"
                : "fix the file, or raise max_error_rate in the schema"
            findings.outcome = nil
            findings.rows.rejected += findings.rows.loaded
            findings.rows.loaded = 0
            record.rowsRejected = findings.rows.rejected
            record.rowsLoaded = 0
            record.contentDigest = nil
            if let old = prepared.columnar { try? files.removeFile(old.path) }
            prepared.columnar = nil
            prepared.stage = .checked(findings)
            return .quarantine(findings)
        }
        if !sources.isEmpty {
            findings.rejectedRows += conflicts.map {
                FileCheck.RejectedRow(line: sources[$0.row].line, text: sources[$0.row].text)
            }
            findings.rejectedRows.sort { $0.line < $1.line }
        }
        findings.message = "\(record.source): \(first); the other rows were loaded"
        findings.hint =
            "fix the rows in the .rejected.csv file and deliver it again (sluice retry), or set on_conflict: replace"
        record.rowsRejected = refusedRows
        record.rowsLoaded -= conflicts.count
        findings.rows.rejected = refusedRows
        findings.rows.loaded = record.rowsLoaded
        let kept = try leavingOut(conflicts, of: outcome, record: &record, prepared: &prepared)
        findings.outcome = kept
        prepared.stage = .checked(findings)
        return .load(kept, replacing: [])
    }
}

extension Ingestor {
    /// Puts the table's `UNIQUE` index on the key columns in place (or drops it when the schema
    /// has no key any more).
    /// - Throws: ``PipelineError`` `configuration` when the rows already loaded repeat a key.
    func ensurePrimaryKeyIndex() throws {
        let repeated: [String]
        do {
            repeated = try warehouse.ensureUniqueKey(of: table)
        } catch {
            throw PipelineError(
                code: .warehouse, message: "cannot index the primary key of table '\(table.name)': \(error)",
                cause: error)
        }
        guard !repeated.isEmpty else { return }
        throw PipelineError(
            code: .configuration,
            message:
                "table '\(table.name)' already holds rows that repeat the primary key (\(table.uniqueKey.joined(separator: ", "))): "
                + repeated.joined(separator: "; ")
                + "; forget the deliveries that repeat them (sluice forget), load into a new table, or change primary_key"
        )
    }
}
