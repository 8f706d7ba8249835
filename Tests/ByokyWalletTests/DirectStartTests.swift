import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import ByokyWallet

/// A request started with no task (``ProxyEngine/startDirectly(_:sessionKey:memo:fallback:)``)
/// is answered and recorded exactly as ``ProxyEngine/handle(_:sessionKey:)`` answers and records
/// it, whichever way its answer goes: written whole at once from the provider's read, or handed
/// to the connection's task (a stream, a long answer, one the connection cannot take, a provider
/// that closed the pooled connection or stays silent). A request it cannot start is left
/// untouched: nothing sent, nothing recorded.
@Suite(.timeLimit(.minutes(1)))
struct DirectStartTests {
    static let upstreamKey = "sk-upstream-DIRECT-7"

    /// How a directly started request's answer went.
    enum Outcome: Sendable, Equatable {
        /// Written whole from the provider's read.
        case written(status: Int, body: String)
        /// Made in the connection's task (the fallback) and read to its end.
        case fellBack(status: Int, body: String)

        var status: Int {
            switch self {
            case .written(let status, _), .fellBack(let status, _): status
            }
        }

        var body: String {
            switch self {
            case .written(_, let body), .fellBack(_, let body): body
            }
        }
    }

    /// Where a request's outcome lands, as a connection takes it (`ChannelResponseWriter`): the
    /// writer of whole answers writes one until the connection's task claims the answer; the
    /// task, once its answer is made, claims it and only records one written early meanwhile, or
    /// else reads it to its end. Every report is kept (a request must be answered once).
    final class Answers: WholeAnswerWriter {
        let accepts: Bool
        /// What was reported, and whether the task claimed the answer: one lock, as a connection
        /// claims on the event loop the early write runs on.
        private let state = Mutex((outcomes: [Outcome](), isClaimed: false))

        init(accepts: Bool = true) {
            self.accepts = accepts
        }

        func canWriteWhole() -> Bool { accepts && !state.withLock { $0.isClaimed } }

        func writeWhole(_ answer: WholeAnswer, beforeWriting: () -> Void) -> Bool {
            state.withLock { state in
                guard accepts, !state.isClaimed else { return false }
                beforeWriting()
                state.outcomes.append(.written(status: answer.status, body: String(buffer: answer.body)))
                return true
            }
        }

        func report(_ outcome: Outcome) {
            state.withLock { $0.outcomes.append(outcome) }
        }

        /// Claims the answer for the task; whether it was written early already.
        private func claim() -> Bool {
            state.withLock { state in
                state.isClaimed = true
                return !state.outcomes.isEmpty
            }
        }

        var fallback: ProxyEngine.AnswerFallback {
            { [self] makeAnswer in
                Task {
                    let response = await makeAnswer()
                    if claim() {
                        if let whole = response.body.takeIfWrittenEarly() {
                            await response.body.recordWritten(whole)
                        } else {
                            await response.body.abandon()
                        }
                        return
                    }
                    let body = (try? await response.body.collect(upTo: 16 * 1024 * 1024)) ?? ByteBuffer()
                    report(.fellBack(status: response.status, body: String(buffer: body)))
                }
            }
        }

        /// Every outcome reported, once at least one is (at most 10 s), and a moment later.
        func reported() async throws -> [Outcome] {
            let deadline = ContinuousClock.now + .seconds(10)
            while state.withLock({ $0.outcomes.isEmpty }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(50))
            return state.withLock { $0.outcomes }
        }
    }

    /// A wallet with an Anthropic key at `upstream`, a session for it, and an engine whose
    /// provider connections run on one event loop (the one a connection would start requests on).
    struct Setup: Sendable {
        let wallet: Wallet
        let engine: ProxyEngine
        let sessionKey: String
        let loop: any EventLoop

        static func with(
            upstreamPort: Int,
            headTimeout: TimeAmount = .seconds(10),
            _ body: (Setup) async throws -> Void
        ) async throws {
            try await TemporaryFolder.with { folder in
                let wallet = try await Wallet.open(home: WalletHome(path: folder.path + "/home"))
                let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
                var configuration = UpstreamClient.Configuration()
                configuration.eventLoopGroup = group
                let client = UpstreamClient(configuration: configuration)
                do {
                    try await wallet.initialize(password: "Direct-Start-Password-1", iterations: 100_000)
                    try await wallet.addCredential(
                        provider: .anthropic,
                        secret: SecretString(upstreamKey),
                        baseURL: "http://127.0.0.1:\(upstreamPort)"
                    )
                    let grant = try await wallet.createSession(
                        app: AppIdentity(name: "Direct"),
                        providers: [.anthropic]
                    )
                    let engine = ProxyEngine(
                        wallet: wallet,
                        httpClient: client,
                        configuration: .init(headTimeout: headTimeout)
                    )
                    try await body(
                        Setup(wallet: wallet, engine: engine, sessionKey: grant.key.exposedValue, loop: group.next())
                    )
                } catch {
                    try? await client.shutdown()
                    try? await wallet.close()
                    try? await group.shutdownGracefully()
                    throw error
                }
                try await client.shutdown()
                try await wallet.close()
                try await group.shutdownGracefully()
            }
        }

