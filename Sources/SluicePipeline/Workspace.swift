import Foundation
import SluiceSchema
import SluiceWarehouse

/// A Sluice workspace: its folders, its configuration and the schema it loads against.
///
/// ```swift
/// let workspace = try Workspace.open(at: URL(fileURLWithPath: "sluice-demo"))
/// let ingestor = try Ingestor(workspace: workspace, logger: logger)
/// let records = try ingestor.ingestInbox()
/// ```
public struct Workspace: Sendable {
    /// Where everything lives.
    public var layout: WorkspaceLayout
    /// The parsed `sluice.yaml`.
    public var config: WorkspaceConfig
    /// The schema files are checked against.
    public var schema: Schema
    /// The warehouse table rows are loaded into.
    public var tableName: String

    /// Opens an existing workspace: reads `sluice.yaml` and the schema it names.
    ///
    /// - Throws: ``PipelineError`` `not-a-workspace` when there is no `sluice.yaml`, or
    ///   `configuration` (with file, line and column) when it or the schema is wrong.
    public static func open(at root: URL) throws -> Workspace {
        let layout = WorkspaceLayout(root: root)
        let configPath = layout.configFile.path
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw PipelineError(
                code: .notAWorkspace,
                message: "\(layout.root.path) is not a Sluice workspace (no \(WorkspaceLayout.configFileName))",
                path: layout.root.path, operation: "open",
                hint: "create one here, or open the folder that holds sluice.yaml")
        }
        do {
            let text = try String(contentsOfFile: configPath, encoding: .utf8)
            let config = try WorkspaceConfig(yaml: text, file: configPath)
            let schema: Schema
            if let inline = config.inlineSchema {
                schema = inline
            } else {
                let schemaPath = config.schemaPath ?? ""
                let resolved =
                    schemaPath.hasPrefix("/") ? schemaPath : layout.root.appendingPathComponent(schemaPath).path
                schema = try SchemaLoader.load(contentsOf: resolved)
            }
            guard let table = config.table ?? schema.table else {
                throw PipelineError(
                    code: .configuration,
                    message:
                        "\(configPath): the schema names no table (the flat legacy format has none); add `table: NAME` to \(WorkspaceLayout.configFileName)"
                )
            }
            if let problem = SchemaChecks.problem(withTable: table) {
                throw PipelineError(code: .configuration, message: "\(configPath): \(problem)")
            }
            return Workspace(layout: layout, config: config, schema: schema, tableName: table)
        } catch let error as SchemaError {
            throw PipelineError(code: .configuration, message: error.description, path: error.file, cause: error)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(
                code: .configuration, message: "cannot read \(configPath): \(error.localizedDescription)",
                path: configPath, operation: "read", cause: error)
        }
    }

    /// The row policy in force: the schema's, with `sluice.yaml`'s `cleaning:` overrides applied.
    public var policy: SchemaPolicy {
        config.overrides.applied(to: schema.policy)
    }

    /// The warehouse table for the schema: one `STRICT` column per schema column (`NOT NULL`
    /// when required) plus `_ingest_id`, the ledger entry each row came from.
    public var warehouseTable: WarehouseTable {
        var columns = schema.columns.map { column in
            WarehouseColumn(name: column.name, type: column.type.warehouseType, isNotNull: column.isRequired)
        }
        columns.append(WarehouseColumn(name: Ledger.ingestIDColumn, type: .integer))
        var table = WarehouseTable(name: tableName, columns: columns)
        table.uniqueKey = schema.primaryKey?.columns ?? []
        return table
    }

    /// The saved reports in `queries/`.
    public func reports() throws -> ReportCatalog {
        try ReportCatalog(directory: layout.queries)
    }
}

extension ColumnType {
    /// The SQLite storage type of this schema type: dates and timestamps are ISO 8601 text (so
    /// SQLite's date functions read them), booleans 0/1.
    var warehouseType: WarehouseColumnType {
        switch self {
        case .integer, .boolean: .integer
        case .real: .real
        case .text, .date, .timestamp: .text
        }
    }
}
