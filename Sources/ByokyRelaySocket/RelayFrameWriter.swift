public import ByokyCore
public import WSCore

/// Sends relay frames on one WebSocket from any number of tasks, one frame at a time.
public struct RelayFrameWriter: Sendable {
    private let continuation: AsyncStream<RelayMessage>.Continuation
    private let frames: AsyncStream<RelayMessage>

    public init() {
        (frames, continuation) = AsyncStream.makeStream(of: RelayMessage.self, bufferingPolicy: .unbounded)
    }

    /// Queues a frame; frames after ``finish()`` are dropped.
    public func send(_ message: RelayMessage) {
        continuation.yield(message)
    }

    /// Stops accepting frames; ``run(on:)`` returns once the queue is written.
    public func finish() {
        continuation.finish()
    }

    /// Writes queued frames as text messages until ``finish()`` (or the socket fails).
    public func run(on outbound: WebSocketOutboundWriter) async {
        for await message in frames {
            do {
                try await outbound.write(.text(String(decoding: message.encoded(), as: UTF8.self)))
            } catch {
                return
            }
        }
    }
}
