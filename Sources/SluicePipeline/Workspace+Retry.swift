import Foundation
import SluiceWarehouse

/// A quarantined file moved back to the inbox by ``Workspace/retryQuarantined(_:)``.
public struct RetriedFile: Sendable, Hashable, Encodable {
    /// Where it was, in `failed/`.
    public var from: String
    /// Where it is now, in `inbox/`.
    public var to: String
    /// Where its old reason report was kept, if it had one.
    public var previousReport: String?

    private enum CodingKeys: String, CodingKey { case from, to, previousReport = "previous_report" }
}

extension Workspace {
    /// The quarantined files in `failed/` that can be retried: everything but the reason reports.
    public func quarantinedFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.failed.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".json") }.sorted()
    }

    /// Moves quarantined files back to `inbox/` after the file or the schema was fixed, keeping
    /// each old reason report beside the quarantine under a time-stamped name
    /// (`x.csv.errors.json` → `x.csv.errors.20261126T223847Z.json`). The next ingest treats them
    /// as new deliveries. A `.rejected.csv` file of refused rows can be retried the same way: its
    /// `_source_line` column is ignored.
    ///
    /// - Parameter names: File names in `failed/`, each exact or a unique prefix (as saved
    ///   reports are picked: ``NameMatcher``); empty means all of them.
    /// - Throws: ``PipelineError`` `configuration` naming what is not in `failed/` or matches
    ///   several files, or `io`.
    public func retryQuarantined(_ names: [String]) throws -> [RetriedFile] {
        let available = quarantinedFiles()
        var chosen = names.isEmpty ? available : []
        var problems: [String] = []
        for name in names {
            switch NameMatcher.match(name, in: available) {
            case .found(let index): if !chosen.contains(available[index]) { chosen.append(available[index]) }
            case .ambiguous(let candidates): problems.append("'\(name)' matches \(candidates.joined(separator: ", "))")
            case .none: problems.append("'\(name)' is not there")
            }
        }
        guard problems.isEmpty else {
            throw PipelineError(
                code: .configuration,
                message: "in \(layout.failed.path): \(problems.joined(separator: "; ")); quarantined files: "
                    + (available.isEmpty ? "none" : available.joined(separator: ", ")),
                path: layout.failed.path, operation: "retry")
        }
        let stamp = Self.retryStamp()
        let fileManager = FileManager.default
        var retried: [RetriedFile] = []
        for name in chosen {
            let source = layout.failed.appendingPathComponent(name)
            var target = layout.inbox.appendingPathComponent(name)
            var counter = 2
            while fileManager.fileExists(atPath: target.path) {
                target = layout.inbox.appendingPathComponent("\(counter)-\(name)")
                counter += 1
            }
            let report = layout.failed.appendingPathComponent(name + ".errors.json")
            var keptReport: URL?
            do {
                if fileManager.fileExists(atPath: report.path) {
                    let kept = layout.failed.appendingPathComponent("\(name).errors.\(stamp).json")
                    try fileManager.moveItem(at: report, to: kept)
                    keptReport = kept
                }
                try fileManager.moveItem(at: source, to: target)
            } catch {
                throw PipelineError(
                    code: .io, message: "cannot move \(source.path) back to the inbox: \(error.localizedDescription)")
            }
            retried.append(RetriedFile(from: source.path, to: target.path, previousReport: keptReport?.path))
        }
        return retried
    }

    /// `20261126T223847Z`: sorts by time, safe in file names.
    private static func retryStamp() -> String {
        Date().formatted(
            Date.ISO8601FormatStyle().year().month().day().dateSeparator(.omitted)
                .time(includingFractionalSeconds: false).timeSeparator(.omitted)) + "Z"
    }
}
