import Foundation

extension Workspace {
    /// The files waiting in `inbox/`, oldest name first. Hidden files (`.name`) are skipped:
    /// by the write-then-rename convention they are still being written.
    public func waitingFiles() throws -> [URL] {
        try regularFiles(in: layout.inbox).filter { !$0.lastPathComponent.hasPrefix(".") }
    }

    /// Claims an inbox file by renaming it into the work area: atomic, so two processes never
    /// take the same file, and a restart finds it there.
    ///
    /// - Returns: The job for the claimed file, or `nil` when the file vanished before it could
    ///   be claimed (deleted or taken by another process).
    public func claim(_ file: URL) throws -> IngestJob? {
        let name = file.lastPathComponent
        let claimed = layout.work.appendingPathComponent(Self.workName(for: name))
        if rename(file.path, claimed.path) != 0 {
            if errno == ENOENT { return nil }
            throw PipelineError(code: .io, message: "cannot claim \(file.path): \(String(cString: strerror(errno)))")
        }
        return IngestJob(url: claimed, source: name, origin: .inbox)
    }

    /// The files in the work area: claimed by an earlier run that did not finish them.
    public func claimedFiles() throws -> [IngestJob] {
        guard FileManager.default.fileExists(atPath: layout.work.path) else { return [] }
        return try regularFiles(in: layout.work).map { url in
            IngestJob(url: url, source: Self.deliveredName(ofWorkName: url.lastPathComponent), origin: .inbox)
        }
    }

    /// `1764196547123456789-x.csv`: a unique, time-ordered name that keeps the delivered name.
    static func workName(for name: String) -> String {
        "\(DispatchTime.now().uptimeNanoseconds)-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    /// The delivered name inside a work-area name.
    static func deliveredName(ofWorkName name: String) -> String {
        let parts = name.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 ? String(parts[2]) : name
    }

    private func regularFiles(in folder: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw PipelineError(code: .io, message: "cannot list \(folder.path): \(error.localizedDescription)")
        }
        return names.sorted().map { folder.appendingPathComponent($0) }.filter { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