        static func request(
            model: String = "mock-words-5",
            stream: Bool = false,
            writer: (any WholeAnswerWriter)? = nil
        ) -> ProxyRequest {
            let body =
                #"{"model":"\#(model)","max_tokens":64,"stream":\#(stream),"messages":[{"role":"user","content":"hi"}]}"#
            return ProxyRequest(
                provider: .anthropic,
                method: "POST",
                pathAndQuery: "/v1/messages",
                headers: [("content-type", "application/json"), ("anthropic-version", "2023-06-01")],
                body: ByteBuffer(string: body),
                wholeAnswerWriter: writer
            )
        }

        /// Answers a request the usual way, in a task, and reads its answer.
        func handle(_ request: ProxyRequest = request()) async throws -> Outcome {
            let response = await engine.handle(request, sessionKey: sessionKey)
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return .fellBack(status: response.status, body: String(buffer: body))
        }

        /// Starts a request on the connections' event loop, as a connection's handler does, just
        /// after the session's records were read into the wallet's cache (which keeps them a
        /// second): up to five tries, as a loaded machine may take that long to get there.
        func start(_ request: ProxyRequest, answers: Answers, sessionKey: String? = nil) async throws -> Bool {
            let (engine, key) = (engine, sessionKey ?? self.sessionKey)
            for _ in 0..<5 {
                _ = try? await wallet.planningRecords(sessionKey: key)
                let started = try await loop.submit {
                    engine.startDirectly(request, sessionKey: key, memo: nil, fallback: answers.fallback)
                }.get()
                if started { return true }
            }
            return false
        }

