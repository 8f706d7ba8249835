import ByokyCore
import ByokyStore
import NIOCore
import Synchronization

/// Records one proxied request in the audit log exactly once, when its body is done.
///
/// A body dropped before its end without being abandoned (an answer whose connection was gone
/// before it could be written, in any server) is abandoned when its completion goes: recorded as
/// cut short, its budget settled and the provider's answer stopped (``stopsOnAbandon(_:)``).
final class RequestCompletion: Sendable {
    private struct State {
        /// The entry, until it is recorded (taken out then, not copied).
        var entry: RequestLogEntryDraft?
        var isFinished = false
        /// Whether the entry was announced to the log before the answer was written.
        var isAnnounced = false
        /// The usage meter, made when the first chunk is fed to it: an answer metered as the log
        /// stores it (``recordWhole(_:)``) needs none here.
        var meter: UsageMeter?
        /// The answer's usage when it was read whole, not metered (``settle(usageOf:provider:)``).
        var settled: SettledUsage?
        /// Stops the provider's answer when the body is dropped before its end.
        var stop: (@Sendable () -> Void)?
        /// Values let go with the completion (after the answer is written), not on its path.
        var kept: [any Sendable] = []
        /// The id of a stored response read back that ran in the background, read from the
        /// metered answer before the meter lets its bytes go.
        var backgroundID: String?

        /// The entry to record and whether it was announced, once: `nil` when it was recorded.
        mutating func takeEntry() -> (entry: RequestLogEntryDraft, wasAnnounced: Bool)? {
            guard !isFinished, let entry = entry.take() else { return nil }
            isFinished = true
            return (entry, isAnnounced)
        }
    }

    private let state: Mutex<State>
    private let store: any ProxyRecords
    private let provider: ProviderID
    /// The answer's `content-type`, as the provider sent it.
    let contentType: String?
    private let started: ContinuousClock.Instant
    private let shouldLog: Bool
    /// Whether the answer's usage is read and recorded.
    private let metering: UsageMetering
    private let hold: BudgetHold?
    /// The request's early write of its answer, whose log announcement this takes over.
    private let earlyAnswer: EarlyAnswer?

    init(
        entry: RequestLogEntryDraft,
        store: any ProxyRecords,
        provider: ProviderID,
        contentType: String?,
        shouldLog: Bool = true,
        metering: UsageMetering = .always,
        hold: BudgetHold? = nil,
        earlyAnswer: EarlyAnswer? = nil
    ) {
        self.metering = metering
        self.hold = hold
        self.earlyAnswer = earlyAnswer
        self.state = Mutex(State(entry: entry, isFinished: !shouldLog))
        self.shouldLog = shouldLog
        self.store = store
        self.provider = provider
        self.contentType = contentType
        self.started = entry.started
    }

    /// A new meter for the answer.
    private func makeMeter() -> UsageMeter {
        UsageMeter(provider: provider, contentType: contentType)
    }

    /// The error code of a request whose app stopped reading before the end.
    static let clientClosed = "CLIENT_CLOSED"

    deinit {
        // The usual completion is finished: it reads one flag (nothing copied out of the state).
        guard !state.withLock({ $0.isFinished }) else { return }
        let (errorCode, stop) = state.withLock { ($0.entry?.errorCode, $0.stop) }
        record(usage: partialUsage(), errorCode: errorCode ?? Self.clientClosed)
        stop?()
    }

    /// Sets what stops the provider's answer if its body is dropped before its end.
    func stopsOnAbandon(_ stop: @escaping @Sendable () -> Void) {
        state.withLock { $0.stop = stop }
    }

    /// Feeds a body chunk to the usage meter. When the chunk holds the stream's closing event, the
    /// request is recorded now, before the chunk goes on: an app that stops reading at that event
    /// (and asks for the log) must find its entry, though the provider has not ended the body yet.
    func meter(_ chunk: ByteBuffer) async {
        if case .never = metering { return }
        let ended = state.withLock { state in
            var meter = state.meter.take() ?? makeMeter()
            chunk.withUnsafeReadableBytes { meter.consume($0) }
            state.meter = meter
            return meter.sawStreamEnd && !state.isFinished
        }
        if ended { await finish(usage: partialUsage(), errorCode: nil) }
    }

