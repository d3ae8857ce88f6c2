import CSluiceYAML

/// A node of a parsed YAML document: a scalar, a sequence or a mapping, with the 1-based
/// position where it starts. Mapping order is preserved. This is the only YAML representation
/// the rest of the module sees; all libyaml (C) code lives in this file.
package struct YAMLNode: Sendable {
    /// The node's content.
    package enum Content: Sendable {
        /// A scalar and whether it was written plain (unquoted), which matters for `null`/`~`.
        case scalar(String, isPlain: Bool)
        /// A sequence, in document order.
        case sequence([YAMLNode])
        /// A mapping, in document order. A key written twice (the same scalar text) is refused
        /// by the parser, so a second `schema:` never silently wins.
        case mapping([YAMLPair])
    }

    package var content: Content
    /// 1-based line of the node's first character.
    package var line: Int
    /// 1-based column of the node's first character.
    package var column: Int

    /// True for an empty plain scalar, `~`, `null` or `Null`/`NULL` (YAML's null spellings).
    package var isNull: Bool {
        guard case .scalar(let text, true) = content else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A short noun for error messages: "a mapping", "a list", "nothing" or the quoted scalar.
    package var kindDescription: String {
        switch content {
        case .scalar(let text, _): return isNull ? "nothing" : "'\(text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// One key/value entry of a YAML mapping.
package struct YAMLPair: Sendable {
    package var key: YAMLNode
    package var value: YAMLNode
}

/// Parses YAML text into a ``YAMLNode`` tree with libyaml's event parser.
///
/// Limits guard against hostile input: at most ``maximumBytes`` of input, ``maximumDepth``
/// levels of nesting and ``maximumNodes`` nodes. Anchors are ignored, aliases are rejected, and
/// the stream must hold at most one document.
package enum YAMLDocument {
    /// Largest accepted input, in bytes (16 MiB).
    static let maximumBytes = 16 * 1024 * 1024
    /// Deepest accepted nesting of sequences and mappings.
    static let maximumDepth = 64
    /// Most nodes accepted in one document.
    static let maximumNodes = 1_000_000

    /// Parses `bytes` (UTF-8 YAML). Returns `nil` when the stream holds no document at all.
    package static func parse(_ bytes: [UInt8], file: String) throws(SchemaError) -> YAMLNode? {
        guard bytes.count <= maximumBytes else {
            throw SchemaError(
                code: .limitExceeded, file: file, line: 0, column: 0,
                message: "file is \(bytes.count) bytes, larger than the limit of \(maximumBytes) bytes")
        }
        let parser = try LibYAMLParser(bytes: bytes, file: file)
        return try parser.buildTree()
    }
}

/// Owns one `yaml_parser_t` and a private copy of the input (libyaml keeps a pointer to it).
private final class LibYAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let file: String

    /// A container being built while its events stream in.
    private enum Frame {
        case sequence(line: Int, column: Int, items: [YAMLNode])
        case mapping(line: Int, column: Int, pairs: [YAMLPair], pendingKey: YAMLNode?)
    }

    init(bytes: [UInt8], file: String) throws(SchemaError) {
        self.file = file
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            input.deallocate()
            throw SchemaError(
                code: .invalidYAML, file: file, line: 0, column: 0, message: "could not initialise the YAML parser")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Runs the parser to the end of the stream and returns the document's root node.
    func buildTree() throws(SchemaError) -> YAMLNode? {
        var stack: [Frame] = []
        // Per open container, the line of each scalar key given so far (empty for a sequence):
        // a repeated key is found in constant time, so a mapping of n keys costs O(n), not O(n²).
        var keyLines: [[String: Int]] = []
        var root: YAMLNode?
        var documents = 0
        var nodes = 0
        var event = yaml_event_t()

        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw parserError() }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1

            var finished: YAMLNode?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw SchemaError(
                        code: .invalidYAML, file: file, line: line, column: column,
                        message: "expected a single YAML document, found a second one")
                }
            case YAML_ALIAS_EVENT:
                throw SchemaError(
                    code: .invalidYAML, file: file, line: line, column: column,
                    message: "YAML aliases (*name) are not supported in a schema; write the value out")
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(
                    decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                finished = YAMLNode(content: .scalar(text, isPlain: plain), line: line, column: column)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < YAMLDocument.maximumDepth else {
                    throw SchemaError(
                        code: .limitExceeded, file: file, line: line, column: column,
                        message: "nesting is deeper than \(YAMLDocument.maximumDepth) levels")
                }
                keyLines.append([:])
                stack.append(
                    event.type == YAML_SEQUENCE_START_EVENT
                        ? .sequence(line: line, column: column, items: [])
                        : .mapping(line: line, column: column, pairs: [], pendingKey: nil))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                keyLines.removeLast()
                switch stack.removeLast() {
                case .sequence(let l, let c, let items):
                    finished = YAMLNode(content: .sequence(items), line: l, column: c)
                case .mapping(let l, let c, let pairs, _):
                    finished = YAMLNode(content: .mapping(pairs), line: l, column: c)
                }
            default:
                break  // stream start, document end: nothing to build
            }

            guard let node = finished else { continue }
            nodes += 1
            guard nodes <= YAMLDocument.maximumNodes else {
                throw SchemaError(
                    code: .limitExceeded, file: file, line: line, column: column,
                    message: "document has more than \(YAMLDocument.maximumNodes) nodes")
            }
            if stack.isEmpty {
                root = node
            } else {
                try refuseDuplicateKey(node, in: stack[stack.count - 1], keyLines: &keyLines[keyLines.count - 1])
                attach(node, to: &stack[stack.count - 1])
            }
        }
    }

    /// Throws when `node` is about to become a mapping key that an earlier key of the same
    /// mapping already spells (compared as scalar text); otherwise records it in `keyLines`.
    private func refuseDuplicateKey(
        _ node: YAMLNode, in frame: Frame, keyLines: inout [String: Int]
    ) throws(SchemaError) {
        guard case .mapping(_, _, _, .none) = frame, case .scalar(let key, _) = node.content else { return }
        if let firstLine = keyLines[key] {
            let shown = key.count > 60 ? String(key.prefix(60)) + "…" : key
            throw SchemaError(
                code: .duplicateKey, file: file, line: node.line, column: node.column,
                message:
                    "duplicate key '\(shown)' (first given at line \(firstLine)); a key may appear only once in a mapping"
            )
        }
        keyLines[key] = node.line
    }

    /// Adds a finished child to the innermost open container.
    private func attach(_ node: YAMLNode, to frame: inout Frame) {
        switch frame {
        case .sequence(let l, let c, var items):
            frame = .sequence(line: l, column: c, items: [])  // drop the old reference: append in place
            items.append(node)
            frame = .sequence(line: l, column: c, items: items)
        case .mapping(let l, let c, var pairs, let pending):
            frame = .mapping(line: l, column: c, pairs: [], pendingKey: nil)
            if let key = pending {
                pairs.append(YAMLPair(key: key, value: node))
                frame = .mapping(line: l, column: c, pairs: pairs, pendingKey: nil)
            } else {
                frame = .mapping(line: l, column: c, pairs: pairs, pendingKey: node)
            }
        }
    }

    /// Converts libyaml's error state into a ``SchemaError`` with the problem's position.
    private func parserError() -> SchemaError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown error"
        let context = state.context.map { String(cString: $0) }
        let contextLine = Int(state.context_mark.line) + 1
        let contextColumn = Int(state.context_mark.column) + 1
        var line = Int(state.problem_mark.line) + 1
        var column = Int(state.problem_mark.column) + 1
        if state.error == YAML_READER_ERROR {
            // Reader errors (bad encoding) carry a byte offset instead of a mark.
            (line, column) = position(ofByte: Int(state.problem_offset))
        }
        let message =
            context.map { "invalid YAML: \(problem) (\($0) at \(contextLine):\(contextColumn))" }
            ?? "invalid YAML: \(problem)"
        return SchemaError(code: .invalidYAML, file: file, line: line, column: column, message: message)
    }

    /// 1-based line and column of a byte offset in the input (column counted in bytes).
    private func position(ofByte offset: Int) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, input.count) where input[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
