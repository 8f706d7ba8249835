public import NIOCore
import Synchronization

/// A response body arriving from the provider, read chunk by chunk.
///
/// Back-pressure: when more than ``highWatermark`` bytes wait unread, the connection stops
/// reading from the socket until the reader has drained them below ``lowWatermark``. Iterate it
/// once; ``cancel()`` (the app went away) closes the connection.
///
/// A body made with a whole-answer writer hands it the head and the whole body the moment the
/// answer ends cleanly, if no reader has touched it yet; once written that way, the body is
/// taken with ``takeWrittenEarly()`` and has nothing left to read.
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
        /// The answer's head, kept for the whole-answer writer.
        var answerHead: UpstreamResponseParser.Head?
        /// Whether a reader has asked for the body (then it is never written early).
        var isTouched = false
        /// The whole body, once the whole-answer writer wrote it.
        var writtenEarly: ByteBuffer?
    }

    private let state = Mutex(State())
    /// The `content-length` the provider declared, if any (known once the head has arrived).
    public var declaredLength: Int? { state.withLock { $0.declaredLength } }
    /// The provider connection the body arrives on (`nil` for a body complete when made): asked
    /// to read again after a pause, closed when the reader gives up. A reference, not two
    /// closures over it (which cost an allocation each a request).
    private let channel: (any Channel)?
    private let onWhole: (any WholeAnswerTaker)?

    init(channel: (any Channel)?, onWhole: (any WholeAnswerTaker)? = nil) {
        self.channel = channel
        self.onWhole = onWhole
    }

    /// A body that is already complete (tests, empty answers).
    init(complete chunks: [ByteBuffer]) {
        channel = nil
        onWhole = nil
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

    /// Records the provider's `content-length` from the response head (and the head, for a
    /// whole-answer writer).
    func declare(_ head: UpstreamResponseParser.Head) {
        let kept = onWhole == nil ? nil : head
        state.withLock { state in
            state.declaredLength = head.contentLength
            state.answerHead = kept
        }
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

    /// Ends the body, with `error` if it failed. An answer that ended cleanly with no reader yet
    /// goes to the whole-answer writer first.
    func finish(_ error: (any Error)? = nil) {
        if error == nil, let onWhole { writeEarly(with: onWhole) }
        let waiter = state.withLock { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Hands the whole answer to `onWhole` when no reader has touched the body; keeps it as
    /// written when `onWhole` wrote it. The body is not finished yet meanwhile: a reader on another
    /// thread would wait for its end, and the writer writes only on the app's own event loop.
    private func writeEarly(with onWhole: any WholeAnswerTaker) {
        let answer = state.withLock { state -> (UpstreamResponseParser.Head, ArraySlice<ByteBuffer>)? in
            guard !state.isTouched, !state.finished, !state.cancelled, state.waiter == nil,
                let head = state.answerHead
            else { return nil }
            return (head, state.chunks[state.head...])
        }
        guard let (head, chunks) = answer else { return }
        var whole = chunks.first ?? ByteBuffer()
        for chunk in chunks.dropFirst() { whole.writeImmutableBuffer(chunk) }
        guard onWhole.take(head: head, body: whole) else { return }
        state.withLock { state in
            state.writtenEarly = whole
            state.answerHead = nil
            state.isTouched = true
            state.chunks.removeAll()
            state.head = 0
            state.buffered = 0
        }
    }

    /// Whether the whole-answer writer wrote the body (it is left for ``takeWrittenEarly()``).
    /// Once a reader has seen the body's end, this is final: the early write happens, if at all,
    /// before the end is announced.
    var isWrittenEarly: Bool {
        state.withLock { $0.writtenEarly != nil }
    }

    /// Whether a reader is waiting for the next chunk.
    var hasWaitingReader: Bool {
        state.withLock { $0.waiter != nil }
    }

    /// The whole body, when the whole-answer writer wrote it (once).
    func takeWrittenEarly() -> ByteBuffer? {
        state.withLock { $0.writtenEarly.take() }
    }

    /// Every chunk at once when the provider's answer has already ended cleanly, so it can be sent
    /// on in one write; `nil` while it is still arriving (then iterate as usual).
    func takeAllIfFinished() -> [ByteBuffer]? {
        state.withLock { state in
            state.isTouched = true
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
        let step = state.withLock { state in
            state.isTouched = true
            return Self.step(&state)
        }
        switch step {
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