        /// The log's entries, oldest first, once `count` are there.
        func logEntries(count: Int) async throws -> [LogEntrySummary] {
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                let entries = try await wallet.logPage(LogFilter(), after: nil, limit: 100).entries
                if entries.count >= count || ContinuousClock.now >= deadline { return entries.reversed() }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// The mock provider with the upstream key, counting what reaches it.
    static func withMock(
        _ body: @Sendable (Int, Locked<[MockProvider.ObservedRequest]>) async throws -> Void
    )
        async throws
    {
        let seen = Locked<[MockProvider.ObservedRequest]>([])
        let configuration = MockProvider.Configuration(
            apiKey: upstreamKey,
            onRequest: { request in seen.withLock { $0.append(request) } }
        )
        try await MockProvider.withRunningServer(configuration: configuration) { port in try await body(port, seen) }
    }

    /// What a log entry says of a request, apart from its identity and timing.
    static func essence(_ entry: LogEntrySummary) -> String {
        [
            entry.appName, entry.provider, entry.actualProvider, entry.model ?? "-", entry.method, entry.path,
            String(entry.status), entry.inputTokens.map(String.init) ?? "-",
            entry.outputTokens.map(String.init) ?? "-", entry.errorCode ?? "-",
        ].joined(separator: " ")
    }

    /// The text of an Anthropic answer (the ids differ from one answer to the next).
    static func text(of body: String) -> String? {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let content = json["content"] as? [[String: Any]]
        else { return nil }
        return content.compactMap { $0["text"] as? String }.joined()
    }

    @Test func withNoProviderConnectionPooledOneIsMadeOnTheConnectionsEventLoop() async throws {
        try await Self.withMock { port, seen in
            try await Setup.with(upstreamPort: port) { (setup: Setup) async throws in
                // The first request of all: the session read into the cache, no connection pooled.
                let answers = Answers()
                #expect(try await setup.start(Setup.request(writer: answers), answers: answers))
                #expect(try await answers.reported().map(\.status) == [200])
                #expect(seen.withLock { $0.count } == 1)
                #expect(setup.engine.state.requestsStartedDirectly == 1)
                // That connection went to the pool, on that loop: the next request takes it.
                let next = Answers()
                #expect(try await setup.start(Setup.request(writer: next), answers: next))
                #expect(try await next.reported().map(\.status) == [200])
                #expect(try await setup.logEntries(count: 2).map(\.status) == [200, 200])
            }
        }
    }

    @Test func aProviderThatCannotBeReachedIsAnsweredWithTheUsualError() async throws {
        // A port nothing listens on any more.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        try await server.close()
        try await Setup.with(upstreamPort: port) { setup in
            let usual = try await setup.handle()
            let answers = Answers()
            #expect(try await setup.start(Setup.request(writer: answers), answers: answers))
            let outcomes = try await answers.reported()
            #expect(outcomes == [.fellBack(status: usual.status, body: usual.body)])
            let entries = try await setup.logEntries(count: 2)
            try #require(entries.count == 2)
            #expect(Self.essence(entries[1]) == Self.essence(entries[0]))
            #expect(entries[1].errorCode == ByokyError.Code.upstreamUnreachable.rawValue)
        }
    }

    @Test func aWholeAnswerIsWrittenAtOnceAndRecordedAsTheUsualWayRecordsIt() async throws {
        try await Self.withMock { port, seen in
            try await Setup.with(upstreamPort: port) { setup in
                let usual = try await setup.handle()
                let answers = Answers()
                #expect(try await setup.start(Setup.request(writer: answers), answers: answers))
                let outcomes = try await answers.reported()
                try #require(outcomes.count == 1)
                guard case .written(200, let body) = outcomes[0] else {
                    Issue.record("not written whole: \(outcomes[0])")
                    return
                }
                #expect(Self.text(of: body) == Self.text(of: usual.body))
                #expect(Self.text(of: body)?.isEmpty == false)
                let entries = try await setup.logEntries(count: 2)
                try #require(entries.count == 2)
                #expect(Self.essence(entries[1]) == Self.essence(entries[0]))
                #expect(entries[1].inputTokens != nil && entries[1].outputTokens == 5)
                // The owner's key went upstream, and only it: the session key never did.
                #expect(seen.withLock { $0.map(\.carriedKey) } == [true, true])
            }
        }
    }

    /// Answers that cannot be written whole from the provider's read: each goes to the
    /// connection's task, complete, and is recorded as the usual way records it.
    enum HandedOver: String, CaseIterable, Sendable {
        case stream, longAnswer, connectionBusy
    }

    @Test(arguments: HandedOver.allCases)
    func anAnswerThatCannotGoAtOnceGoesToTheConnectionsTask(_ kind: HandedOver) async throws {
        try await Self.withMock { port, _ in
            try await Setup.with(upstreamPort: port) { setup in
                let (model, stream) =
                    switch kind {
                    case .stream: ("mock-words-7", true)
                    // 20 words of 16 KiB: longer than an answer that waits whole for a reader.
                    case .longAnswer: ("mock-long-words-20", false)
                    case .connectionBusy: ("mock-words-3", false)
                    }
                let usual = try await setup.handle(Setup.request(model: model, stream: stream))
                let answers = Answers(accepts: kind != .connectionBusy)
                #expect(
                    try await setup.start(
                        Setup.request(model: model, stream: stream, writer: answers),
                        answers: answers
                    )
                )
                let outcomes = try await answers.reported()
                try #require(outcomes.count == 1)
                #expect(outcomes[0].status == 200)
                let body = outcomes[0].body
                // Handed over at its head; a long answer that arrived whole before the task read
                // it may still be written at once by then, as on the usual way.
                if case .written = outcomes[0], kind != .longAnswer {
                    Issue.record("written at once: \(kind)")
                }
                if stream {
                    #expect(body.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
                    #expect(body.utf8.count == usual.body.utf8.count)
                } else {
                    #expect(Self.text(of: body) == Self.text(of: usual.body))
                }
                let entries = try await setup.logEntries(count: 2)
                try #require(entries.count == 2)
                #expect(Self.essence(entries[1]) == Self.essence(entries[0]))
                #expect(entries[1].outputTokens != nil)
            }
        }
    }

    @Test func anErrorStatusFromTheProviderIsPassedOnAndRecorded() async throws {
        try await Self.withMock { port, _ in
            try await Setup.with(upstreamPort: port) { setup in
                let usual = try await setup.handle(Setup.request(model: "mock-error-429"))
                #expect(usual.status == 429)
                let answers = Answers()
                #expect(
                    try await setup.start(Setup.request(model: "mock-error-429", writer: answers), answers: answers)
                )
                #expect(try await answers.reported() == [.written(status: 429, body: usual.body)])
                let entries = try await setup.logEntries(count: 2)
                try #require(entries.count == 2)
                #expect(Self.essence(entries[1]) == Self.essence(entries[0]))
            }
        }
    }

    /// Requests that must take the usual way (they need a read, a reservation, a translation,
    /// or an answer in the provider's format that only the usual way makes): not started.
    enum NotStarted: String, CaseIterable, Sendable {
        case noSessionKey, unknownSessionKey, cappedApp, translatingGroup, offTheLoop
    }

