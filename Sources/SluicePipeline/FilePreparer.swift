import Foundation
import SluiceCSV
import SluiceColumnar
import SluiceSchema

/// One file to ingest: where to read it now, what it was called when delivered, and whether
/// Sluice owns it (may move it) or only reads it.
public struct IngestJob: Sendable, Hashable {
    /// Where the bytes are now (the inbox, the work area, or a path the user gave).
    public var url: URL
    /// The file name as delivered (`student-mat.csv`).
    public var source: String
    /// Who owns the file afterwards.
    public var origin: IngestOrigin

    /// Creates a job.
    public init(url: URL, source: String? = nil, origin: IngestOrigin) {
        self.url = url
        self.source = source ?? url.lastPathComponent
        self.origin = origin
    }
}

/// A file read, hashed and checked, ready for the serial writer: everything but the database
/// and the file moves. Made on any thread.
struct PreparedFile: Sendable {
    var job: IngestJob
    var size: Int
    /// SHA-256 of the bytes; `nil` when the file was not read (too large, unreadable).
    var sha256: String?
    /// What the check found; `nil` when the file was not read.
    var findings: FileCheck.Findings?
    /// Why the file could not be read at all (it stays where it is).
    var readError: PipelineError?
    /// The `.scol` file written for the accepted rows, if any.
    var columnar: ColumnarFileSummary?
    /// Why the `.scol` file could not be written (the file is then not loaded).
    var columnarError: PipelineError?
    /// Whether the file was over `max_file_bytes` and so quarantined unread.
    var tooLarge: Bool { sha256 == nil && readError == nil }
}

/// The parallel stage of an ingest: read, hash, sniff, parse, clean and validate one file.
/// A value type holding only settings, so many can run at once.
struct FilePreparer: Sendable {
    let settings: FileCheck.Settings
    let maxFileBytes: Int
    /// Where `.scol` files go; `nil` writes none.
    let columnarFolder: URL?
    let table: String

    init(workspace: Workspace) {
        columnarFolder = workspace.config.writeColumnar ? workspace.layout.columnar : nil
        table = workspace.tableName
        settings = FileCheck.Settings(
            schema: workspace.schema, policy: workspace.policy, encoding: workspace.config.encoding,
            pins: workspace.config.pins, limits: workspace.config.limits)
        maxFileBytes = workspace.config.maxFileBytes
    }

    func prepare(_ job: IngestJob) -> PreparedFile {
        let size = (try? FileManager.default.attributesOfItem(atPath: job.url.path))?[.size] as? Int ?? 0
        if size > maxFileBytes {
            return PreparedFile(job: job, size: size)
        }
        let bytes: [UInt8]
        do {
            bytes = try readBytes(of: job.url)
        } catch let error as PipelineError {
            return PreparedFile(job: job, size: size, readError: error)
        } catch {
            return PreparedFile(job: job, size: size, readError: PipelineError(code: .io, message: "\(error)"))
        }
        let findings = FileCheck(settings: settings).check(bytes, name: job.source)
        let sha256 = SHA256.hexDigest(bytes)
        var prepared = PreparedFile(job: job, size: bytes.count, sha256: sha256, findings: findings)
        if let outcome = findings.outcome, let folder = columnarFolder {
            let url = ColumnarExport.path(for: job.source, sha256: sha256, in: folder)
            do {
                prepared.columnar = try ColumnarExport.write(outcome, schema: settings.schema, to: url, metadata: [
                    "source": job.source, "sha256": sha256, "table": table, "writer": "sluice",
                ])
            } catch {
                prepared.columnarError = PipelineError(code: .io, message: "\(job.source): cannot write \(url.path): \(error)", cause: error)
            }
        }
        return prepared
    }

    /// Reads the whole file in 1 MiB chunks into one buffer (peak memory: the file plus one
    /// chunk), refusing it as soon as it passes `max_file_bytes`, even if it grows while read.
    private func readBytes(of url: URL) throws -> [UInt8] {
        let limit = maxFileBytes
        let tooLarge = { (size: Int) in
            PipelineError(code: .io, message: "\(url.path): \(size) bytes is over the limit of \(limit) bytes (max_file_bytes in sluice.yaml)")
        }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var bytes: [UInt8] = []
            if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int {
                bytes.reserveCapacity(min(size, limit))
            }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                bytes.append(contentsOf: chunk)
                if bytes.count > limit { throw tooLarge(bytes.count) }
            }
            return bytes
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(code: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}
