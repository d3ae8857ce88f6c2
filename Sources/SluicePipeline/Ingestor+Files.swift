import Foundation

/// File work around a commit: reason reports, rejected-rows files, and moves that never
/// overwrite anything.
extension Ingestor {
    /// Writes `<destination>.errors.json` (atomically) and returns its URL.
    func writeReport(_ findings: FileCheck.Findings, record: IngestRecord, status: String, next destination: URL) throws
        -> URL
    {
        let reportURL = URL(fileURLWithPath: destination.path + ".errors.json")
        let report = ErrorReport(
            source: record.source, sha256: record.sha256, size: record.size, status: status,
            reason: findings.reason?.rawValue ?? "rejected-rows", message: findings.message, hint: findings.hint,
            dialect: findings.dialect, header: findings.header,
            rows: RowCounts(
                read: record.rowsRead, loaded: record.rowsLoaded, droppedMissing: record.rowsDroppedMissing,
                droppedDuplicate: record.rowsDroppedDuplicate, rejected: record.rowsRejected,
                replaced: record.rowsReplaced, ignored: record.rowsIgnored),
            countsByCode: findings.countsByCode, countsByRule: findings.countsByRule, totalErrors: findings.totalErrors,
            errorsShown: findings.errors.count, errors: findings.errors, rejectedRows: record.rejectedRowsFile,
            createdAt: FileLogHandler.timestamp())
        do {
            try files.writeAtomically(Array(try report.jsonData()), to: reportURL.path)
        } catch {
            throw PipelineError(code: .io, message: "\(record.source): cannot write its reason report", cause: error)
        }
        return reportURL
    }

    /// Writes the refused rows, each prefixed by its line number in a `_source_line` column, under
    /// the original header: fixed, the file can be delivered again as it is (the column is ignored).
    func writeRejectedRows(_ findings: FileCheck.Findings, to url: URL) throws {
        var output: [UInt8] = []
        let delimiter = findings.delimiter
        if let header = findings.headerText {
            output += Array("_source_line".utf8) + [delimiter] + header + [0x0A]
        }
        for row in findings.rejectedRows {
            if findings.headerText != nil { output += Array(String(row.line).utf8) + [delimiter] }
            output += row.text + [0x0A]
        }
        do {
            try files.writeAtomically(output, to: url.path)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(url.path)", cause: error)
        }
    }

    /// `folder/name`, or `folder/stem~2.ext`, `~3`, … when that name (or the name plus one of
    /// `suffixes`) is taken on disk or `reserved` by the transaction in progress. A name too
    /// long to take the suffixes is shortened first (see ``DeliveryName/fitted(_:maxBytes:)``).
    func uniqueDestination(for name: String, in folder: URL, suffixes: [String] = [], reserved: Set<String> = []) -> URL
    {
        let name = DeliveryName.fitted(name)
        var candidate = folder.appendingPathComponent(name)
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var counter = 2
        // `lstat`, not `FileManager`: one system call per name, and a dangling link counts as taken.
        while reserved.contains(candidate.path)
            || ([""] + suffixes).contains(where: { files.identity(of: candidate.path + $0) != nil })
        {
            candidate = folder.appendingPathComponent("\(stem)~\(counter)" + (ext.isEmpty ? "" : ".\(ext)"))
            counter += 1
        }
        return candidate
    }
}
