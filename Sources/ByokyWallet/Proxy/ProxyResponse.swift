import ByokyCore
import ByokyTranslate
public import NIOCore

/// The answer to a ``ProxyRequest``: a head, then a body to forward.
public struct ProxyResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: ProxyResponseBody
    /// The web origin whose session this answers, when it is one: the bridge lets that page read
    /// the answer (CORS is the HTTP edge's job, not the engine's).
    public var allowedOrigin: String? = nil

    /// The response, readable by the page at `origin`; telling the app the output limit its
    /// request was sent with, when `hold` was fitted to what a budget had left
    /// (``BudgetHold/outputLimitHeaderName``).
    func allowing(origin: String?, noting hold: BudgetHold? = nil) -> ProxyResponse {
        var copy = self
        copy.allowedOrigin = origin
        if let limit = hold?.fittedOutputLimit {
            copy.headers.append((BudgetHold.outputLimitHeaderName, String(limit)))
        }
        return copy
    }

    /// The response telling the app the output limit its request was sent with, when `hold` was
    /// fitted to what a budget had left (``BudgetHold/outputLimitHeaderName``).
    func noting(outputLimit hold: BudgetHold?) -> ProxyResponse {
        allowing(origin: allowedOrigin, noting: hold)
    }
}

/// A response body on its way from the provider (or the wallet) to the app.
///
/// Iterate it once. Chunks are passed on as they arrive (back-pressure comes from the reader),
/// usage is metered on the way, and the request is recorded in the audit log when the body ends.
/// If the reader stops early (the app went away), call ``abandon()`` so that is recorded too. A
/// failure in the middle of an event stream becomes a final error event in the app's format, so
/// the app sees an error, never a clean end.
public struct ProxyResponseBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    enum Storage: Sendable {
        case buffer(ByteBuffer)
        /// `dropsUsageOnlyChunk`: the wallet asked for stream usage the app did not ask for, so the
        /// provider's extra usage chunk is metered, then left out (``UnrequestedUsageFilter``).
        case upstream(UpstreamBody, family: APIFamily?, isEventStream: Bool, dropsUsageOnlyChunk: Bool = false)
        /// An answer that came through a relay (a received gift's giver).
        case relayed(AsyncThrowingStream<[UInt8], any Error>, family: APIFamily?, isEventStream: Bool)
        /// An upstream event stream translated into the app's family on the way.
        case translatedStream(UpstreamBody, StreamTranslator)

