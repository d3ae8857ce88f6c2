import Foundation

/// Finds the files Sluice ships with: `data/student.yaml`, `data/student-mat.csv` and `queries/`.
///
/// Looks in `$SLUICE_HOME`, then in the folders above the running executable (a `swift build`
/// puts it in `.build/…/` inside the checkout), then above this source file's compile-time path.
struct BundledAssets {
    /// The folder holding `data/` and `queries/`.
    let root: URL

    var schema: URL { root.appendingPathComponent("data/student.yaml") }
    var demoData: URL { root.appendingPathComponent("data/student-mat.csv") }
    var queries: URL { root.appendingPathComponent("queries", isDirectory: true) }

    /// Locates the assets, or explains how to point Sluice at them.
    static func locate(filePath: String = #filePath) throws -> BundledAssets {
        var candidates: [URL] = []
        if let home = try configuredHome() { candidates.append(home) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates += ancestors(of: executable)
        candidates += ancestors(of: URL(fileURLWithPath: filePath))
        for candidate in candidates where isAssetRoot(candidate) {
            return BundledAssets(root: candidate)
        }
        throw CLIError(
            message:
                "cannot find Sluice's bundled files (data/student.yaml and queries/); set SLUICE_HOME to the Sluice source folder",
            exitCode: 2)
    }

    /// `$SLUICE_HOME` when set; an error when it names no folder holding Sluice's files (a
    /// mistyped path is never silently ignored).
    static func configuredHome() throws -> URL? {
        guard let home = ProcessInfo.processInfo.environment["SLUICE_HOME"], !home.isEmpty else { return nil }
        let url = URL(fileURLWithPath: home)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(
                message:
                    "SLUICE_HOME=\(home) does not exist (or is not a folder); point it at the Sluice source folder, or unset it",
                exitCode: 2)
        }
        guard isAssetRoot(url) else {
            throw CLIError(
                message:
                    "SLUICE_HOME=\(home) holds no data/student.yaml and queries/; point it at the Sluice source folder, or unset it",
                exitCode: 2)
        }
        return url
    }

    private static func ancestors(of url: URL) -> [URL] {
        var result: [URL] = []
        var current = url.deletingLastPathComponent()
        while current.path != "/" && !current.path.isEmpty {
            result.append(current)
            current = current.deletingLastPathComponent()
        }
        return result
    }

    private static func isAssetRoot(_ url: URL) -> Bool {
        let fileManager = FileManager.default
        return fileManager.fileExists(atPath: url.appendingPathComponent("data/student.yaml").path)
            && fileManager.fileExists(atPath: url.appendingPathComponent("queries").path)
    }
}
