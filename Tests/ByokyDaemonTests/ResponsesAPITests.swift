import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import Testing

/// OpenAI's Responses API (`/v1/responses`), the API new OpenAI apps and agents call, through the
/// bridge with the official SDK: plain and streamed (through the SDK's own accumulator), with and
/// without tools, on OpenAI, Azure OpenAI and an OpenAI-compatible provider, and moved by a
/// group to another provider that serves the API.
///
/// Before, the wallet added `stream_options.include_usage` (a Chat Completions option it needs
/// to meter those streams) to every streaming OpenAI or Azure request, and the Responses API
/// refuses it: every streamed Responses call through the bridge failed with 400 `Unknown
/// parameter: 'stream_options.include_usage'`. The Responses API reports usage in its
/// `response.completed` event unasked, and the wallet meters it from there.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct ResponsesAPITests {
    /// What the SDK is pointed at for `provider` on the bridge.
    static func baseURL(_ bridge: BridgeFixture, provider: ProviderID) -> String {
        let prefix = provider == .openai ? "/v1" : "/openai/v1"
        return "http://127.0.0.1:\(bridge.port)/\(provider.rawValue)\(prefix)"
    }

    static let calls: [(streaming: Bool, tools: Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    /// Calls the API every way of ``calls`` through `provider`'s route and checks what the SDK
    /// understood, what the provider received and what the log recorded.
    static func callEveryWay(_ bridge: BridgeFixture, provider: ProviderID) async throws {
        var counted: [[Int]] = []
        for (index, call) in calls.enumerated() {
            let result = try await SDKClient.responses(
                baseURL: baseURL(bridge, provider: provider),
                apiKey: bridge.sessionKey,
                model: "gpt-5.4-mini",
                streaming: call.streaming,
                tools: call.tools
            )
            let label = "\(provider) streaming \(call.streaming) tools \(call.tools)"
            #expect(result["error_status"] == nil, "\(label): \(result)")
            #expect(result["stop_reason"] as? String == "completed", "\(label): \(result)")
            if call.tools {
                #expect(result["tool_name"] as? String == "get_weather", "\(label): \(result)")
                let arguments = result["tool_args"] as? [String: Any]
                #expect(arguments?["city"] as? String == "mock" && arguments?["days"] as? Int == 1, "\(label)")
            } else {
                #expect(result["text"] as? String == SDKClient.mockReplyToHelloThere, "\(label): \(result)")
            }
            if call.streaming {
                let events = result["events"] as? [String] ?? []
                #expect(
                    events.first == "response.created" && events.last == "response.completed",
                    "\(label): \(events)"
                )
            }
            counted.append([result["input_tokens"] as? Int ?? -1, result["output_tokens"] as? Int ?? -1])
            #expect(try await bridge.wallet.store.requestLog().count == index + 1, "\(label)")
        }
        // Each call metered as the provider reported it (in the response object, or in the
        // stream's `response.completed`).
        let log = try await bridge.wallet.store.requestLog()
        #expect(log.allSatisfy { $0.status == 200 && $0.path.hasSuffix("/responses") }, "\(log)")
        let logged = log.map { [$0.inputTokens ?? 0, $0.outputTokens ?? 0] }
        #expect(
            logged.sorted { $0.lexicographicallyPrecedes($1) } == counted.sorted { $0.lexicographicallyPrecedes($1) }
        )
        let paths = bridge.upstreamRequests.withLock { $0.map(\.path) }
        #expect(paths.count == calls.count && paths.allSatisfy { $0.hasSuffix("/v1/responses") }, "\(paths)")
    }

    @Test(.timeLimit(.minutes(3)), arguments: [ProviderID.openai, .azureOpenAI, .groq])
    func theOfficialSDKCallsTheResponsesAPIThroughTheBridge(provider: ProviderID) async throws {
        try await BridgeFixture.with(grant: [provider]) { bridge in
            if provider != .openai {
                try await bridge.wallet.addCredential(
                    provider: provider,
                    secret: SecretString(BridgeFixture.canary),
                    baseURL: "http://127.0.0.1:\(bridge.mockPort)"
                )
            }
            try await Self.callEveryWay(bridge, provider: provider)
        }
    }

    /// An app of an OpenAI-compatible provider moved to OpenAI by a group: its Responses calls
    /// move too (both serve the API), plain and streamed, with and without tools, under OpenAI's
    /// path (before, every one was refused: only chat requests moved).
    @Test(.timeLimit(.minutes(3)))
    func theResponsesCallsOfAnAppMovedByAGroupMoveWithIt() async throws {
        try await BridgeFixture.with(grant: [.groq]) { bridge in
            try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: "gpt-5.4-mini")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "gpt")
            try await Self.callEveryWay(bridge, provider: .groq)
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.allSatisfy { $0.actualProvider == ProviderID.openai.rawValue }, "\(log.map(\.actualProvider))")
        }
    }

    /// Moved to a provider that serves Chat Completions only, its Responses calls are refused in
    /// OpenAI's error format the SDK reads, with nothing sent to any provider.
    @Test(.timeLimit(.minutes(3)))
    func aResponsesCallMovedToAProviderWithoutTheAPIIsRefusedClearly() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.addCredential(
                provider: .mistral,
                secret: SecretString(BridgeFixture.canary),
                baseURL: "http://127.0.0.1:\(bridge.mockPort)"
            )
            try await bridge.wallet.addGroup(name: "mistral", provider: .mistral, model: "mistral-large-latest")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "mistral")
            for streaming in [false, true] {
                let result = try await SDKClient.responses(
                    baseURL: Self.baseURL(bridge, provider: .openai),
                    apiKey: bridge.sessionKey,
                    model: "gpt-5.4-mini",
                    streaming: streaming,
                    tools: false
                )
                #expect(result["error_status"] as? Int == 400, "\(result)")
                #expect(result["error_type"] as? String == "BadRequestError", "\(result)")
                #expect((result["message"] as? String)?.contains("serves that API") == true, "\(result)")
            }
            #expect(bridge.upstreamRequests.withLock { $0.isEmpty })
        }
    }

    /// Through a received gift, the giver's wallet sends the app's streamed Responses call as it
    /// is and meters it from `response.completed`: the gift's count moves by the call's usage.
    @Test(.timeLimit(.minutes(3)))
    func aStreamedResponsesCallThroughAGiftIsSentAsItIsAndMetered() async throws {
        try await GiftFixture.with(provider: .openai) { fixture in
            let body = #"{"model":"gpt-5.4-mini","input":"Hello there","stream":true}"#
            let response = await fixture.receiverCall(.openai, "/v1/responses", body: body)
            let collected = try await response.body.collect(upTo: 1_048_576)
            #expect(response.status == 200, "\(String(buffer: collected))")
            var decoder = SSEDecoder()
            let events = try decoder.feed(Array(collected.readableBytesView))
            #expect(events.first?.type == "response.created" && events.last?.type == "response.completed")
            let completed = try #require(events.last.flatMap { try? JSONNode.parse($0.data) })
            let usage = completed["response"]?["usage"]
            let total = try #require(usage?["total_tokens"]?.intValue)
            #expect(try await fixture.giverUsed() == total)
            let paths = fixture.upstreamRequests.withLock { $0.map(\.path) }
            #expect(paths == ["/v1/responses"])
        }
    }
}
