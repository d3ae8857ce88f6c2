import ArgumentParser
import Foundation
import Logging
import SluicePipeline
import SluiceSchema
import SluiceWarehouse

/// The `--workspace` option shared by every subcommand that works in a workspace.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: [.customShort("w"), .long],
        help: ArgumentHelp(
            "The workspace folder.", discussion: "Defaults to $SLUICE_WORKSPACE, then the current directory.",
            valueName: "dir"))
    var workspace: String?

    /// The workspace folder: the option, else `$SLUICE_WORKSPACE`, else the current directory.
    var root: URL {
        let path =
            workspace ?? ProcessInfo.processInfo.environment["SLUICE_WORKSPACE"]
            ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Opens the workspace named by the options.
    func open() throws -> Workspace {
        try Workspace.open(at: root)
    }
}

/// The `--no-wait` flag of the commands that write (one writer per workspace).
struct LockOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Exit with code 4 instead of waiting when another process is writing to the workspace.",
            discussion:
                "One process writes to a workspace at a time (ingest, watch, serve --watch, forget); the others wait their turn. Readers (report, query, serve) never wait."
        ))
    var noWait = false

    /// The lock policy: wait (saying so on a terminal) or fail at once.
    var policy: WorkspaceLock.WaitPolicy {
        if noWait { return .noWait }
        return .wait(onWait: { holder in
            if isatty(STDERR_FILENO) != 0 {
                printError("sluice: waiting for the workspace, which is being written by \(holder)…")
            }
        })
    }
}

/// The `--workers` option of the commands that ingest.
struct ParallelismOptions: ParsableArguments {
    @Option(help: "Files prepared in parallel; the default is the number of cores.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }
}

/// A logger that appends to the workspace's `sluice.log`, or discards when the log cannot be opened.
func workspaceLogger(_ workspace: Workspace) -> Logger {
    let path = workspace.layout.log.path
    let handler = try? FileLogHandler(path: path)
    return Logger(label: "sluice") { _ in
        if let handler { return handler }
        return SwiftLogNoOpLogHandler()
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, mapping failures to the documented exit codes in one place:
/// 2 for usage or configuration errors, 1 for everything else. The message goes to stderr.
func withExitCodes(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as PipelineError {
        printError(cliMessage(for: error))
        throw ExitCode(error.code == .workspaceLocked ? 4 : error.isConfigurationError ? 2 : 1)
    } catch let error as WarehouseError {
        printError("sluice: \(error.description)")
        throw ExitCode(1)
    } catch let error as SQLiteError {
        printError("sluice: error: \(error.description)")
        throw ExitCode(1)
    } catch let error as CLIError {
        printError("sluice: error: \(error.message)")
        throw ExitCode(error.exitCode)
    } catch {
        printError("sluice: error: \(error)")
        throw ExitCode(1)
    }
}

/// One line for a pipeline error: a schema mistake as a compiler would print it
/// (`schema.yaml:4:9: error: …`, so editors jump to it); otherwise the message, the error
/// underneath when the message does not already say it, and what to do.
func cliMessage(for error: PipelineError) -> String {
    if let schemaError = error.cause as? SchemaError { return schemaError.description }
    var line = "sluice: \(error.description)"
    if let cause = error.cause, !error.message.contains("\(cause)") { line += " (\(cause))" }
    return line + cliHint(for: error)
}

/// The CLI's own words for what to do about a library error (the library's hint names no flags).
private func cliHint(for error: PipelineError) -> String {
    switch error.code {
    case .notAWorkspace: return "; create one with `sluice init \(error.path ?? "DIR")` or pass --workspace"
    case .workspaceLocked: return "; wait for it, or run again later (without --no-wait this command waits)"
    default: return error.hint.map { "; \($0)" } ?? ""
    }
}

/// ``withExitCodes(_:)`` for async commands.
func withExitCodesAsync(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        try withExitCodes { throw error }
    }
}

/// A CLI-level failure with its exit code.
struct CLIError: Error {
    var message: String
    var exitCode: Int32 = 1
}
