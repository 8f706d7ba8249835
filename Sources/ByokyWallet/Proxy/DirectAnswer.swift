import ByokyCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The answer to a request started with no task of its own (``ProxyEngine/startDirectly``), on
/// the app connection's event loop: hears the provider's head, then its whole answer, which it
/// writes to the app at once (``EarlyAnswer``) and records. Whatever it cannot finish there (an
/// event stream, a long or unframed answer, one the connection could not take, a failure) it
/// hands to the connection's task (``ProxyEngine/AnswerFallback``) exactly once, as the answer
/// ``ProxyEngine/handle(_:sessionKey:)`` would have made after sending.
final class DirectAnswer: WholeAnswerTaker {
    private enum Phase {
        /// The request is sent; no head yet.
        case sent
        /// The head came, and the whole answer is awaited (the body holds this taker meanwhile).
        case awaitingWhole(UpstreamResponseParser.Head, UpstreamBody)
        /// Written and recorded here, or handed to the connection's task.
        case done
    }

    private let engine: ProxyEngine
    private let request: ProxyRequest
    /// The request's log entry as planned (its status comes with the answer).
    private let draft: RequestLogEntryDraft
    private let plan: RequestPlan
    private let addedStreamUsage: Bool
    /// The page whose session this answers, when it is one.
    private let allowedOrigin: String?
    private let early: EarlyAnswer
    private let fallback: ProxyEngine.AnswerFallback
    private let phase = Mutex(Phase.sent)

    init(
        engine: ProxyEngine,
        request: ProxyRequest,
        draft: RequestLogEntryDraft,
        plan: RequestPlan,
        addedStreamUsage: Bool,
        allowedOrigin: String?,
        early: EarlyAnswer,
        fallback: @escaping ProxyEngine.AnswerFallback
    ) {
        self.engine = engine
        self.request = request
        self.draft = draft
        self.plan = plan
        self.addedStreamUsage = addedStreamUsage
        self.allowedOrigin = allowedOrigin
        self.early = early
        self.fallback = fallback
    }

    /// Hears the provider's head, or the failure that ends the request before one.
    @Sendable func receive(_ head: Result<(UpstreamResponseParser.Head, UpstreamBody), any Error>) {
        switch head {
        case .success(let (head, body)) where Self.mayWaitForWhole(head):
            phase.withLock { phase in
                if case .sent = phase { phase = .awaitingWhole(head, body) }
            }
        case .success(let (head, body)):
            guard finish() else { return }
            handOver(head, body)
        case .failure(let error):
            guard finish() else { return }
            let answer = engine.failureAnswer(
                ProxyEngine.upstreamFailure(error, target: plan.target),
                to: request,
                family: plan.requested.family,
                draft: draft
            )
            fallback { answer }
        }
    }

    /// Whether the whole answer can wait to be written at once: a body that is not an event
    /// stream, of a declared length that never pauses the provider's connection for a reader.
    private static func mayWaitForWhole(_ head: UpstreamResponseParser.Head) -> Bool {
        guard let length = head.contentLength, length <= UpstreamBody.highWatermark else { return false }
        return !ContentType.isEventStream(head.headers.first(name: "content-type"))
    }

    func take(head: UpstreamResponseParser.Head, body whole: ByteBuffer) -> Bool {
        guard early.take(head: head, body: whole) else { return false }
        guard finish() else { return true }
        // Recorded as the task does with an answer written early (`ChannelResponseWriter`).
        let completion = completion(for: head)
        completion.adoptEarlyAnnouncement()
        completion.recordWhole(whole)
        return true
    }

    func bodyEndedUntaken() {
        guard case .awaitingWhole(let head, let body) = phase.withLock({ $0 }), finish() else { return }
        handOver(head, body)
    }

    /// Hands the provider's answer, `head` and `body`, to the connection's task, which passes it
    /// on as ``ProxyEngine/handle(_:sessionKey:)`` does.
    private func handOver(_ head: UpstreamResponseParser.Head, _ body: UpstreamBody) {
        let response = ProxyEngine.passedThrough(
            UpstreamClient.Response(status: head.status, headers: head.headers, body: body),
            family: plan.requested.family,
            dropsUsageOnlyChunk: addedStreamUsage,
            completion: completion(for: head)
        ).allowing(origin: allowedOrigin)
        fallback { response }
    }

    /// Marks the answer done (letting the provider's body go); whether it was not done before.
    private func finish() -> Bool {
        phase.withLock { phase in
            if case .done = phase { return false }
            phase = .done
            return true
        }
    }

    /// The completion that records the request, answered with `head`.
    private func completion(for head: UpstreamResponseParser.Head) -> RequestCompletion {
        var draft = draft
        draft.status = head.status
        return RequestCompletion(
            entry: draft,
            store: engine.records,
            provider: plan.target.id,
            contentType: head.headers.first(name: "content-type"),
            earlyAnswer: early
        )
    }
}
