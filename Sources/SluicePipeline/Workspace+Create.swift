import Foundation
import SluiceSchema
import SluiceWarehouse

extension Workspace {
    /// Creates a workspace: the folders, a copy of the schema file, the saved reports that fit
    /// the schema, and `sluice.yaml`.
    ///
    /// The schema is loaded and checked before anything is written, and a failure part-way
    /// removes everything this call created, so a failed `init` leaves nothing behind. Of the
    /// reports in `queries`, only those that compile against the schema's table (every table
    /// and column they name exists) are copied; a new workspace that gets none of them gets a
    /// starter report for its table instead. An existing `sluice.yaml` is kept as it is (only
    /// missing folders and fitting reports are added), so running `init` twice is harmless.
    /// - Parameters:
    ///   - root: The workspace folder (created if needed).
    ///   - schemaFile: The schema to copy in.
    ///   - queries: A folder of `*.sql` reports to copy into `queries/` (existing files are kept).
    /// - Returns: The opened workspace.
    @discardableResult
    public static func create(at root: URL, schemaFile: URL, queries: URL?) throws -> Workspace {
        let layout = WorkspaceLayout(root: root)
        let fileManager = FileManager.default
        let existing: Workspace? = fileManager.fileExists(atPath: layout.configFile.path) ? try open(at: root) : nil
        var schema: Schema
        if let existing {
            schema = existing.schema
        } else {
            do { schema = try SchemaLoader.load(contentsOf: schemaFile.path) } catch {
                throw PipelineError(code: .configuration, message: error.description, cause: error)
            }
        }
        var created = CreatedPaths()
        do {
            for folder in [layout.root] + layout.folders where !fileManager.fileExists(atPath: folder.path) {
                do { try fileManager.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                    throw PipelineError(
                        code: .io, message: "cannot create \(folder.path): \(error.localizedDescription)")
                }
                created.add(folder)
            }
            if existing == nil {
                let copiedSchema = layout.root.appendingPathComponent(schemaFile.lastPathComponent)
                if try copyIfMissing(schemaFile, to: copiedSchema) { created.add(copiedSchema) }
                let table = schema.table == nil ? "data" : nil
                let text = WorkspaceConfig.template(schemaFile: schemaFile.lastPathComponent, table: table)
                do { try text.write(to: layout.configFile, atomically: true, encoding: .utf8) } catch {
                    throw PipelineError(
                        code: .io, message: "cannot write \(layout.configFile.path): \(error.localizedDescription)")
                }
                created.add(layout.configFile)
            }
            let tableName = existing?.tableName ?? schema.table ?? "data"
            if schema.table == nil { schema.table = tableName }
            var copied = 0
            if let queries {
                for report in try fittingReports(in: queries, schema: schema, table: tableName) {
                    let destination = layout.queries.appendingPathComponent(report.lastPathComponent)
                    if try copyIfMissing(report, to: destination) { created.add(destination) }
                    copied += 1
                }
            }
            // A starter report only when reports were offered and none fits (`sluice init --schema`);
            // without a reports folder nothing is written into `queries/`.
            if existing == nil, queries != nil, copied == 0 {
                let starter = layout.queries.appendingPathComponent(StarterReport.fileName(table: tableName))
                do {
                    try StarterReport.sql(schema: schema, table: tableName).write(
                        to: starter, atomically: true, encoding: .utf8)
                } catch {
                    throw PipelineError(
                        code: .io, message: "cannot write \(starter.path): \(error.localizedDescription)")
                }
                created.add(starter)
            }
            return try open(at: root)
        } catch {
            created.removeAll()
            throw error
        }
    }

    /// The `*.sql` files of `folder` that compile against `schema`'s table (named `table`), in
    /// name order: each is prepared on an empty in-memory database holding only that table, so
    /// a report naming another table or a missing column is left out.
    static func fittingReports(in folder: URL, schema: Schema, table: String) throws -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let probe = try Warehouse(path: ":memory:")
        var columns = schema.columns.map {
            WarehouseColumn(name: $0.name, type: $0.type.warehouseType, isNotNull: $0.isRequired)
        }
        columns.append(WarehouseColumn(name: Ledger.ingestIDColumn, type: .integer))
        let source = WarehouseTable(name: table, columns: columns)
        try probe.createTableIfNeeded(source)
        // A report that reads a rollup (`-- rollup:`) fits when its rollup can be kept on this
        // table: the rollup tables are made in the probe too.
        let urls = names.filter { $0.hasSuffix(".sql") }.sorted().map { folder.appendingPathComponent($0) }
        let reports = urls.compactMap { try? SavedReport(contentsOf: $0) }
        for rollup in RollupDefinition.declared(by: reports, table: source).rollups {
            try? RollupStore(warehouse: probe).create(rollup, source: source)
        }
        return urls.filter { url in
            guard let sql = try? String(contentsOf: url, encoding: .utf8) else { return false }
            return (try? probe.connection.prepare(sql)) != nil
        }
    }

    /// Copies unless the destination exists; returns whether it copied.
    private static func copyIfMissing(_ source: URL, to destination: URL) throws -> Bool {
        guard !FileManager.default.fileExists(atPath: destination.path) else { return false }
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            throw PipelineError(
                code: .io, message: "cannot copy \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
        return true
    }
}

/// The files and folders one `create` call made, removed again (newest first) when it fails.
private struct CreatedPaths {
    private var paths: [URL] = []

    mutating func add(_ url: URL) { paths.append(url) }

    func removeAll() {
        for url in paths.reversed() { try? FileManager.default.removeItem(at: url) }
    }
}

/// The report `init` writes for a table no bundled report knows: its rows, its deliveries, and
/// the range of its first few numeric, date and timestamp columns.
enum StarterReport {
    /// `<table>_summary.sql`, the table name made file-safe.
    static func fileName(table: String) -> String {
        let safe = HeaderNormalizer.normalize(table)
        return (safe.isEmpty ? "table" : safe) + "_summary.sql"
    }

    /// Plain SQL that runs in Sluice and in the stock `sqlite3` shell.
    static func sql(schema: Schema, table: String) -> String {
        var selections = [
            "COUNT(*) AS rows", "COUNT(DISTINCT \(SQLiteIdentifier.quote(Ledger.ingestIDColumn))) AS deliveries",
        ]
        let ranged = schema.columns.filter { $0.type.isNumeric || $0.type.isTemporal }.prefix(4)
        for column in ranged {
            let name = SQLiteIdentifier.quote(column.name)
            selections.append("MIN(\(name)) AS \(SQLiteIdentifier.quote("min_" + column.name))")
            selections.append("MAX(\(name)) AS \(SQLiteIdentifier.quote("max_" + column.name))")
        }
        let described =
            ranged.isEmpty ? "" : ", and the smallest and largest " + ranged.map(\.name).joined(separator: ", ")
        return """
            -- title: \(table): rows and ranges
            -- description: Starter report written by sluice init: the rows and deliveries loaded\(described). Edit it, or add your own .sql files next to it.
            -- chart: table
            SELECT
              \(selections.joined(separator: ",\n  "))
            FROM \(SQLiteIdentifier.quote(table));

            """
    }
}
