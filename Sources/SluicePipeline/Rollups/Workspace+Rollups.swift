import Foundation
import SluiceWarehouse

/// One rollup as `sluice rollup` lists it (and `--rebuild` reports it).
public struct RollupStatus: Sendable, Hashable, Encodable {
    /// The rollup table, `sluice_rollup_<report>`.
    public var table: String
    /// The report that declares it.
    public var report: String
    /// The definition, canonically spelled.
    public var definition: String
    /// Rows (groups) in the table; `nil` when it is not built yet.
    public var rows: Int?
    /// Seconds the rebuild took (only from `--rebuild`).
    public var seconds: Double?
    /// Why it is not kept, when its header cannot be.
    public var problem: String?
}

extension Workspace {
    /// The rollups the saved reports declare, with the rows each table holds, and the headers
    /// that cannot be kept. Reads only.
    public func rollups() throws -> [RollupStatus] {
        let declared = RollupDefinition.declared(by: try reports().reports, table: warehouseTable)
        let warehouse =
            FileManager.default.fileExists(atPath: layout.warehouse.path)
            ? try Warehouse(path: layout.warehouse.path, readOnly: true) : nil
        var result: [RollupStatus] = []
        for rollup in declared.rollups {
            var rows: Int?
            if let warehouse {
                let store = RollupStore(warehouse: warehouse)
                if try store.tableExists(rollup.tableName) { rows = try store.rowCount(rollup) }
            }
            result.append(
                RollupStatus(
                    table: rollup.tableName, report: rollup.report, definition: rollup.canonicalText, rows: rows,
                    problem: rows == nil
                        ? "not built yet: the next ingest builds it, or `sluice rollup --rebuild`" : nil))
        }
        for problem in declared.problems {
            result.append(
                RollupStatus(
                    table: RollupDefinition.tablePrefix + problem.report, report: problem.report, definition: "",
                    problem: problem.message))
        }
        return result.sorted { $0.report < $1.report }
    }

    /// `verify`'s check of the rollups: each table against a recomputation from the data table.
    /// A rollup not built yet is reported; a header that cannot be kept is not (it is logged at load).
    func verifyRollups(_ warehouse: Warehouse) throws -> [VerifyFinding] {
        let declared = RollupDefinition.declared(by: try reports().reports, table: warehouseTable).rollups
        let store = RollupStore(warehouse: warehouse)
        return try declared.map { rollup in
            var finding = VerifyFinding(file: "rollup \(rollup.tableName)", ok: false)
            guard try store.tableExists(rollup.tableName) else {
                finding.problem = "not built yet (the next ingest builds it, or `sluice rollup --rebuild`)"
                return finding
            }
            finding.file += " (\(try store.rowCount(rollup)) groups)"
            if let registered = try store.registered().first(where: { $0.table == rollup.tableName }),
                registered.definition != rollup.canonicalText
            {
                finding.problem =
                    "built for another definition (\(registered.definition)); the next ingest rebuilds it, or `sluice rollup --rebuild`"
                return finding
            }
            if let difference = try store.difference(rollup, source: tableName) {
                finding.problem = "differs from \(tableName): \(difference); rebuild it with `sluice rollup --rebuild`"
                return finding
            }
            finding.ok = true
            return finding
        }
    }
}

extension Ingestor {
    /// Recomputes every rollup from the table, in one transaction (`sluice rollup --rebuild`).
    public func rebuildRollups() throws -> [RollupStatus] {
        do {
            return try rollups.rebuildAll().map {
                RollupStatus(
                    table: $0.definition.tableName, report: $0.definition.report,
                    definition: $0.definition.canonicalText,
                    rows: $0.rows, seconds: $0.seconds)
            }
                + rollups.problems.map {
                    RollupStatus(
                        table: RollupDefinition.tablePrefix + $0.report, report: $0.report, definition: "",
                        problem: $0.message)
                }
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(code: .warehouse, message: "cannot rebuild the rollups: \(error)", cause: error)
        }
    }
}
