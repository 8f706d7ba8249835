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
/// budget at all. Now the wallet sends the request with the output its budget has left, in the
/// member the provider reads, tells the app in `x-byoky-output-limit`, and holds exactly that.
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
            // The input is held at a token a byte; the rest of the cap is the answer's.
            let expected = Self.cap - check.body.utf8.count
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
            #expect(second.header("x-byoky-output-limit") == String(Self.cap - used - check.body.utf8.count))
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
            let perAnswer = (Self.cap - four.utf8.count) / 4
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
            let refused = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: body,
                headers: [bridge.authHeader(for: .openai)]
            )
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
            try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
            try await bridge.wallet.assign(app: Self.app, toGroup: "claude")
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 20_000, period: .lifetime)
            let body = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Write a novel"}]}"#
            let served = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: body,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(served.status == 200, "\(served.text)")
            #expect(served.json["object"] as? String == "chat.completion")
            let limit = try #require(served.header("x-byoky-output-limit").flatMap { Int($0) })
            #expect(limit == 20_000 - body.utf8.count)
            let last = try #require(bridge.upstreamBodies.withLock { $0.last })
            #expect(last.path.hasSuffix("/v1/messages"))
            let sent = try JSONNode.parse(last.body)
            let written = try #require(sent["max_tokens"]?.countValue)
            #expect(written > 0 && written <= limit, "\(sent.jsonString)")
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
            let expected = 30_000 - body.utf8.count
            #expect(served.headers.first { $0.name == "x-byoky-output-limit" }?.value == String(expected))
            let sent = try JSONNode.parse(try #require(fixture.upstreamBodies.withLock { $0.last }).body)
            #expect(sent["max_completion_tokens"] == .int(expected), "\(sent.jsonString)")
            #expect(try await fixture.giverUsedOnceCounted() > 0)
        }
    }
}
