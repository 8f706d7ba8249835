import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

/// A request that names no output limit is held at the most its model may write (for a model the
/// wallet does not know, the most any model writes). Under a cap or a gift smaller than that,
/// such requests were all refused, so an app that sends no `max_tokens` could not use a modest
/// budget at all. Now the wallet sends the request with half the output its budget has left (so
/// another request at the same time still fits), in the member the provider reads, tells the
/// app in `x-byoky-output-limit`, and holds exactly that.
@Suite(.timeLimit(.minutes(2)))
struct FittedOutputTests {
    static let app = "Bridge test"
    static let cap = 50_000

    /// A request with no output limit, and where its provider should find the one the wallet sets.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let provider: ProviderID
        let path: String
        let body: String
        /// The member path of the limit in the body the provider gets.
        let member: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "an OpenAI chat",
            provider: .openai,
            path: "/openai/v1/chat/completions",
            body: #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Write a novel"}]}"#,
            member: ["max_completion_tokens"]
        ),
        Case(
            name: "an OpenAI chat stream",
            provider: .openai,
            path: "/openai/v1/chat/completions",
            body:
                #"{"model":"mock-unknown-model","stream":true,"messages":[{"role":"user","content":"Write a novel"}]}"#,
            member: ["max_completion_tokens"]
        ),
        Case(
            name: "an OpenAI Responses call",
            provider: .openai,
            path: "/openai/v1/responses",
            body: #"{"model":"mock-unknown-model","input":"Write a novel"}"#,
            member: ["max_output_tokens"]
        ),
        Case(
            name: "an Anthropic message",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            body: #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Write a novel"}]}"#,
            member: ["max_tokens"]
        ),
        Case(
            name: "a Gemini generation in snake_case",
            provider: .gemini,
            path: "/gemini/v1beta/models/mock-unknown-model:generateContent",
            body:
                #"{"contents":[{"role":"user","parts":[{"text":"Write a novel"}]}],"generation_config":{"temperature":1}}"#,
            member: ["generation_config", "maxOutputTokens"]
        ),
        Case(
            name: "a Gemini stream",
            provider: .gemini,
            path: "/gemini/v1beta/models/mock-unknown-model:streamGenerateContent?alt=sse",
            body: #"{"contents":[{"role":"user","parts":[{"text":"Write a novel"}]}]}"#,
            member: ["generationConfig", "maxOutputTokens"]
        ),
        Case(
            name: "a Cohere chat",
            provider: .cohere,
            path: "/cohere/v2/chat",
            body: #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Write a novel"}]}"#,
            member: ["max_tokens"]
        ),
    ]

    /// The output limit a request gets under a budget with `room` tokens left: half of what is
    /// left after its input (held at a token a byte), shared by its answers, at least 256 each.
    static func fittedLimit(room: Int, input: Int, answers: Int = 1) -> Int {
        max(256 * answers, (room - input) / 2) / answers
    }

    /// An OpenAI chat through the bridge.
    static func chat(_ bridge: BridgeFixture, _ body: String) async throws -> BridgeFixture.Exchange {
        try await bridge.send(
            .POST,
            "/openai/v1/chat/completions",
            body: body,
            headers: [bridge.authHeader(for: .openai)]
        )
    }

    /// Routes the test app to Claude Sonnet by a group.
    static func routeToClaude(_ bridge: BridgeFixture) async throws {
        try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
        try await bridge.wallet.assign(app: app, toGroup: "claude")
    }

    /// The last body the mock read, parsed.
    static func lastUpstreamBody(_ bodies: Locked<[MockProvider.ObservedBody]>) throws -> JSONNode {
        let last = try #require(bodies.withLock { $0.last })
        return try JSONNode.parse(last.body)
    }

    static func member(_ path: [String], of node: JSONNode) -> JSONNode? {
        path.reduce(Optional(node)) { node, name in node?[name] }
    }

    @Test(arguments: cases)
    func aRequestWithNoLimitIsSentWithWhatTheCapHasLeft(_ check: Case) async throws {
        try await BridgeFixture.with(grant: [check.provider]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: Self.cap, period: .lifetime)
            let served = try await bridge.send(
                .POST,
                check.path,
                body: check.body,
                headers: [bridge.authHeader(for: check.provider)]
            )
            #expect(served.status == 200, "\(served.text)")
            // The input is held at a token a byte; half the rest of the cap is the answer's.
            let expected = Self.fittedLimit(room: Self.cap, input: check.body.utf8.count)
            #expect(served.header("x-byoky-output-limit") == String(expected))
            let sent = try Self.lastUpstreamBody(bridge.upstreamBodies)
            #expect(Self.member(check.member, of: sent) == .int(expected), "\(sent.jsonString)")
            // Nothing else of the app's request changed.
            let original = try JSONNode.parse(check.body)
            for member in original.objectValue ?? JSONObject() where member.key != check.member.first {
                #expect(sent[member.key] == member.value, "\(member.key)")
            }
            // The cap is charged what the provider counted, not the hold.
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used > 0 && used < 1_000, "\(used)")
        }
    }

    /// Each request is fitted to what the cap has left then: after one is charged, the next gets less.
    @Test func theNextRequestGetsWhatIsLeft() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: Self.cap, period: .lifetime)
            let check = Self.cases[0]
            let auth = bridge.authHeader(for: .openai)
            let first = try await bridge.send(.POST, check.path, body: check.body, headers: [auth])
            #expect(first.status == 200, "\(first.text)")
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            let second = try await bridge.send(.POST, check.path, body: check.body, headers: [auth])
            #expect(second.status == 200, "\(second.text)")
            #expect(
                second.header("x-byoky-output-limit")
                    == String(Self.fittedLimit(room: Self.cap - used, input: check.body.utf8.count))
            )
        }
    }

    /// Requests sent at once each get a share of what is left (half, a quarter, …), so none is
    /// refused while another is under way; together they never hold more than the cap.
    @Test func requestsAtOnceEachGetAShare() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: Self.cap, period: .lifetime)
            let check = Self.cases[0]
            let auth = bridge.authHeader(for: .openai)
            let answers = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let answer = try await bridge.send(.POST, check.path, body: check.body, headers: [auth])
                        return (answer.status, answer.header("x-byoky-output-limit").flatMap { Int($0) })
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.map(\.0) == [200, 200, 200, 200], "\(answers)")
            let limits = answers.compactMap(\.1)
            #expect(limits.count == 4 && limits.allSatisfy { $0 >= 256 }, "\(limits)")
            #expect(limits.reduce(0, +) + 4 * check.body.utf8.count <= Self.cap, "\(limits)")
        }
    }

    /// Several answers share what is left; a limit the app names is never changed (a request
    /// whose named limit does not fit is refused, as before); with too little left for an answer
    /// the request is refused and says why, and the provider is not called.
    @Test func answersShareTheRoomAndNamedLimitsAreKept() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: Self.cap, period: .lifetime)
            let auth = bridge.authHeader(for: .openai)
            let path = "/openai/v1/chat/completions"
            let four = #"{"model":"mock-unknown-model","n":4,"messages":[{"role":"user","content":"Hi"}]}"#
            let shared = try await bridge.send(.POST, path, body: four, headers: [auth])
            #expect(shared.status == 200, "\(shared.text)")
            let perAnswer = Self.fittedLimit(room: Self.cap, input: four.utf8.count, answers: 4)
            #expect(shared.header("x-byoky-output-limit") == String(perAnswer))
            #expect(try Self.lastUpstreamBody(bridge.upstreamBodies)["max_completion_tokens"] == .int(perAnswer))

            let named =
                #"{"model":"mock-unknown-model","max_tokens":60000,"messages":[{"role":"user","content":"Hi"}]}"#
            let refused = try await bridge.send(.POST, path, body: named, headers: [auth])
            #expect(refused.status == 429, "\(refused.text)")
            let fits = #"{"model":"mock-unknown-model","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}"#
            let kept = try await bridge.send(.POST, path, body: fits, headers: [auth])
            #expect(kept.status == 200, "\(kept.text)")
            #expect(kept.header("x-byoky-output-limit") == nil)
            let sent = try Self.lastUpstreamBody(bridge.upstreamBodies)
            #expect(sent["max_tokens"] == .int(100) && sent["max_completion_tokens"] == nil, "\(sent.jsonString)")
        }
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            let body = #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Hi"}]}"#
            try await bridge.wallet.setAllowance(app: Self.app, tokens: body.utf8.count + 100, period: .lifetime)
            let refused = try await Self.chat(bridge, body)
            #expect(refused.status == 429, "\(refused.text)")
            #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(refused.text.contains("fewer than \(256) tokens"), "\(refused.text)")
            #expect(bridge.upstreamBodies.withLock { $0.isEmpty })
        }
    }

    /// An app routed to another family is fitted in the target's own member, never above the
    /// limit the translation wrote.
    @Test func aTranslatedRequestIsFittedInTheTargetsMember() async throws {
        try await BridgeFixture.with(grant: [.openai, .anthropic]) { bridge in
            try await Self.routeToClaude(bridge)
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 20_000, period: .lifetime)
            let body = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Write a novel"}]}"#
            let served = try await Self.chat(bridge, body)
            #expect(served.status == 200, "\(served.text)")
            #expect(served.json["object"] as? String == "chat.completion")
            let limit = try #require(served.header("x-byoky-output-limit").flatMap { Int($0) })
            #expect(limit == Self.fittedLimit(room: 20_000, input: body.utf8.count))
            let last = try #require(bridge.upstreamBodies.withLock { $0.last })
            #expect(last.path.hasSuffix("/v1/messages"))
            let sent = try JSONNode.parse(last.body)
            let written = try #require(sent["max_tokens"]?.countValue)
            #expect(written > 0 && written <= limit, "\(sent.jsonString)")
        }
    }

    /// Anthropic refuses a thinking budget at or above `max_tokens` (the mock too): an app that
    /// asks for much reasoning, moved to Claude and fitted to a small cap, is sent with the
    /// budget lowered below the limit, or with no thinking when none fits.
    @Test(arguments: [(10_000, true), (900, false)])
    func aTranslatedThinkingBudgetIsFittedBelowTheLimit(cap: Int, thinks: Bool) async throws {
        try await BridgeFixture.with(grant: [.openai, .anthropic]) { bridge in
            try await Self.routeToClaude(bridge)
            let body = #"{"model":"o3","reasoning_effort":"high","messages":[{"role":"user","content":"Prove it"}]}"#
            try await bridge.wallet.setAllowance(app: Self.app, tokens: cap, period: .lifetime)
            let served = try await Self.chat(bridge, body)
            #expect(served.status == 200, "\(served.text)")
            let sent = try Self.lastUpstreamBody(bridge.upstreamBodies)
            let limit = Self.fittedLimit(room: cap, input: body.utf8.count)
            #expect(sent["max_tokens"] == .int(limit), "\(sent.jsonString)")
            if thinks {
                #expect(sent["thinking"]?["budget_tokens"] == .int(limit - 1), "\(sent.jsonString)")
            } else {
                #expect(sent["thinking"] == nil, "\(sent.jsonString)")
            }
        }
    }

    /// A gift's giver fits the request to what the gift has left, and the receiver's app hears
    /// the limit through the relay.
    @Test func aGiftFitsTheRequestToItsBudget() async throws {
        try await GiftFixture.with(budget: 30_000, provider: .openai) { fixture in
            let body = #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Write a novel"}]}"#
            let served = await fixture.receiverCall(.openai, "/v1/chat/completions", body: body)
            let text = String(buffer: try await served.body.collect(upTo: 1_048_576))
            #expect(served.status == 200, "\(text)")
            let expected = Self.fittedLimit(room: 30_000, input: body.utf8.count)
            #expect(served.headers.first { $0.name == "x-byoky-output-limit" }?.value == String(expected))
            let sent = try JSONNode.parse(try #require(fixture.upstreamBodies.withLock { $0.last }).body)
            #expect(sent["max_completion_tokens"] == .int(expected), "\(sent.jsonString)")
            #expect(try await fixture.giverUsedOnceCounted() > 0)
        }
    }
}