    /// Keeps `value` as long as the request's answer is being sent (the completion goes with its
    /// body), so freeing it (a translation's documents) does not delay the answer.
    func keepWhileAnswering(_ value: some Sendable) {
        state.withLock { $0.kept.append(value) }
    }

    /// Announces the request's entry to the log before its answer is written, for a server that
    /// records it right after (readers of the log wait for it meanwhile). Once at most.
    func announce() {
        let announces = state.withLock { state -> Bool in
            guard !state.isFinished, !state.isAnnounced else { return false }
            state.isAnnounced = true
            return true
        }
        if announces { store.announceEntry() }
    }

    /// Takes over the log announcement made before the answer was written early
    /// (``EarlyAnswer``): the entry recorded is the one its readers wait for.
    func adoptEarlyAnnouncement() {
        guard earlyAnswer?.takeAnnouncement() == true else { return }
        let adopted = state.withLock { state -> Bool in
            guard !state.isFinished, !state.isAnnounced else { return false }
            state.isAnnounced = true
            return true
        }
        if !adopted { store.withdrawEntry() }
    }

    /// The usage metered so far (complete when the body has ended).
    func partialUsage() -> TokenUsage? {
        state.withLock { state in
            guard let settled = state.settled else {
                // A meter fed nothing reads as a new one does.
                var meter = state.meter.take() ?? makeMeter()
                defer { state.meter = meter }
                if case .firstReadOfBackgroundResponse = metering, state.backgroundID == nil {
                    state.backgroundID = meter.withJSONBody(BackgroundResponses.backgroundID) ?? nil
                }
                return meter.finish()
            }
            // Read once: a later call finds the usage, not the answer to read again.
            let usage = settled.usage
            state.settled = .usage(usage)
            return usage
        }
    }

    /// Sets the answer's usage, to be read from the whole answer as `provider` wrote it (a tree
    /// parsed already), in place of metering its chunks. Read when the request is recorded, after
    /// its answer is written: reading it does not delay the answer.
    func settle(usageOf answer: JSONNode, provider: ProviderID) {
        state.withLock { $0.settled = .answer(answer, provider) }
    }

    /// Sets the answer's usage, read from the whole answer, in place of metering its chunks.
    func settle(usage: TokenUsage?) {
        state.withLock { $0.settled = .usage(usage) }
    }

    /// Writes the log entry (only the first call does).
    func finish(usage: TokenUsage?, errorCode: String?) async {
        record(usage: usage, errorCode: errorCode)
    }

    /// Records the request whose answer was written whole, `whole` being the provider's bytes.
    /// Its usage is read on the log's writer thread as the entry is stored, not on the request's
    /// path (the connection's event loop, where the next request waits for it), unless a budget
    /// hold is settled with it or something was metered or settled already: then it is read here.
    func recordWhole(_ whole: ByteBuffer) async {
        let deferred: (entry: RequestLogEntryDraft, wasAnnounced: Bool)? =
            hold != nil
            ? nil
            : state.withLock { state in
                guard state.meter == nil, state.settled == nil else { return nil }
                return state.takeEntry()
            }
        guard let (entry, wasAnnounced) = deferred else {
            await meter(whole)
            await finish(usage: partialUsage(), errorCode: nil)
            return
        }
        let record = Self.record(of: entry, started: started, usage: nil, errorCode: nil)
        let (provider, contentType) = (self.provider, self.contentType)
        let metering = self.metering
        let reading: (@Sendable (inout RequestLogRecord) -> Void)? = { record in
            // As the meter reads a whole answer fed to it in one chunk.
            var meter = UsageMeter(provider: provider, contentType: contentType)
            whole.withUnsafeReadableBytes { meter.consume($0) }
            guard let usage = meter.finish(), whole.withUnsafeReadableBytes(metering.records) else { return }
            record.inputTokens = usage.inputTokens
            record.outputTokens = usage.outputTokens
        }
        store.enqueue(record, announced: wasAnnounced, completing: metering.isNever ? nil : reading, onWritten: {})
    }

