public import NIOCore

/// ``SSEDecoder`` as a NIO single-step decoder, so a body of `ByteBuffer`s can be decoded with
/// `body.decode(using: ServerSentEventByteDecoder())` or inside a channel pipeline.
public struct ServerSentEventByteDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = ServerSentEvent

    private var decoder: SSEDecoder
    private var pending = CircularBuffer<ServerSentEvent>()

    /// Creates the decoder; `maximumEventSize` bounds memory per event (default 16 MiB).
    public init(maximumEventSize: Int = 16 * 1024 * 1024) {
        decoder = SSEDecoder(maximumEventSize: maximumEventSize)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ServerSentEvent? {
        if buffer.readableBytes > 0 {
            try buffer.withUnsafeReadableBytes { bytes in
                try decoder.feed(bytes) { pending.append($0) }
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        return pending.popFirst()
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ServerSentEvent? {
        if let event = try decode(buffer: &buffer) { return event }
        if seenEOF { decoder.finish() }
        return nil
    }
}
