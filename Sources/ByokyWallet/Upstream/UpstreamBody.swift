public import NIOCore
import Synchronization

/// A response body arriving from the provider, read chunk by chunk.
///
/// Back-pressure: when more than ``highWatermark`` bytes wait unread, the connection stops
/// reading from the socket until the reader has drained them below ``lowWatermark``. Iterate it
/// once; ``cancel()`` (the app went away) closes the connection.
public final class UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    static let highWatermark = 256 * 1024
    static let lowWatermark = 64 * 1024

    private struct State {
        var chunks: [ByteBuffer] = []
        var head = 0
        var buffered = 0
        var finished = false
        var failure: (any Error)?
        var waiter: UnsafeContinuation<ByteBuffer?, any Error>?
        var paused = false
        var cancelled = false
        var declaredLength: Int?
    }

    private let state = Mutex(State())
    /// The `content-length` the provider declared, if any (known once the head has arrived).
    public var declaredLength: Int? { state.withLock { $0.declaredLength } }
    /// The provider connection the body arrives on (`nil` for a body complete when made): asked
    /// to read again after a pause, closed when the reader gives up. A reference, not two
    /// closures over it (which cost an allocation each a request).
    private let channel: (any Channel)?

    init(channel: (any Channel)?) {
        self.channel = channel
    }

    /// A body that is already complete (tests, empty answers).
    init(complete chunks: [ByteBuffer]) {
        channel = nil
        state.withLock {
            $0.chunks = chunks
            $0.finished = true
            $0.declaredLength = chunks.reduce(0) { $0 + $1.readableBytes }
        }
    }

    /// Asks the connection to read again (after a pause), on its event loop.
    private func resumeReading() {
        guard let channel else { return }
        channel.eventLoop.execute {
            _ = UpstreamConnection.withHandler(channel) { handler, context in handler.resumeReading(context: context) }
        }
    }

    /// Records the provider's `content-length` (from the response head).
    func declare(length: Int?) {
        state.withLock { $0.declaredLength = length }
    }

    // MARK: Producer (the connection's event loop)

    /// Adds a chunk; returns whether the connection should stop reading for now.
    func append(_ chunk: ByteBuffer) -> Bool {
        let (waiter, pause) = state.withLock { state -> (UnsafeContinuation<ByteBuffer?, any Error>?, Bool) in
            guard !state.cancelled else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.chunks.append(chunk)
            state.buffered += chunk.readableBytes
            if state.buffered > Self.highWatermark { state.paused = true }
            return (nil, state.paused)
        }
        waiter?.resume(returning: chunk)
        return pause
    }

    /// Ends the body, with `error` if it failed.
    func finish(_ error: (any Error)? = nil) {
        let waiter = state.withLock { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Every chunk at once when the provider's answer has already ended cleanly, so it can be sent
    /// on in one write; `nil` while it is still arriving (then iterate as usual).
    func takeAllIfFinished() -> [ByteBuffer]? {
        state.withLock { state in
            guard state.finished, state.failure == nil, !state.cancelled, state.waiter == nil else { return nil }
            let taken = Array(state.chunks[state.head...])
            state.chunks.removeAll()
            state.head = 0
            state.buffered = 0
            return taken
        }
    }

    // MARK: Consumer

    /// Stops the body: the connection is closed and not reused.
    public func cancel() {
        let waiter = state.withLock { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
            state.cancelled = true
            state.chunks = []
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: CancellationError())
        channel?.close(promise: nil)
    }

    /// What the reader gets next, decided under the lock.
    private enum Step {
        case chunk(ByteBuffer, resume: Bool)
        case end
        case failure(any Error)
        case wait
    }

    /// Takes the next chunk, or says how the body ended, or that nothing is there yet. A take that
    /// drains a paused body below ``lowWatermark`` un-pauses it (the caller then resumes reading).
    private static func step(_ state: inout State) -> Step {
        if state.head < state.chunks.count {
            let chunk = state.chunks[state.head]
            state.head += 1
            if state.head == state.chunks.count {
                state.chunks.removeAll(keepingCapacity: true)
                state.head = 0
            }
            state.buffered -= chunk.readableBytes
            let resume = state.paused && state.buffered < lowWatermark
            if resume { state.paused = false }
            return .chunk(chunk, resume: resume)
        }
        // A body its reader cancelled just ends, even if closing the connection failed it since.
        if state.cancelled { return .end }
        if let failure = state.failure { return .failure(failure) }
        if state.finished { return .end }
        return .wait
    }

    func next() async throws -> ByteBuffer? {
        switch state.withLock({ Self.step(&$0) }) {
        case .chunk(let chunk, let resume):
            if resume { resumeReading() }
            return chunk
        case .end:
            return nil
        case .failure(let error):
            throw error
        case .wait:
            // Unchecked: the lock hands the continuation to exactly one resume.
            return try await withUnsafeThrowingContinuation { continuation in
                let step = state.withLock { state -> Step in
                    let step = Self.step(&state)
                    if case .wait = step { state.waiter = continuation }
                    return step
                }
                switch step {
                case .chunk(let chunk, let resume):
                    if resume { resumeReading() }
                    continuation.resume(returning: chunk)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let body: UpstreamBody

        public mutating func next() async throws -> ByteBuffer? {
            try await body.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self)
    }
}
