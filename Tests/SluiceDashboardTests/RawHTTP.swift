import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Sends hand-written HTTP/1.1 to a test server on 127.0.0.1: any `Host`, `Origin` or URL,
/// which a regular client would correct or refuse to send. One request per connection
/// (`Connection: close`), read until the server closes.
enum RawHTTP {
    /// A parsed answer.
    struct Reply: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String

        /// The first header of that name (case-insensitive).
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The JSON error code of an error body, `{"error":{"code":…}}`.
        var errorCode: String? {
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return (json?["error"] as? [String: Any])?["code"] as? String
        }
    }

    /// A request with the given head lines (besides the request line and `Connection: close`)
    /// and body; `Content-Length` is added for a body unless a head line sets the length or
    /// chunking.
    static func request(
        _ method: String, _ target: String, port: Int, host: String? = "localhost", headers: [String] = [],
        body: String? = nil
    ) async throws -> Reply {
        var lines = ["\(method) \(target) HTTP/1.1"]
        if let host { lines.append("Host: \(host)") }
        lines += headers
        let setsLength = headers.contains {
            $0.lowercased().hasPrefix("content-length:") || $0.lowercased().hasPrefix("transfer-encoding:")
        }
        if let body, !setsLength { lines.append("Content-Length: \(body.utf8.count)") }
        lines.append("Connection: close")
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
        return try await send(Array(text.utf8), port: port)
    }

    /// Sends raw bytes and parses the reply.
    static func send(_ bytes: [UInt8], port: Int) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try parse(exchange(bytes, port: port)) })
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func exchange(_ bytes: [UInt8], port: Int) throws -> [UInt8] {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(socketFD) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() to 127.0.0.1:\(port) failed: \(errno)") }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(socketFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count <= 0 { break }  // the server may answer and close before reading everything
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return received
    }

    private static func parse(_ bytes: [UInt8]) throws -> Reply {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            throw Failure(description: "no HTTP reply: '\(text.prefix(200))'")
        }
        let headLines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusWords = headLines[0].split(separator: " ")
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else {
            throw Failure(description: "bad status line '\(headLines[0])'")
        }
        let headers = headLines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = String(text[split.upperBound...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }
        ) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var out = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8.prefix(size))
            out += String(decoding: bytes, as: UTF8.self)
            rest = Substring(String(decoding: Array(rest[start...].utf8.dropFirst(size + 2)), as: UTF8.self))
        }
        return out
    }
}