    /// ``finish(usage:errorCode:)``, at once.
    private func record(usage: TokenUsage?, errorCode: String?) {
        guard let (entry, wasAnnounced) = state.withLock({ $0.takeEntry() }) else { return }
        let metered: TokenUsage?
        switch metering {
        case .always: metered = usage
        case .never: metered = nil
        case .firstReadOfBackgroundResponse(let responses):
            // Its id was read from the answer as the meter finished (a read is not settled or
            // translated).
            let id = state.withLock { $0.backgroundID }
            metered = usage != nil && id.map(responses.claim) == true ? usage : nil
        }
        let status = entry.status
        let hold = self.hold
        // Under a budget, usage that is unknown is recorded as the hold it is charged.
        let usage = hold?.recordedUsage(metered, status: status) ?? metered
        let record = Self.record(of: entry, started: started, usage: usage, errorCode: errorCode)
        // Written just after the response, off its path; the budget is settled once it is stored.
        store.enqueue(record, announced: wasAnnounced, completing: nil) { hold?.settle(usage: usage, status: status) }
    }

    /// The log record of `entry`, a request that began at `started` and ends now.
    private static func record(
        of entry: consuming RequestLogEntryDraft,
        started: ContinuousClock.Instant,
        usage: TokenUsage?,
        errorCode: String?
    ) -> RequestLogRecord {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(
            elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        )
        let errorCode = errorCode ?? entry.errorCode
        return entry.record(
            inputTokens: usage?.inputTokens,
            outputTokens: usage?.outputTokens,
            latency: milliseconds,
            errorCode: errorCode
        )
    }
}

/// Whether a request's answer's usage is recorded.
enum UsageMetering: Sendable {
    /// Recorded (a request that spends tokens).
    case always
    /// Not recorded: a request that spends no tokens (``CostlessRequest``), whose answer may
    /// repeat an earlier one's usage (a stored response or completion read back), spent and
    /// recorded once already.
    case never
    /// A stored response read back by an app with no cap: recorded when it ran in the background
    /// and this is the first read of it finished (its creation recorded none).
    case firstReadOfBackgroundResponse(BackgroundResponses)

    var isNever: Bool {
        if case .never = self { return true }
        return false
    }

    /// Whether usage read from the whole answer `answer` is recorded.
    @Sendable func records(_ answer: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .firstReadOfBackgroundResponse(let responses):
            BackgroundResponses.backgroundID(of: answer).map(responses.claim) ?? false
        }
    }
}

/// An answer's usage read from the whole answer (``RequestCompletion/settle(usageOf:provider:)``).
enum SettledUsage: Sendable {
    case usage(TokenUsage?)
    /// The parsed answer and the provider that wrote it, read when the usage is asked for.
    case answer(JSONNode, ProviderID)

    var usage: TokenUsage? {
        switch self {
        case .usage(let usage): usage
        case .answer(let answer, let provider): UsageExtractor.usage(fromParsed: answer, provider: provider)
        }
    }
}

/// What is known of a request before its body is done.
struct RequestLogEntryDraft: Sendable {
    var sessionID: String?
    var appName: String
    var provider: ProviderID
    var actualProvider: ProviderID
    var model: String?
    var method: String
    var path: String
    var status: Int
    var errorCode: String?
    var createdAt: Int64
    var started: ContinuousClock.Instant

    /// The entry as the log stores it (its texts moved, not copied).
    consuming func record(inputTokens: Int?, outputTokens: Int?, latency: Int, errorCode: String?) -> RequestLogRecord {
        RequestLogRecord(
            id: LogEntryID.next(),
            sessionID: sessionID,
            appName: appName,
            provider: provider.rawValue,
            actualProvider: actualProvider.rawValue,
            model: model,
            method: method,
            path: path,
            status: status,
            inputTokens: inputTokens,
            outputTokens: outputTokens,
            latencyMilliseconds: latency,
            errorCode: errorCode,
            createdAt: createdAt
        )
    }
}
