import Foundation

/// File work around a commit: reason reports, rejected-rows files, and moves that never
/// overwrite anything.
extension Ingestor {
    /// Writes `<destination>.errors.json` (atomically) and returns its URL.
    func writeReport(_ findings: FileCheck.Findings, record: IngestRecord, status: String, next destination: URL) throws -> URL {
        let reportURL = URL(fileURLWithPath: destination.path + ".errors.json")
        let report = ErrorReport(
            source: record.source, sha256: record.sha256, size: record.size, status: status,
            reason: findings.reason?.rawValue ?? "rejected-rows", message: findings.message, hint: findings.hint,
            dialect: findings.dialect, header: findings.header,
            rows: RowCounts(read: record.rowsRead, loaded: record.rowsLoaded, droppedMissing: record.rowsDroppedMissing,
                            droppedDuplicate: record.rowsDroppedDuplicate, rejected: record.rowsRejected),
            countsByCode: findings.countsByCode, countsByRule: findings.countsByRule, totalErrors: findings.totalErrors,
            errorsShown: findings.errors.count, errors: findings.errors, rejectedRows: record.rejectedRowsFile,
            createdAt: FileLogHandler.timestamp())
        do {
            try report.jsonData().write(to: reportURL, options: .atomic)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(reportURL.path): \(error.localizedDescription)")
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
            try Data(output).write(to: url, options: .atomic)
        } catch {
            throw PipelineError(code: .io, message: "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// `folder/name`, or `folder/stem~2.ext`, `~3`, … when that name (or the name plus one of
    /// `suffixes`) is taken on disk or `reserved` by the transaction in progress.
    func uniqueDestination(for name: String, in folder: URL, suffixes: [String] = [], reserved: Set<String> = []) -> URL {
        var candidate = folder.appendingPathComponent(name)
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var counter = 2
        while reserved.contains(candidate.path)
            || ([""] + suffixes).contains(where: { FileManager.default.fileExists(atPath: candidate.path + $0) })
        {
            candidate = folder.appendingPathComponent("\(stem)~\(counter)" + (ext.isEmpty ? "" : ".\(ext)"))
            counter += 1
        }
        return candidate
    }

    func move(_ source: URL, to destination: URL) throws {
        do { try FileManager.default.moveItem(at: source, to: destination) } catch {
            throw PipelineError(code: .io, message: "cannot move \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
    }

    func copy(_ source: URL, to destination: URL) throws {
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            throw PipelineError(code: .io, message: "cannot copy \(source.path) to \(destination.path): \(error.localizedDescription)")
        }
    }

    func remove(_ url: URL) throws {
        do { try FileManager.default.removeItem(at: url) } catch {
            throw PipelineError(code: .io, message: "cannot delete \(url.path): \(error.localizedDescription)")
        }
    }
}
