import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import SluiceWarehouse

/// Answers a request the HTTP parser gave up on with a JSON error body, instead of
/// Hummingbird's empty `400`: a URL or headers past the parser's 80 KB limit get
/// `414 {"error":{"code":"request-head-too-large",…}}`, anything else malformed
/// `400 {"error":{"code":"bad-request",…}}`. The connection is closed afterwards, as before.
///
/// It sits in the channel pipeline right after HTTP decoding (Hummingbird's
/// `additionalChannelHandlers`). It only answers when no request on the connection is still
/// waiting for its response; otherwise it passes the error on and Hummingbird closes the
/// connection its own way.
final class MalformedRequestResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose response has not ended yet.
    private var open = 0
    /// The server's request log: a refused request is logged like any other.
    private let logger: Logger

    /// Creates the handler for one connection.
    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { open += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { open = max(0, open - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, open == 0 else {
            context.fireErrorCaught(error)
            return
        }
        let answer = Self.error(for: parserError)
        let remote = context.channel.remoteAddress?.ipAddress ?? "-"
        logger.info(
            "- (malformed request) \(answer.code.httpStatus) 0ms",
            metadata: ["role": "none", "client": .string(remote), "remote": .string(remote), "error": "\(parserError)"])
        let body = ByteBuffer(string: ResultFormatter.json(answer))
        let head = HTTPResponse(
            status: HTTPResponse.Status(code: answer.code.httpStatus),
            headerFields: [
                .contentType: "application/json; charset=utf-8", .contentLength: "\(body.readableBytes)",
                .connection: "close", .cacheControl: "no-store",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }

    /// The error a parser failure is reported as.
    static func error(for parserError: HTTPParserError) -> DashboardError {
        if case .headerOverflow = parserError {
            return DashboardError(
                code: .requestHeadTooLarge,
                message:
                    "the URL or the headers are longer than this server reads (80 KB); send shorter SQL, or save it as a report in queries/"
            )
        }
        return DashboardError(code: .badRequest, message: "malformed HTTP request (\(parserError))")
    }
}
