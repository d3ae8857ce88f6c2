import Foundation

/// Where a workspace keeps each of its parts. Paths are absolute.
///
/// ```
/// sluice.yaml        configuration
/// inbox/             drop CSVs here
/// failed/            quarantined files + <name>.errors.json
/// columnar/          one .scol file per accepted input (a later stage)
/// archive/           processed originals
/// .work/             files claimed from the inbox and being processed
/// queries/           saved reports, q1_….sql …
/// warehouse.sqlite   the SQLite warehouse, with the ingest ledger
/// sluice.log         one line per event
/// ```
public struct WorkspaceLayout: Sendable, Hashable {
    /// The workspace folder.
    public var root: URL
    /// `sluice.yaml`.
    public var configFile: URL { root.appendingPathComponent(Self.configFileName) }
    /// Folder watched for new CSV files.
    public var inbox: URL
    /// Quarantine for rejected files and their reason reports.
    public var failed: URL
    /// Columnar copies of accepted files.
    public var columnar: URL
    /// Where inbox files go once loaded.
    public var archive: URL
    /// The work area: inbox files are claimed by renaming them in here, so that a file is
    /// processed by one process only and a restart knows what was in flight.
    public var work: URL
    /// Saved SQL reports.
    public var queries: URL
    /// The SQLite warehouse file.
    public var warehouse: URL
    /// The human-readable event log.
    public var log: URL

    /// The configuration file's name.
    public static let configFileName = "sluice.yaml"

    /// The default layout under `root`.
    public init(root: URL) {
        let root = root.standardizedFileURL
        self.root = root
        inbox = root.appendingPathComponent("inbox", isDirectory: true)
        failed = root.appendingPathComponent("failed", isDirectory: true)
        columnar = root.appendingPathComponent("columnar", isDirectory: true)
        archive = root.appendingPathComponent("archive", isDirectory: true)
        work = root.appendingPathComponent(".work", isDirectory: true)
        queries = root.appendingPathComponent("queries", isDirectory: true)
        warehouse = root.appendingPathComponent("warehouse.sqlite")
        log = root.appendingPathComponent("sluice.log")
    }

    /// The folders a workspace needs, in creation order.
    public var folders: [URL] { [inbox, failed, columnar, archive, queries, work] }

    /// Creates every missing folder.
    public func createFolders() throws {
        for folder in [root] + folders {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw PipelineError(code: .io, message: "cannot create \(folder.path): \(error.localizedDescription)")
            }
        }
    }
}
