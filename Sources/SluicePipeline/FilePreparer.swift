import Foundation
import SluiceCSV
import SluiceColumnar
import SluiceSchema

/// One file to ingest: where to read it now, what it was called when delivered, and whether
/// Sluice owns it (may move it) or only reads it.
public struct IngestJob: Sendable, Hashable {
    /// Where the bytes are now (the inbox, the work area, or a path the user gave).
    public var url: URL
    /// The file name as delivered (`student-mat.csv`), escaped where it is not printable.
    public var source: String
    /// Who owns the file afterwards.
    public var origin: IngestOrigin
    /// Whether an interrupted run claimed it (its outcome may be committed already).
    var isRecovered = false

    /// Creates a job.
    public init(url: URL, source: String? = nil, origin: IngestOrigin) {
        self.url = url
        self.source = source ?? DeliveryName.display(url.lastPathComponent)
        self.origin = origin
    }
}

/// A file read, hashed and checked, ready for the serial writer: everything but the database
/// and the file moves. Made on any thread.
struct PreparedFile: Sendable {
    /// How the prepare stage ended for this file.
    enum Stage: Sendable {
        /// Read and checked: ``PreparedFile/findings`` says whether it loads.
        case checked(FileCheck.Findings)
        /// Its hash was loaded before: not parsed (the writer confirms and records a duplicate).
        case alreadyLoaded
        /// Refused before it was parsed (too large, not a regular file, a link, unreadable).
        case refused(FileCheck.Findings)
        /// Put off by a transient failure; it stays where it is for the next run.
        case deferred(RejectionReason, PipelineError)
    }

    var job: IngestJob
    var size: Int
    /// SHA-256 of the bytes; empty when the file was not read.
    var sha256 = ""
    var stage: Stage
    /// Which file was read, to check at commit time that it is still the same.
    var identity: FileIdentity?
    /// The `.scol` file written for the accepted rows, under a hidden temporary name until the
    /// commit that names it.
    var columnar: ColumnarFileSummary?
    /// Digest of the accepted rows (see ``ContentDigest``).
    var contentDigest: String?
    /// The accepted rows' rollup groups, counted here rather than by the writer.
    var rollups: PrecountedRollups?

    /// The findings of a checked file.
    var findings: FileCheck.Findings? {
        if case .checked(let findings) = stage { return findings }
        return nil
    }
}

/// The parallel stage of an ingest: read, hash, sniff, parse, clean and validate one file.
/// A value type holding only settings, so many can run at once.
struct FilePreparer: Sendable {
    let settings: FileCheck.Settings
    let maxFileBytes: Int
    /// Where `.scol` files go; `nil` writes none.
    let columnarFolder: URL?
    let table: String
    let followSymlinks: Bool
    let files: PipelineFiles
    /// Whether a hash was loaded before (so the file needs no parse).
    let isLoaded: @Sendable (String) -> Bool
    /// The headers mapped so far, shared by every copy of this preparer.
    let headers = HeaderCache()

    /// The rollups' counters; `nil` (or a keyed table, whose rows change at commit) leaves the
    /// counting to the writer.
    let rollupCounters: SharedRollupCounters?

    init(
        workspace: Workspace, files: PipelineFiles, isLoaded: @escaping @Sendable (String) -> Bool = { _ in false },
        rollupCounters: SharedRollupCounters? = nil
    ) {
        self.rollupCounters = workspace.schema.primaryKey == nil ? rollupCounters : nil
        columnarFolder = workspace.config.writeColumnar ? workspace.layout.columnar : nil
        table = workspace.tableName
        settings = FileCheck.Settings(
            schema: workspace.schema, policy: workspace.policy, encoding: workspace.config.encoding,
            pins: workspace.config.pins, limits: workspace.config.limits)
        maxFileBytes = workspace.config.maxFileBytes
        followSymlinks = workspace.config.followSymlinks
        self.files = files
        self.isLoaded = isLoaded
    }

    func prepare(_ job: IngestJob) -> PreparedFile {
        let read: PipelineFiles.ReadResult
        switch files.readRegularFile(at: job.url.path, followSymlinks: followSymlinks, limit: maxFileBytes) {
        case .success(let result):
            read = result
        case .failure(let refusal):
            return refused(job, refusal)
        }
        let sha256 = SHA256.hexDigest(read.bytes)
        var prepared = PreparedFile(
            job: job, size: read.bytes.count, sha256: sha256, stage: .alreadyLoaded, identity: read.identity)
        if isLoaded(sha256) { return prepared }
        let findings = FileCheck(settings: settings, headers: headers).check(read.bytes, name: job.source)
        prepared.stage = .checked(findings)
        guard let outcome = findings.outcome else { return prepared }
        prepared.contentDigest = ContentDigest.of(outcome, types: settings.schema.columns.map(\.type))
        prepared.rollups = rollupCounters?.count(outcome)
        if let folder = columnarFolder {
            // A hidden name until the commit that names the file renames it into place.
            let pending = folder.appendingPathComponent(".pending-\(UInt64.random(in: 0...UInt64.max)).scol")
            do {
                try files.faults?.check(.write, path: pending.path)
                prepared.columnar = try ColumnarExport.write(
                    outcome, schema: settings.schema, to: pending,
                    metadata: [
                        "source": job.source, "sha256": sha256, "table": table, "writer": "sluice",
                    ])
            } catch {
                let failure = PipelineError(
                    code: .io, message: "\(job.source): cannot write its columnar file", cause: error)
                prepared.stage = .deferred(.ioError, failure)
            }
        }
        return prepared
    }

    /// The outcome for a file that was not read through.
    private func refused(_ job: IngestJob, _ refusal: PipelineFiles.ReadRefusal) -> PreparedFile {
        let size = files.identity(of: job.url.path)?.size ?? 0
        func refuse(
            _ reason: RejectionReason, _ code: ValidationIssue.Code, _ message: String, _ hint: String
        ) -> PreparedFile {
            let entry = ErrorEntry(code: code, line: 0, message: message, hint: hint)
            return PreparedFile(
                job: job, size: size, stage: .refused(FileCheck.Findings(reason, entry, message: message)))
        }
        switch refusal {
        case .tooLarge(let bytes):
            return refuse(
                .fileTooLarge, .fileTooLarge,
                "\(job.source) is \(bytes) bytes or more, over the limit of \(maxFileBytes) bytes; it was not loaded",
                "split the file, or raise max_file_bytes in sluice.yaml")
        case .notRegular:
            return refuse(
                .notRegularFile, .notARegularFile,
                "\(job.source) is not a regular file (a FIFO, socket or device); it was not opened",
                "deliver a regular file")
        case .symbolicLink:
            return refuse(
                .symbolicLink, .symbolicLink, "\(job.source) is a symbolic link; links are not followed",
                "deliver the file itself, or set follow_symlinks: true in sluice.yaml")
        case .changedWhileRead:
            let error = PipelineError(
                code: .io, message: "\(job.source) changed while it was read; it is left for the next run")
            return PreparedFile(job: job, size: size, stage: .deferred(.changedWhileRead, error))
        case .system(let error):
            let failure = PipelineError(code: .io, message: "\(job.source): cannot read it", cause: error)
            if error.isTransient || error.errno == ENOENT {
                return PreparedFile(job: job, size: size, stage: .deferred(.ioError, failure))
            }
            return refuse(
                .unreadable, .unreadable, "\(job.source) cannot be read: \(error)",
                "check the file's permissions, then retry it")
        }
    }
}
