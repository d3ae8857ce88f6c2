import Foundation

/// What a caller may do on the dashboard.
public enum AccessRole: String, Sendable, Hashable, CaseIterable {
    /// The page, the reports (also as CSV and JSON), the ingest history and the SQL box.
    case read
    /// Everything `read` may, and uploads into the inbox.
    case upload

    /// Whether this role may put files into the inbox.
    public var mayUpload: Bool { self == .upload }
}

/// One access token: a secret, the role it grants and a label for the request log.
public struct AccessToken: Sendable, Hashable {
    /// What the token allows.
    public var role: AccessRole
    /// The name the request log shows instead of the secret (`alice`, or `tokens.txt:3`).
    public var label: String
    /// The secret's UTF-8 bytes.
    let secret: [UInt8]

    /// Creates a token.
    public init(role: AccessRole, secret: String, label: String) {
        self.role = role
        self.secret = Array(secret.utf8)
        self.label = label
    }
}

/// The tokens a dashboard beyond loopback accepts, read from `--token-file` and `SLUICE_TOKEN`.
///
/// One token per line, `ROLE:TOKEN` optionally followed by a label for the request log; blank
/// lines and lines starting with `#` are skipped. A line without a role grants `read`.
///
/// ```text
/// # sluice serve --token-file tokens.txt
/// read:3f9c2d7e0b8a41d6a5c4e2f1b0d9c8a7   alice
/// upload:c0ffee12aa34bb56cc78dd90ee12ff34  ci-uploader
/// ```
/// A token has at least 16 characters, printable ASCII without spaces (`openssl rand -hex 32`
/// makes a good one). Tokens are compared in constant time: the check reads every byte of every
/// configured token whatever the presented one is.
public struct AccessTokens: Sendable {
    /// The configured tokens, in file order.
    public let tokens: [AccessToken]

    /// The fewest characters a token may have.
    public static let minimumLength = 16

    /// Wraps a list of tokens.
    ///
    /// - Throws: ``DashboardError`` `bad-request` when the list is empty or one secret is given twice.
    public init(_ tokens: [AccessToken]) throws(DashboardError) {
        guard !tokens.isEmpty else { throw DashboardError(code: .badRequest, message: "no access token given") }
        var seen = Set<[UInt8]>()
        for token in tokens where !seen.insert(token.secret).inserted {
            throw DashboardError(code: .badRequest, message: "the token labelled '\(token.label)' is listed twice")
        }
        self.tokens = tokens
    }

    /// Parses a token file's text.
    ///
    /// - Parameter source: The file's name, for labels (`tokens.txt:3`) and error messages.
    /// - Throws: ``DashboardError`` `bad-request` naming the line of an unknown role or a weak token.
    public init(parsing text: String, source: String) throws(DashboardError) {
        var tokens: [AccessToken] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let place = "\(source):\(offset + 1)"
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let label = words.count > 1 ? words.dropFirst().joined(separator: " ") : place
            tokens.append(try Self.token(String(words[0]), label: label, place: place))
        }
        guard !tokens.isEmpty else {
            throw DashboardError(
                code: .badRequest, message: "\(source): no token in the file (lines are ROLE:TOKEN, e.g. read:…)")
        }
        try self.init(tokens)
    }

    /// Reads `--token-file` and the `SLUICE_TOKEN` variable (same syntax as one line of the file).
    ///
    /// - Returns: `nil` when neither gives a token.
    /// - Throws: ``DashboardError`` when the file cannot be read or a token is malformed.
    public static func load(file: String?, environment: [String: String]) throws(DashboardError) -> AccessTokens? {
        var tokens: [AccessToken] = []
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw DashboardError(
                    code: .badRequest, message: "cannot read the token file \(file): \(error.localizedDescription)")
            }
            tokens += try AccessTokens(parsing: text, source: file).tokens
        }
        if let value = environment["SLUICE_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            tokens.append(try token(value, label: "SLUICE_TOKEN", place: "SLUICE_TOKEN"))
        }
        return tokens.isEmpty ? nil : try AccessTokens(tokens)
    }

    /// The token equal to `presented`, compared in constant time, or `nil`.
    ///
    /// - Complexity: O(total length of the configured tokens) whatever `presented` is; it never
    ///   stops at the first differing byte or the first match.
    public func match(_ presented: some StringProtocol) -> AccessToken? {
        let bytes = Array(presented.utf8)
        var found: AccessToken?
        for token in tokens where Self.constantTimeEqual(token.secret, bytes) {
            found = token
        }
        return found
    }

    /// Whether two byte strings are equal, reading all of `secret` whatever `presented` holds.
    static func constantTimeEqual(_ secret: [UInt8], _ presented: [UInt8]) -> Bool {
        var difference = UInt(secret.count ^ presented.count)
        for index in secret.indices {
            let other = index < presented.count ? presented[index] : ~secret[index]
            difference |= UInt(secret[index] ^ other)
        }
        return difference == 0
    }

    private static func token(_ word: String, label: String, place: String) throws(DashboardError) -> AccessToken {
        var role = AccessRole.read
        var secret = word
        if let colon = word.firstIndex(of: ":") {
            let name = word[..<colon].lowercased()
            guard let parsed = AccessRole(rawValue: name) else {
                throw DashboardError(
                    code: .badRequest,
                    message: "\(place): unknown role '\(name)' (roles: read, upload; lines are ROLE:TOKEN)")
            }
            role = parsed
            secret = String(word[word.index(after: colon)...])
        }
        guard secret.count >= minimumLength, secret.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw DashboardError(
                code: .badRequest,
                message:
                    "\(place): a token needs at least \(minimumLength) printable ASCII characters without spaces (try `openssl rand -hex 32`)"
            )
        }
        return AccessToken(role: role, secret: secret, label: label)
    }
}
