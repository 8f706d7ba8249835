import ByokyCore
import ByokyMockProvider
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

/// The headers in which providers name the account a key belongs to (Anthropic's
/// `anthropic-organization-id`, OpenAI's `openai-organization` and `openai-project`) never reach
/// an app, on any route: passed on, they told every app (and every stranger with a gift) whose
/// account served it, and tied together the apps one owner uses. The mock sends them as the real
/// APIs do.
@Suite(.timeLimit(.minutes(2)))
struct AccountHeaderTests {
    static let accountHeaders = ["anthropic-organization-id", "openai-organization", "openai-project"]

    static func accountHeadersIn(_ headers: [(String, String)]) -> [String] {
        headers.map { $0.0.lowercased() }.filter { accountHeaders.contains($0) }
    }

    enum Route: CaseIterable, CustomStringConvertible {
        case anthropic, anthropicStream, openai, openaiStream, translated

        var description: String {
            switch self {
            case .anthropic: "Anthropic"
            case .anthropicStream: "Anthropic, streamed"
            case .openai: "OpenAI"
            case .openaiStream: "OpenAI, streamed"
            case .translated: "an OpenAI app moved to Anthropic"
            }
        }
    }

    @Test(arguments: Route.allCases)
    func theOwnersAccountIsNotNamedToTheApp(route: Route) async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai]) { bridge in
            let anthropic = BridgeTests.routes[0]
            let openai = try #require(BridgeTests.routes.first { $0.provider == .openai })
            let (path, body, provider): (String, String, ProviderID) =
                switch route {
                case .anthropic: (anthropic.path, anthropic.body, .anthropic)
                case .anthropicStream: (anthropic.streamPath, anthropic.streamBody, .anthropic)
                case .openai, .translated: (openai.path, openai.body, .openai)
                case .openaiStream: (openai.streamPath, openai.streamBody, .openai)
                }
            if route == .translated {
                try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "claude")
            }
            let answer = try await bridge.send(.POST, path, body: body, headers: [bridge.authHeader(for: provider)])
            #expect(answer.status == 200, "\(answer.text)")
            #expect(Self.accountHeadersIn(answer.headers).isEmpty, "\(route): \(answer.headers.map(\.0))")
            #expect(!answer.text.contains("mockOwner") && !answer.text.contains("feedfacecafe"))
        }
    }

    /// Through a received gift: the giver's answer comes over the relay with the giver's headers,
    /// which name the giver's account.
    @Test(arguments: [ProviderID.anthropic, .openai])
    func aGiftsReceiverIsNotToldTheGiversAccount(provider: ProviderID) async throws {
        try await GiftFixture.with(provider: provider) { fixture in
            let route = try #require(BridgeTests.routes.first { $0.provider == provider })
            let response = await fixture.receiverCall(
                provider,
                String(route.path.dropFirst(provider.rawValue.count + 1)),
                body: route.body
            )
            let collected = try await response.body.collect(upTo: 1_048_576)
            #expect(response.status == 200, "\(String(buffer: collected))")
            #expect(Self.accountHeadersIn(response.headers.map { ($0.name, $0.value) }).isEmpty, "\(response.headers)")
        }
    }

    /// OpenAI's rate-limit message names the key's organization ("… in organization org-… on
    /// tokens per min"); the app reads it with the identifier masked, on every route.
    enum ErrorRoute: CaseIterable, CustomStringConvertible {
        case chat, streamedChat, responses, translated

        var description: String {
            switch self {
            case .chat: "a chat"
            case .streamedChat: "a streamed chat"
            case .responses: "a Responses call"
            case .translated: "an Anthropic app moved to OpenAI"
            }
        }
    }

    @Test(arguments: ErrorRoute.allCases)
    func aRateLimitMessageDoesNotNameTheOwnersOrganization(route: ErrorRoute) async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai]) { bridge in
            let (path, body, provider): (String, String, ProviderID) =
                switch route {
                case .chat: ("/openai/v1/chat/completions", #"{"model":"mock-error-429","messages":[]}"#, .openai)
                case .streamedChat:
                    ("/openai/v1/chat/completions", #"{"model":"mock-error-429","stream":true,"messages":[]}"#, .openai)
                case .responses: ("/openai/v1/responses", #"{"model":"mock-error-429","input":"Hi"}"#, .openai)
                case .translated: (BridgeTests.routes[0].path, BridgeTests.routes[0].body, .anthropic)
                }
            if route == .translated {
                try await bridge.wallet.addGroup(name: "limited", provider: .openai, model: "mock-error-429")
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "limited")
            }
            let answer = try await bridge.send(.POST, path, body: body, headers: [bridge.authHeader(for: provider)])
            #expect(answer.status == 429, "\(answer.text)")
            #expect(answer.text.contains("in organization org-*"), "\(route): \(answer.text)")
            #expect(!answer.text.contains("mockOwnerAccount42"), "\(route): \(answer.text)")
        }
    }

    /// Every provider's errors that name the key's account reach the app masked: Anthropic's rate
    /// limit names the organization (a UUID), Gemini's name the Google Cloud project (in the
    /// message and the details), whole, streamed and translated.
    struct ProviderError: CustomStringConvertible, Sendable {
        let name: String
        let provider: ProviderID
        let path: String
        let body: String
        let status: Int
        /// Each account identifier the provider's error names, which the app must not see.
        let identifiers: [String]
        /// What the app sees in their place.
        let masked: [String]
        var description: String { name }
    }

    static let providerErrors: [ProviderError] = [
        ProviderError(
            name: "Anthropic's rate limit",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            body: #"{"model":"mock-error-429","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"#,
            status: 429,
            identifiers: ["feedfacecafe", "6f1c0d2e"],
            masked: ["your organization (********-****-****-****-************)"]
        ),
        ProviderError(
            name: "Anthropic's rate limit, asked as a stream",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            body:
                #"{"model":"mock-error-429","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#,
            status: 429,
            identifiers: ["feedfacecafe"],
            masked: ["(********-****-****-****-************)"]
        ),
        ProviderError(
            name: "Gemini's rate limit",
            provider: .gemini,
            path: "/gemini/v1beta/models/mock-error-429:generateContent",
            body: #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"#,
            status: 429,
            identifiers: ["424242424242"],
            masked: ["project_number:************", "projects/************"]
        ),
        ProviderError(
            name: "Gemini's project without the API, streamed",
            provider: .gemini,
            path: "/gemini/v1beta/models/mock-error-403:streamGenerateContent?alt=sse",
            body: #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"#,
            status: 403,
            identifiers: ["424242424242"],
            masked: ["in project ************ before", "?project=************", "projects/************"]
        ),
    ]

    @Test(arguments: providerErrors)
    func anErrorDoesNotNameTheOwnersAccount(_ check: ProviderError) async throws {
        try await BridgeFixture.with(grant: [check.provider]) { bridge in
            let answer = try await bridge.send(
                .POST,
                check.path,
                body: check.body,
                headers: [bridge.authHeader(for: check.provider)]
            )
            #expect(answer.status == check.status, "\(answer.text)")
            for identifier in check.identifiers { #expect(!answer.text.contains(identifier), "\(answer.text)") }
            for masked in check.masked { #expect(answer.text.contains(masked), "\(answer.text)") }
            // Still the provider's error, readable as such.
            #expect(answer.json["error"] != nil, "\(answer.text)")
        }
    }

    /// Translated into the app's family, the message stays masked.
    @Test func aTranslatedErrorDoesNotNameTheOwnersAccount() async throws {
        try await BridgeFixture.with(grant: [.openai, .gemini]) { bridge in
            try await bridge.wallet.addGroup(name: "limited", provider: .gemini, model: "mock-error-429")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "limited")
            let answer = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(answer.status == 429, "\(answer.text)")
            #expect(!answer.text.contains("424242424242"), "\(answer.text)")
            #expect(answer.text.contains("project_number:************"), "\(answer.text)")
        }
    }

    @Test func aGiftsReceiverIsNotToldTheGiversAnthropicOrganization() async throws {
        try await GiftFixture.with(provider: .anthropic) { fixture in
            let response = await fixture.receiverCall(
                .anthropic,
                "/v1/messages",
                body: #"{"model":"mock-error-429","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"#
            )
            let text = String(buffer: try await response.body.collect(upTo: 1_048_576))
            #expect(response.status == 429, "\(text)")
            #expect(
                text.contains("(********-****-****-****-************)") && !text.contains("feedfacecafe"),
                "\(text)"
            )
        }
    }

    @Test func aGiftsReceiverIsNotToldTheGiversOrganizationInAnError() async throws {
        try await GiftFixture.with(provider: .openai) { fixture in
            let response = await fixture.receiverCall(
                .openai,
                "/v1/chat/completions",
                body: #"{"model":"mock-error-429","messages":[]}"#
            )
            let text = String(buffer: try await response.body.collect(upTo: 1_048_576))
            #expect(response.status == 429, "\(text)")
            #expect(text.contains("in organization org-*") && !text.contains("mockOwnerAccount42"), "\(text)")
        }
    }
}