    @Test(arguments: NotStarted.allCases)
    func aRequestTheUsualWayMustServeIsNotStarted(_ kind: NotStarted) async throws {
        try await Self.withMock { port, seen in
            try await Setup.with(upstreamPort: port) { setup in
                #expect(try await setup.handle().status == 200)
                let answers = Answers()
                let request = Setup.request(writer: answers)
                let started: Bool
                switch kind {
                case .noSessionKey:
                    started = try await setup.start(request, answers: answers, sessionKey: "")
                case .unknownSessionKey:
                    started = try await setup.start(request, answers: answers, sessionKey: "byk_not-a-session-of-this")
                case .cappedApp:
                    try await setup.wallet.setAllowance(app: "Direct", tokens: 1_000_000)
                    started = try await setup.start(request, answers: answers)
                case .translatingGroup:
                    try await setup.wallet.addCredential(
                        provider: .openai,
                        secret: SecretString(Self.upstreamKey),
                        baseURL: "http://127.0.0.1:\(port)"
                    )
                    try await setup.wallet.addGroup(name: "to-openai", provider: .openai, model: "gpt-test")
                    try await setup.wallet.assign(app: "Direct", toGroup: "to-openai")
                    started = try await setup.start(request, answers: answers)
                case .offTheLoop:
                    started = setup.engine.startDirectly(
                        request,
                        sessionKey: setup.sessionKey,
                        memo: nil,
                        fallback: answers.fallback
                    )
                }
                #expect(!started)
                #expect(seen.withLock { $0.count } == 1)
                #expect(setup.engine.state.requestsStartedDirectly == 0)
                #expect(try await setup.logEntries(count: 1).count == 1)
            }
        }
    }

    @Test func aPooledConnectionTheProviderClosedIsSentAgainTheUsualWay() async throws {
        try await ScriptedProvider.with(second: .close) { port, provider in
            try await Setup.with(upstreamPort: port) { setup in
                #expect(try await setup.handle() == .fellBack(status: 200, body: ScriptedProvider.answer))
                let answers = Answers()
                #expect(try await setup.start(Setup.request(writer: answers), answers: answers))
                let outcomes = try await answers.reported()
                #expect(outcomes.map(\.status) == [200])
                #expect(outcomes.map(\.body) == [ScriptedProvider.answer])
                // The warm-up, the request on the closed connection, the same again on a new one.
                #expect(provider.requests.withLock { $0 } == [1, 2, 1])
                let entries = try await setup.logEntries(count: 2)
                #expect(entries.map(\.status) == [200, 200])
            }
        }
    }

    @Test func aProviderSilentPastTheHeadTimeoutIsAnsweredWithTheTimeoutError() async throws {
        try await ScriptedProvider.with(second: .silence) { port, provider in
            try await Setup.with(upstreamPort: port, headTimeout: .milliseconds(300)) { setup in
                #expect(try await setup.handle().status == 200)
                let answers = Answers()
                #expect(try await setup.start(Setup.request(writer: answers), answers: answers))
                let outcomes = try await answers.reported()
                try #require(outcomes.count == 1)
                guard case .fellBack(504, let body) = outcomes[0] else {
                    Issue.record("not the timeout error: \(outcomes[0])")
                    return
                }
                // In Anthropic's error format, as the usual way answers it.
                let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                #expect(json["type"] as? String == "error")
                #expect(provider.requests.withLock { $0 } == [1, 2])
                let entries = try await setup.logEntries(count: 2)
                try #require(entries.count == 2)
                #expect(entries[1].status == 504)
                #expect(entries[1].errorCode == ByokyError.Code.upstreamTimeout.rawValue)
            }
        }
    }
}

/// A provider that answers the first request of each connection with a fixed Anthropic answer,
/// and the second as scripted: closes the connection without a word, or says nothing at all.
final class ScriptedProvider: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    enum Second: Sendable { case close, silence }

    static let answer =
        #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"ok"}],"#
        + #""stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":1}}"#

    /// For each request that arrived, its number on its connection.
    let requests: Locked<[Int]>
    private let second: Second
    private var count = 0

    init(second: Second, requests: Locked<[Int]>) {
        self.second = second
        self.requests = requests
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        count += 1
        requests.withLock { $0.append(count) }
        guard count == 1 else {
            if second == .close { context.close(promise: nil) }
            return
        }
        let headers: HTTPHeaders = ["content-type": "application/json", "content-length": "\(Self.answer.utf8.count)"]
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
            promise: nil
        )
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: Self.answer)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Runs a provider that treats second requests as `second`; `body` gets its port and the
    /// handlers' shared record (through any of them).
    static func with(second: Second, _ body: (Int, ScriptedProvider) async throws -> Void) async throws {
        let requests = Locked<[Int]>([])
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedProvider(second: second, requests: requests))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let port = try #require(server.localAddress?.port)
            try await body(port, ScriptedProvider(second: second, requests: requests))
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
    }
}
