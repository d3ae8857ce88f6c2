import Foundation

extension Workspace {
    /// Names that are never claimed: hidden files and the usual temporary names of a file still
    /// being written (write-then-rename). `ingest` and `watch` both go by it.
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".partial") || name.hasSuffix(".crdownload") || name.hasSuffix(".swp")
    }

    /// The names of the deliveries waiting in `inbox/`, in name order, escaped where they are not
    /// printable (see ``DeliveryName``). Folders, hidden files and temporary names are skipped;
    /// FIFOs, devices and symbolic links are listed (claiming refuses them with a reason).
    public func waitingNames() throws -> [String] {
        try waitingEntries().map(\.displayName)
    }

    /// The entries of `inbox/` that a run claims.
    func waitingEntries(files: PipelineFiles = PipelineFiles()) throws -> [DirectoryEntry] {
        do {
            return try files.entries(of: layout.inbox.path).filter { entry in
                entry.kind != .directory && !Self.isTemporaryName(entry.displayName) && entry.rawName.first != 0x2E
            }
        } catch {
            throw PipelineError(code: .io, message: "cannot list \(layout.inbox.path)", cause: error)
        }
    }

    /// Claims an inbox entry by renaming it into the work area (`.work/<name>`): atomic, so a
    /// file is taken once, and a restart finds it there. The name keeps its length; when a file
    /// of that name is already in flight, the claim goes into a folder of its own
    /// (`.work/<time>-<random>/<name>`). A name that is not printable UTF-8 is stored escaped.
    /// The caller holds the workspace lock: no other process claims meanwhile.
    ///
    /// - Returns: The job, or `nil` when the file vanished before it could be claimed.
    /// - Throws: ``PipelineError`` `io` (with the ``SystemCallError``) when the rename fails.
    func claim(_ entry: DirectoryEntry, files: PipelineFiles) throws -> IngestJob? {
        let source = entry.displayName
        let storedName = DeliveryName.fitted(source, maxBytes: DeliveryName.maxBytes)
        let inbox = Array(layout.inbox.path.utf8) + [0x2F] + entry.rawName
        var claimed = layout.work.path + "/" + storedName
        var folder: String?
        if files.identity(of: claimed) != nil {
            folder = layout.work.appendingPathComponent(Self.claimFolderName()).path
            claimed = folder! + "/" + storedName
            do {
                try files.makeDirectory(folder!)
            } catch {
                throw PipelineError(code: .io, message: "\(source): cannot claim it", cause: error)
            }
        }
        do {
            try files.rename(rawPath: inbox, to: claimed)
        } catch {
            if let folder { try? files.removeDirectory(folder) }
            if error.errno == ENOENT { return nil }
            throw PipelineError(code: .io, message: "\(source): cannot claim it", cause: error)
        }
        return IngestJob(url: URL(fileURLWithPath: claimed), source: source, origin: .inbox)
    }

    /// Claims the inbox file at `file` (see ``claim(_:files:)``).
    public func claim(_ file: URL) throws -> IngestJob? {
        let name = Array(file.lastPathComponent.utf8)
        return try claim(DirectoryEntry(rawName: name, kind: .regular), files: PipelineFiles())
    }

    /// The files in the work area: claimed by an earlier run that did not finish them (the
    /// caller holds the workspace lock, so no live process owns them). Empty claim folders,
    /// left by a run stopped between making the folder and the rename, are removed.
    public func claimedFiles() throws -> [IngestJob] {
        try claimedFiles(files: PipelineFiles())
    }

    func claimedFiles(files: PipelineFiles) throws -> [IngestJob] {
        guard FileManager.default.fileExists(atPath: layout.work.path) else { return [] }
        var jobs: [IngestJob] = []
        do {
            for entry in try files.entries(of: layout.work.path) {
                let path = layout.work.path + "/" + entry.displayName
                switch entry.kind {
                case .directory:
                    let inside = try files.entries(of: path)
                    if inside.isEmpty { try? files.removeDirectory(path) }
                    for file in inside {
                        jobs.append(
                            IngestJob(
                                url: URL(fileURLWithPath: path + "/" + file.displayName), source: file.displayName,
                                origin: .inbox))
                    }
                default:
                    jobs.append(IngestJob(url: URL(fileURLWithPath: path), source: entry.displayName, origin: .inbox))
                }
            }
        } catch {
            throw PipelineError(code: .io, message: "cannot list \(layout.work.path)", cause: error)
        }
        return jobs
    }

    /// `1764196547123456789-2864434397`: unique and time-ordered.
    static func claimFolderName() -> String {
        "\(DispatchTime.now().uptimeNanoseconds)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Moves the claims of an earlier version (`.work/<time>-<random>-<name>`) into folders of
    /// their own under their delivered names; done once, when the ledger is migrated.
    func convertEarlierClaims(files: PipelineFiles) throws {
        for entry in try files.entries(of: layout.work.path) where entry.kind != .directory {
            let parts = entry.displayName.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber) else { continue }
            let folder = layout.work.appendingPathComponent(Self.claimFolderName()).path
            try files.makeDirectory(folder)
            try files.rename(
                rawPath: Array(layout.work.path.utf8) + [0x2F] + entry.rawName, to: folder + "/" + String(parts[2]))
        }
    }
}
