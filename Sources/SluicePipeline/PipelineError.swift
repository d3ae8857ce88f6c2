/// An error from the pipeline: a workspace that cannot be used, a configuration mistake,
/// a file that cannot be read or moved. Per-row and per-file data problems are not errors:
/// they end in a rejected ``IngestRecord`` with a reason report.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case configuration, notAWorkspace = "not-a-workspace", io, warehouse, workspaceLocked = "workspace-locked"
        }
        private let kind: Kind
        /// `sluice.yaml` or the schema it names is wrong.
        public static let configuration = Code(kind: .configuration)
        /// The folder has no `sluice.yaml`.
        public static let notAWorkspace = Code(kind: .notAWorkspace)
        /// A file or folder could not be read, written or moved.
        public static let io = Code(kind: .io)
        /// The warehouse refused a write.
        public static let warehouse = Code(kind: .warehouse)
        /// Another process holds the workspace's writer lock (see ``WorkspaceLock``).
        public static let workspaceLocked = Code(kind: .workspaceLocked)
        /// The stable kebab-case identifier.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong; starts with the file when one is involved.
    public var message: String
    /// The file or folder involved, when there is one.
    public var path: String?
    /// What was being done (`open`, `claim`, `lock`, `rename`, …), when it says more than the code.
    public var operation: String?
    /// What to do about it, in the library's terms (a front end such as the CLI adds its own words).
    public var hint: String?
    /// The error underneath, if any; never dropped when there is one.
    public var cause: (any Error)?

    /// Creates an error.
    public init(
        code: Code, message: String, path: String? = nil, operation: String? = nil, hint: String? = nil,
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.operation = operation
        self.hint = hint
        self.cause = cause
    }

    /// `error: message`.
    public var description: String { "error: \(message)" }

    /// Whether running again later may succeed (a full disk, an I/O error): the underlying
    /// ``SystemCallError`` says so.
    public var isTransient: Bool {
        (cause as? SystemCallError)?.isTransient ?? false
    }

    /// `true` for mistakes the user fixes in configuration (CLI exit code 2).
    public var isConfigurationError: Bool { code == .configuration || code == .notAWorkspace }
}