        /// The provider's body being read, when there is one (stopped when the app goes).
        var upstreamBody: UpstreamBody? {
            switch self {
            case .upstream(let body, _, _, _), .translatedStream(let body, _): body
            case .buffer, .relayed: nil
            }
        }
    }

    let storage: Storage
    let completion: RequestCompletion

    init(storage: Storage, completion: RequestCompletion) {
        self.storage = storage
        self.completion = completion
        // Dropped before its end without being abandoned, the body still stops the provider's answer.
        if let body = storage.upstreamBody { completion.stopsOnAbandon(body.cancel) }
    }

    /// The body's length when it is known before it is read (a buffered answer, or a provider's
    /// answer passed on unchanged with a `content-length`), so it can be sent without chunking.
    public var knownLength: Int? {
        switch storage {
        case .buffer(let buffer): buffer.readableBytes
        // An event stream may end with an error event of ours: its length is not the provider's.
        case .upstream(let body, _, let isEventStream, _): isEventStream ? nil : body.declaredLength
        case .translatedStream, .relayed: nil
        }
    }

    /// The whole body in one buffer when all of it is already here (a buffered answer, or a
    /// provider's plain answer that has fully arrived), with the request recorded; `nil` when it
    /// must be streamed, and then it is untouched. Sending a complete answer in one write saves
    /// the app a wake-up and the wallet a system call.
    public func takeIfComplete() async -> ByteBuffer? {
        guard let whole = wholeBody() else { return nil }
        await recordWritten(whole)
        return whole
    }

    /// ``takeIfComplete()`` for a server that writes the body at once and records the request
    /// right after, off the answer's path: the request is not recorded yet but announced to the
    /// log, whose readers wait for its entry; call ``recordWritten(_:)`` with the body as soon as
    /// it is written (or could not be).
    public func takeIfCompleteToRecordAfterWriting() -> ByteBuffer? {
        guard let whole = wholeBody() else { return nil }
        completion.announce()
        return whole
    }

    /// The whole body when it was written to the app already, as soon as it arrived
    /// (``ProxyRequest/wholeAnswerWriter``), with the request's entry announced to the log; call
    /// ``recordWritten(_:)`` with it. `nil` otherwise (once taken, too).
    public func takeIfWrittenEarly() -> ByteBuffer? {
        guard let whole = storage.upstreamBody?.takeWrittenEarly() else { return nil }
        completion.adoptEarlyAnnouncement()
        return whole
    }

    /// Records the request whose whole body (from ``takeIfCompleteToRecordAfterWriting()``) was
    /// sent: a provider's answer is metered (as the log stores the entry, where it can be).
    public func recordWritten(_ whole: ByteBuffer) async {
        guard case .upstream = storage else {
            await completion.finish(usage: completion.partialUsage(), errorCode: nil)
            return
        }
        await completion.recordWhole(whole)
    }

    /// The whole body when all of it is here; a provider's is taken from its reader.
    private func wholeBody() -> ByteBuffer? {
        switch storage {
        case .buffer(let buffer):
            return buffer
        case .upstream(let body, _, isEventStream: false, _):
            guard let chunks = body.takeAllIfFinished() else { return nil }
            var joined = chunks.first ?? ByteBuffer()
            for chunk in chunks.dropFirst() { joined.writeImmutableBuffer(chunk) }
            return joined
        case .upstream, .relayed, .translatedStream:
            return nil
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(storage: storage, completion: completion)
    }

    /// Records that the app stopped reading before the end (no effect once the body has ended),
    /// and stops the provider's answer.
    public func abandon() async {
        storage.upstreamBody?.cancel()
        await completion.finish(usage: completion.partialUsage(), errorCode: RequestCompletion.clientClosed)
    }

    public struct Iterator: AsyncIteratorProtocol {
        /// Where a passed-through body comes from.
        private enum Source {
            case http(UpstreamBody.AsyncIterator)
            case relay(AsyncThrowingStream<[UInt8], any Error>.AsyncIterator)
        }

        private enum Phase {
            case buffer(ByteBuffer)
            /// `remaining`: bytes still to come of a body whose length the provider declared;
            /// `filter`: set when the provider's usage-only chunk must not reach the app.
            case upstream(
                Source,
                family: APIFamily?,
                isEventStream: Bool,
                remaining: Int?,
                filter: UnrequestedUsageFilter?
            )
            case translated(UpstreamBody.AsyncIterator, StreamTranslator)
            case finalEvent(ByteBuffer)
            case done
        }

        private var phase: Phase
        private let completion: RequestCompletion

        init(storage: Storage, completion: RequestCompletion) {
            self.completion = completion
            switch storage {
            case .buffer(let buffer): phase = .buffer(buffer)
            case .upstream(let body, let family, let isEventStream, let dropsUsageOnlyChunk):
                phase = .upstream(
                    .http(body.makeAsyncIterator()),
                    family: family,
                    isEventStream: isEventStream,
                    remaining: isEventStream ? nil : body.declaredLength,
                    filter: dropsUsageOnlyChunk && isEventStream ? UnrequestedUsageFilter() : nil
                )
            case .relayed(let body, let family, let isEventStream):
                phase = .upstream(
                    .relay(body.makeAsyncIterator()),
                    family: family,
                    isEventStream: isEventStream,
                    remaining: nil,
                    filter: nil
                )
            case .translatedStream(let body, let translator):
                phase = .translated(body.makeAsyncIterator(), translator)
            }
        }

        @concurrent public mutating func next() async throws -> ByteBuffer? {
            switch phase {
            case .buffer(let buffer):
                phase = .done
                await completion.finish(usage: completion.partialUsage(), errorCode: nil)
                return buffer
            case .finalEvent(let buffer):
                phase = .done
                return buffer
            case .done:
                return nil
            case .translated(var upstream, var translator):
                // Loop until the translator has bytes for the app: not every upstream chunk completes an event.
                while true {
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await upstream.next()
                    } catch {
                        // The translator turns the cut into an error event in the app's format.
                        phase = .done
                        await completion.finish(
                            usage: completion.partialUsage(),
                            errorCode: ByokyError.Code.streamTruncated.rawValue
                        )
                        return ByteBuffer(bytes: translator.finish())
                    }
                    guard let chunk else {
                        let closing = translator.finish()
                        let errorCode = translator.isCleanFinish ? nil : ByokyError.Code.streamTruncated.rawValue
                        phase = .done
                        await completion.finish(usage: completion.partialUsage(), errorCode: errorCode)
                        return closing.isEmpty ? nil : ByteBuffer(bytes: closing)
                    }
                    await completion.meter(chunk)
                    let output = translator.translate(chunk.readableBytesView)
                    if !output.isEmpty {
                        phase = .translated(upstream, translator)
                        return ByteBuffer(bytes: output)
                    }
                }
            case .upstream(var upstream, let family, let isEventStream, var remaining, var filter):
                // Loop only while a filter holds back a whole chunk (part of an event, or the usage chunk).
                while true {
                    let chunk: ByteBuffer?
                    do {
                        switch upstream {
                        case .http(var iterator):
                            chunk = try await iterator.next()
                            upstream = .http(iterator)
                        case .relay(var iterator):
                            chunk = try await iterator.next().map { ByteBuffer(bytes: $0) }
                            upstream = .relay(iterator)
                        }
                    } catch {
                        let failure = ByokyError(
                            .streamTruncated,
                            "The provider's response ended early",
                            underlying: error
                        )
                        await completion.finish(usage: completion.partialUsage(), errorCode: failure.code.rawValue)
                        phase = .done
                        guard isEventStream else { throw failure }
                        var closing = ByteBuffer(bytes: filter?.finish() ?? [])
                        closing.writeBytes(ErrorBody.sseEvent(for: failure, family: family))
                        return closing
                    }
                    guard let chunk else {
                        phase = .done
                        await completion.finish(usage: completion.partialUsage(), errorCode: nil)
                        guard let rest = filter?.finish(), !rest.isEmpty else { return nil }
                        return ByteBuffer(bytes: rest)
                    }
                    await completion.meter(chunk)
                    if var active = filter {
                        let kept = active.filter(chunk.readableBytesView)
                        filter = active
                        phase = .upstream(
                            upstream,
                            family: family,
                            isEventStream: isEventStream,
                            remaining: nil,
                            filter: filter
                        )
                        if kept.isEmpty { continue }
                        return ByteBuffer(bytes: kept)
                    }
                    if let left = remaining {
                        remaining = left - chunk.readableBytes
                        // The last declared byte: record the request before the app can see the end
                        // (with a content-length, the app knows the answer is complete at once).
                        if left - chunk.readableBytes <= 0 {
                            phase = .done
                            await completion.finish(usage: completion.partialUsage(), errorCode: nil)
                            return chunk
                        }
                    }
                    phase = .upstream(
                        upstream,
                        family: family,
                        isEventStream: isEventStream,
                        remaining: remaining,
                        filter: nil
                    )
                    return chunk
                }
            }
        }
    }
}

extension ProxyResponseBody {
    /// Reads the whole body into one buffer (for tests and small bodies).
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await var chunk in self {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                await abandon()
                throw ByokyError.payloadTooLarge("Response body", limit: limit)
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}
