import SluiceWarehouse

/// An error the dashboard reports to a client: a stable code, an HTTP status and a message
/// that says what to do. Served as `{"error":{"code":…,"message":…}}`.
public struct DashboardError: Error, Sendable, CustomStringConvertible, Encodable {
    /// What kind of failure this is; stable for scripts and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case writeRefused = "write-refused", timeLimit = "time-limit", sqlError = "sql-error",
                badRequest = "bad-request", notFound = "not-found", noWarehouse = "no-warehouse",
                tooLarge = "too-large", conflict = "conflict", uploadsDisabled = "uploads-disabled",
                forbiddenOrigin = "forbidden-origin", internalError = "internal",
                unauthorized = "unauthorized", forbidden = "forbidden", tooManyRequests = "too-many-requests",
                resultTooLarge = "result-too-large", requestHeadTooLarge = "request-head-too-large"
        }
        private let kind: Kind
        /// The statement would write, attach, load an extension or change a setting (HTTP 403).
        public static let writeRefused = Code(kind: .writeRefused)
        /// The query ran past the time limit and was stopped (HTTP 422).
        public static let timeLimit = Code(kind: .timeLimit)
        /// SQLite could not compile or run the statement (HTTP 400).
        public static let sqlError = Code(kind: .sqlError)
        /// A parameter is missing or malformed (HTTP 400).
        public static let badRequest = Code(kind: .badRequest)
        /// No such report or route (HTTP 404).
        public static let notFound = Code(kind: .notFound)
        /// Nothing was loaded yet, so there is no warehouse to read (HTTP 404).
        public static let noWarehouse = Code(kind: .noWarehouse)
        /// An upload is larger than the limit (HTTP 413).
        public static let tooLarge = Code(kind: .tooLarge)
        /// An upload's name is already taken in the inbox (HTTP 409).
        public static let conflict = Code(kind: .conflict)
        /// The server was started with uploads turned off (HTTP 403).
        public static let uploadsDisabled = Code(kind: .uploadsDisabled)
        /// A request from another web site, or for a host name that is not this machine's (HTTP 403).
        public static let forbiddenOrigin = Code(kind: .forbiddenOrigin)
        /// No valid access token or session was presented where one is required (HTTP 401).
        public static let unauthorized = Code(kind: .unauthorized)
        /// The caller's role does not allow this, e.g. a `read` token uploading (HTTP 403).
        public static let forbidden = Code(kind: .forbidden)
        /// The client already has as many queries in flight as allowed (HTTP 429).
        public static let tooManyRequests = Code(kind: .tooManyRequests)
        /// A query's result is larger than the byte limit (`--max-result-bytes`) (HTTP 422).
        public static let resultTooLarge = Code(kind: .resultTooLarge)
        /// The URL or the headers are longer than the server reads (HTTP 414).
        public static let requestHeadTooLarge = Code(kind: .requestHeadTooLarge)
        /// Anything else (HTTP 500).
        public static let internalError = Code(kind: .internalError)
        /// The stable kebab-case identifier.
        public var description: String { kind.rawValue }

        /// The HTTP status this code is served with.
        public var httpStatus: Int {
            switch kind {
            case .writeRefused, .uploadsDisabled, .forbiddenOrigin, .forbidden: 403
            case .timeLimit, .resultTooLarge: 422
            case .unauthorized: 401
            case .tooManyRequests: 429
            case .requestHeadTooLarge: 414
            case .sqlError, .badRequest: 400
            case .notFound, .noWarehouse: 404
            case .tooLarge: 413
            case .conflict: 409
            case .internalError: 500
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `error: message`.
    public var description: String { "error: \(message)" }

    private enum CodingKeys: String, CodingKey { case error }
    private enum ErrorKeys: String, CodingKey { case code, message, status }

    /// `{"error":{"code","message","status"}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var nested = container.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
        try nested.encode(code.description, forKey: .code)
        try nested.encode(message, forKey: .message)
        try nested.encode(code.httpStatus, forKey: .status)
    }
}

extension DashboardError {
    /// The library's error as the dashboard serves it (a refused write is 403, a time limit 422 …).
    public init(_ error: WarehouseError) {
        let code: Code
        switch error.code {
        case .writeRefused: code = .writeRefused
        case .timeLimit: code = .timeLimit
        case .resultTooLarge: code = .resultTooLarge
        case .noWarehouse: code = .noWarehouse
        case .reportNotFound: code = .notFound
        case .sqlite, .noSuchTable: code = .sqlError
        default: code = .internalError
        }
        self.init(code: code, message: error.message)
    }
}
