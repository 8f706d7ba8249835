import ByokyCore
import NIOCore
import NIOHTTP1

/// The connection's HTTP/1.1 request decoder: bytes in, `HTTPServerRequestPart`s out, read by
/// ``HTTP1RequestParser``, in place of NIO's decoder (llhttp, its callbacks and
/// `ByteToMessageHandler` cost about 9 % of a proxied request's event-loop instructions; this
/// decoder about two thirds of that).
///
/// Every request the bytes hold is passed on, in order (``ProxyRouteHandler`` holds those that
/// come early). Bytes that are not HTTP/1.1 end the connection's reading: the error goes on as
/// an `HTTPParserError` (the server answers 400 and closes) and whatever follows is dropped, as
/// is a request cut off by the connection's end.
final class HTTP1RequestDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart

    private var parser = HTTP1RequestParser()
    /// Bytes read and not yet made into parts.
    private var buffered: ByteBuffer?
    /// Whether parts are being passed on (a read that comes meanwhile only adds its bytes).
    private var isDecoding = false
    /// Whether the bytes failed to parse, or the input ended inside a request.
    private var hasFailed = false

    /// Whether the handlers after this one were told the input ended.
    private var isInputEnded = false

    private static let noBytes = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !hasFailed else { return }
        var incoming = unwrapInboundIn(data)
        if var kept = buffered {
            buffered = nil
            kept.writeBuffer(&incoming)
            buffered = kept
        } else {
            buffered = incoming
        }
        guard !isDecoding else { return }
        isDecoding = true
        defer { isDecoding = false }
        while !hasFailed {
            // With no bytes left, the parser may still have an event due (the end of a request
            // without a body).
            var bytes = buffered ?? Self.noBytes
            buffered = nil
            let event: HTTP1RequestParser.Event?
            do {
                event = try parser.next(&bytes)
            } catch {
                fail(HTTPParserError(error), context: context)
                return
            }
            if bytes.readableBytes > 0 { buffered = bytes }
            guard let event else { return }
            switch event {
            case .head(let head): context.fireChannelRead(wrapInboundOut(.head(head)))
            case .body(let slice): context.fireChannelRead(wrapInboundOut(.body(slice)))
            case .end:
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                if parser.isClosed { endInput(context: context) }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputEnded(context: context)
            guard !isInputEnded else { return }
            isInputEnded = true
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// After a request that closes the connection the input has ended for the handlers after
    /// this one, as if the client had closed its side: the router's loop ends with its answer
    /// and the connection closes (an HTTP/1.0 client without `keep-alive` waits for that).
    private func endInput(context: ChannelHandlerContext) {
        guard !isInputEnded else { return }
        isInputEnded = true
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inputEnded(context: context)
        context.fireChannelInactive()
    }

    /// A request cut off by the end of the input is an error, as NIO's decoder made it.
    private func inputEnded(context: ChannelHandlerContext) {
        guard !hasFailed, parser.isInsideRequest(buffered: buffered?.readableBytes ?? 0) else { return }
        fail(.invalidEOFState, context: context)
    }

    private func fail(_ error: HTTPParserError, context: ChannelHandlerContext) {
        hasFailed = true
        buffered = nil
        context.fireErrorCaught(error)
    }
}

extension HTTPParserError {
    /// The error NIO's own decoder would have raised for bytes of this kind.
    init(_ error: HTTP1MessageError) {
        self =
            switch error {
            case .invalidRequestLine, .invalidStatusLine: .invalidURL
            case .invalidHeader: .invalidHeaderToken
            case .headTooLarge: .headerOverflow
            case .invalidContentLength, .invalidTransferEncoding: .unexpectedContentLength
            case .invalidChunk: .invalidChunkSize
            case .truncated: .invalidEOFState
            case .unexpectedBytes: .trailingGarbage
            }
    }
}
