import ByokyCore
import Testing

struct ProviderURLPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let provider: ProviderID
        let url: String
        let base: String?
        let allowed: Bool
        var testDescription: String { "\(provider) \(url) base=\(base ?? "-")" }
    }

    static let cases: [Case] = [
        // The real endpoints.
        Case(provider: .anthropic, url: "https://api.anthropic.com/v1/messages", base: nil, allowed: true),
        Case(provider: .openai, url: "https://api.openai.com/v1/chat/completions", base: nil, allowed: true),
        Case(
            provider: .gemini,
            url: "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent",
            base: nil,
            allowed: true
        ),
        Case(provider: .openai, url: "https://api.openai.com/v1/embeddings", base: nil, allowed: true),
        Case(provider: .openai, url: "https://api.openai.com/v1/models?limit=5", base: nil, allowed: true),
        Case(provider: .openai, url: "https://API.OpenAI.com:443/v1/models", base: nil, allowed: true),
        Case(provider: .openrouter, url: "https://openrouter.ai/api/v1/chat/completions", base: nil, allowed: true),
        // Hostile look-alikes.
        Case(provider: .openai, url: "https://api.openai.com.evil.com/v1/chat", base: nil, allowed: false),
        Case(provider: .anthropic, url: "https://api.anthropic.com.evil.com/v1/messages", base: nil, allowed: false),
        Case(provider: .openai, url: "https://evil.com/api.openai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api.openai.com@evil.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://user:pass@api.openai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://evil.com#@api.openai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://evil.com\\@api.openai.com/", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api.openai.com:8443/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api.openai.com./v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api.öpenai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://xn--penai-0ta.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api%2eopenai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "https://api.openai.com/v1\r\nHost: evil", base: nil, allowed: false),
        Case(provider: .openai, url: "http://api.openai.com/v1/chat/completions", base: nil, allowed: false),
        Case(provider: .openai, url: "ftp://api.openai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "//api.openai.com/v1", base: nil, allowed: false),
        Case(provider: .openai, url: "not a url", base: nil, allowed: false),
        Case(provider: .openai, url: "", base: nil, allowed: false),
        Case(provider: .openrouter, url: "https://openrouter.ai/v1/chat/completions", base: nil, allowed: false),
        Case(provider: .openrouter, url: "https://openrouter.ai/apis/v1", base: nil, allowed: false),
        Case(provider: .openrouter, url: "https://openrouter.ai/api/../v1/keys", base: nil, allowed: false),
        Case(provider: "acme", url: "https://api.acme.com/v1", base: nil, allowed: false),
        // Providers that need the credential's base URL.
        Case(
            provider: .azureOpenAI,
            url: "https://team.openai.azure.com/openai/deployments/x/chat/completions",
            base: "https://team.openai.azure.com",
            allowed: true
        ),
        Case(provider: .azureOpenAI, url: "https://team.openai.azure.com/v1", base: nil, allowed: false),
        Case(
            provider: .azureOpenAI,
            url: "https://other.openai.azure.com/v1",
            base: "https://team.openai.azure.com",
            allowed: false
        ),
        Case(
            provider: .azureOpenAI,
            url: "http://team.openai.azure.com/v1",
            base: "http://team.openai.azure.com",
            allowed: false
        ),
        Case(
            provider: .ollama,
            url: "http://localhost:11434/v1/chat/completions",
            base: "http://localhost:11434",
            allowed: true
        ),
        Case(provider: .ollama, url: "http://[::1]:11434/api/tags", base: "http://[::1]:11434", allowed: true),
        Case(provider: .lmStudio, url: "http://127.0.0.1:1234/v1/models", base: "http://127.0.0.1:1234", allowed: true),
        Case(provider: .ollama, url: "http://192.168.1.5:11434/v1", base: "http://192.168.1.5:11434", allowed: false),
        Case(provider: .ollama, url: "http://localhost:11434/v1", base: nil, allowed: false),
        Case(provider: .ollama, url: "http://localhost:9999/v1", base: "http://localhost:11434", allowed: false),
        // An owner-set base URL on a cloud provider (self-hosted gateway or test upstream).
        Case(
            provider: .anthropic,
            url: "http://127.0.0.1:5555/v1/messages",
            base: "http://127.0.0.1:5555",
            allowed: true
        ),
        Case(
            provider: .anthropic,
            url: "https://api.anthropic.com/v1/messages",
            base: "http://127.0.0.1:5555",
            allowed: false
        ),
        Case(provider: .openai, url: "http://10.0.0.2/v1", base: "http://10.0.0.2", allowed: false),
        Case(
            provider: .openai,
            url: "https://gw.example.com/llm/v1/chat",
            base: "https://gw.example.com/llm",
            allowed: true
        ),
        Case(
            provider: .openai,
            url: "https://gw.example.com/other",
            base: "https://gw.example.com/llm/",
            allowed: false
        ),
    ]

    @Test(arguments: cases)
    func decidesWhetherAURLMayReceiveTheKey(item: Case) {
        let result = Result {
            try ProviderURLPolicy.validate(item.url, provider: item.provider, credentialBaseURL: item.base)
        }
        switch result {
        case .success: #expect(item.allowed)
        case .failure(let error):
            #expect(!item.allowed, "\(error)")
            #expect((error as? ByokyError)?.code == .invalidURL)
        }
    }

    @Test func relayURLsNeedWSSOrLoopbackWS() {
        #expect(ProviderURLPolicy.isAllowedRelayURL("wss://relay.byoky.com"))
        #expect(ProviderURLPolicy.isAllowedRelayURL("ws://127.0.0.1:8787/ws"))
        #expect(!ProviderURLPolicy.isAllowedRelayURL("ws://relay.byoky.com"))
        #expect(!ProviderURLPolicy.isAllowedRelayURL("https://relay.byoky.com"))
    }

    @Test func serviceURLsNeedHTTPSOrLoopbackHTTP() {
        #expect(ProviderURLPolicy.isAllowedServiceURL("https://marketplace.byoky.com"))
        #expect(ProviderURLPolicy.isAllowedServiceURL("http://127.0.0.1:3200"))
        #expect(ProviderURLPolicy.isAllowedServiceURL("http://[::1]:3200"))
        #expect(!ProviderURLPolicy.isAllowedServiceURL("http://marketplace.byoky.com"))
        #expect(!ProviderURLPolicy.isAllowedServiceURL("http://127.0.0.1.evil.example"))
        #expect(!ProviderURLPolicy.isAllowedServiceURL("wss://marketplace.byoky.com"))
        #expect(!ProviderURLPolicy.isAllowedServiceURL("not a url"))
    }
}

struct AbsoluteURLTests {
    @Test func parsesAndNormalisesTheParts() throws {
        let url = try #require(AbsoluteURL("HTTPS://Api.Example.COM:443/v1/x?y=1#frag"))
        #expect(url.scheme == "https")
        #expect(url.host == "api.example.com")
        #expect(url.port == 443)
        #expect(url.path == "/v1/x")
        #expect(url.query == "y=1")
        #expect(url.origin == "https://api.example.com")
        #expect(url.pathAndQuery == "/v1/x?y=1")
        let ipv6 = try #require(AbsoluteURL("http://[::1]:8080"))
        #expect(ipv6.host == "::1" && ipv6.isLoopbackHost && ipv6.origin == "http://[::1]:8080" && ipv6.path == "/")
    }

    @Test(arguments: [
        "https://", "https://:443", "https://host:0", "https://host:65536", "https://host:", "https://ho st",
        "https://host\t/", "https://a..b", "https://-a.com", "https://[::1", "https://[zz::1]", "1https://x",
        "https://host/a/./b", "https://hôst", "javascript:alert(1)", "https://host\u{0}",
    ])
    func refusesAmbiguousOrInvalidURLs(text: String) {
        #expect(AbsoluteURL(text) == nil)
    }
}

struct UpstreamHeadersTests {
    typealias Header = (name: String, value: String)

    @Test func anthropicAPIKeyGetsXAPIKeyAndDefaultVersion() throws {
        let headers = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [("Content-Type", "application/json")],
            credential: SecretString("sk-ant")
        )
        #expect(headers["x-api-key"] == "sk-ant")
        #expect(headers["anthropic-version"] == "2023-06-01")
        #expect(headers["anthropic-dangerous-direct-browser-access"] == "true")
        #expect(headers["authorization"] == nil)
        #expect(headers["user-agent"] == nil && headers["x-app"] == nil)
        #expect(headers["content-type"] == "application/json")
    }

    @Test func anthropicKeepsTheClientVersionAndDropsBlockedBetas() throws {
        let headers = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [
                ("anthropic-version", "2024-01-01"), ("anthropic-beta", "context-1m-2025-08-07, files-api"),
            ],
            credential: SecretString("k")
        )
        #expect(headers["anthropic-version"] == "2024-01-01")
        #expect(headers["anthropic-beta"] == "files-api")
        let onlyBlocked = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [("anthropic-beta", "context-1m-2025-08-07")],
            credential: SecretString("k")
        )
        #expect(onlyBlocked["anthropic-beta"] == nil)
    }

    @Test func anthropicOAuthAddsClaudeCodeHeadersAndMergesBetas() throws {
        let headers = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [
                ("anthropic-beta", "my-beta,oauth-2025-04-20"), ("authorization", "Bearer fake"), ("x-api-key", "fake"),
                ("accept", "text/event-stream"),
            ],
            credential: SecretString("sk-ant-oat01-x"),
            authMethod: .oauth
        )
        #expect(headers["authorization"] == "Bearer sk-ant-oat01-x")
        #expect(headers["x-api-key"] == nil)
        #expect(headers["user-agent"] == "claude-cli/2.1.76")
        #expect(headers["x-app"] == "cli")
        #expect(headers["accept"] == "text/event-stream")
        #expect(
            headers["anthropic-beta"]
                == "my-beta,oauth-2025-04-20,claude-code-20250219,fine-grained-tool-streaming-2025-05-14,interleaved-thinking-2025-05-14"
        )
        let defaults = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [Header](),
            credential: SecretString("t"),
            authMethod: .oauth
        )
        #expect(defaults["accept"] == "application/json")
        #expect(defaults["anthropic-version"] == "2023-06-01")
    }

    @Test(arguments: [
        ProviderID.openai, .mistral, .cohere, .xai, .deepseek, .perplexity, .groq, .together, .fireworks, .openrouter,
    ])
    func bearerProvidersGetAuthorizationOnly(provider: ProviderID) throws {
        let headers = try UpstreamHeaders.build(
            for: provider,
            clientHeaders: [("authorization", "Bearer byk_session")],
            credential: SecretString("real")
        )
        #expect(headers["authorization"] == "Bearer real")
        #expect(headers["x-api-key"] == nil && headers["api-key"] == nil && headers["x-goog-api-key"] == nil)
    }

    @Test func geminiAzureAndLocalProvidersUseTheirOwnHeaders() throws {
        let gemini = try UpstreamHeaders.build(for: .gemini, clientHeaders: [Header](), credential: SecretString("g"))
        #expect(gemini == ["x-goog-api-key": "g"])
        let azure = try UpstreamHeaders.build(
            for: .azureOpenAI,
            clientHeaders: [Header](),
            credential: SecretString("a")
        )
        #expect(azure == ["api-key": "a"])
        let ollama = try UpstreamHeaders.build(for: .ollama, clientHeaders: [Header](), credential: SecretString(""))
        #expect(ollama.isEmpty)
        let lmStudio = try UpstreamHeaders.build(
            for: .lmStudio,
            clientHeaders: [Header](),
            credential: SecretString("l")
        )
        #expect(lmStudio == ["authorization": "Bearer l"])
    }

    @Test func onlyAllowListedSafeHeadersPass() throws {
        let client: [Header] = [
            ("Cookie", "a=b"), ("Host", "evil"), ("Content-Length", "5"), ("Transfer-Encoding", "chunked"),
            ("Origin", "https://x"), ("Referer", "https://x"), ("X-Stainless-Lang", "python"),
            ("Proxy-Authorization", "Basic x"), ("sec-fetch-mode", "cors"), ("api-key", "fake"),
            ("user-agent", "ok/1.0"), ("openai-beta", "assistants=v2"), ("accept", "a\r\nx-evil: 1"),
            ("x-client-name", "bad\u{0}"), ("openai-project", String(repeating: "p", count: 9000)),
        ]
        let headers = try UpstreamHeaders.build(for: .openai, clientHeaders: client, credential: SecretString("k"))
        #expect(headers == ["user-agent": "ok/1.0", "openai-beta": "assistants=v2", "authorization": "Bearer k"])
    }

    @Test func theHeadersKeepTheAppsOrderThenTheWalletsOwn() throws {
        let headers = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [
                ("User-Agent", "app/1"), ("x-api-key", "fake"), ("Content-Type", "application/json"),
                ("anthropic-version", "2024-01-01"),
            ],
            credential: SecretString("sk-ant")
        )
        #expect(
            headers.fields.map(\.0) == [
                "user-agent", "content-type", "anthropic-version", "x-api-key",
                "anthropic-dangerous-direct-browser-access",
            ]
        )
        var list: HeaderList = ["a": "1", "b": "2"]
        #expect(list == ["b": "2", "a": "1"])
        #expect(list != ["a": "1", "b": "3"] && list != ["a": "1"])
        list["a"] = "9"
        list["c"] = "3"
        list["b"] = nil
        #expect(list.fields.map(\.0) == ["a", "c"] && list["a"] == "9" && list.dictionary == ["a": "9", "c": "3"])
    }

    @Test func repeatedHeadersAreJoined() throws {
        let headers = try UpstreamHeaders.build(
            for: .anthropic,
            clientHeaders: [("anthropic-beta", "a"), ("Anthropic-Beta", "b")],
            credential: SecretString("k")
        )
        #expect(headers["anthropic-beta"] == "a,b")
    }

    @Test func aCredentialThatCouldSplitHeadersIsRefused() {
        #expect(throws: ByokyError(.invalidKey, "")) {
            try UpstreamHeaders.build(for: .openai, clientHeaders: [Header](), credential: SecretString("k\r\nx: y"))
        }
    }

    /// Every allow-listed request header passes in any case; names a byte away from one do not.
    @Test func everyAllowedRequestHeaderPassesInAnyCaseAndNothingNearIt() {
        let listed = UpstreamHeaders.forwardedRequestHeaders
        for name in listed {
            for spelling in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
                let kept = UpstreamHeaders.forwarded([(spelling, "v")])
                #expect(kept.fields.map(\.0) == [name], "\(spelling)")
            }
            for near in [name + "s", String(name.dropLast()), String(name.dropLast()) + "_", "x" + name]
            where !listed.contains(near) {
                #expect(UpstreamHeaders.forwarded([(near, "v")]).isEmpty, "\(near)")
            }
        }
        for name in ["", "authorization", "x-api-key", "cookie", "x-goog-api-client-and-more", "cöntent-type"] {
            #expect(UpstreamHeaders.forwarded([(name, "v")]).isEmpty, "\(name)")
        }
    }

    @Test func responseHeadersLoseInfrastructureAndHopByHopFields() {
        let upstream: [Header] = [
            ("Server", "cloudflare"), ("Set-Cookie", "s=1"), ("x-request-id", "r"), ("Via", "1.1"), ("alt-svc", "h3"),
            ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked"), ("content-type", "text/event-stream"),
            ("content-length", "10"), ("request-id", "req_1"), ("retry-after", "3"),
        ]
        let passthrough = ResponseHeaderPolicy.filter(upstream, bodyIsRewritten: false).map(\.name)
        #expect(passthrough == ["content-type", "content-length", "request-id", "retry-after"])
        let translated = ResponseHeaderPolicy.filter(upstream, bodyIsRewritten: true).map(\.name)
        #expect(translated == ["content-type", "request-id", "retry-after"])
    }

    @Test func everyListedNameIsKnownInAnyCaseAndNothingElseIs() {
        let listed =
            ResponseHeaderPolicy.strippedHeaders.union(ResponseHeaderPolicy.hopByHopHeaders)
            .union(ResponseHeaderPolicy.bodyFramingHeaders)
        for name in listed {
            let isFraming = ResponseHeaderPolicy.bodyFramingHeaders.contains(name)
            for spelling in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
                #expect(!ResponseHeaderPolicy.forwards(spelling, bodyIsRewritten: true), "\(spelling)")
                #expect(ResponseHeaderPolicy.forwards(spelling, bodyIsRewritten: false) == isFraming, "\(spelling)")
            }
            // Names a byte away from a listed one pass: one longer, one shorter, one changed.
            for near in [name + "s", String(name.dropLast()), String(name.dropLast()) + "_"]
            where !listed.contains(near) {
                #expect(ResponseHeaderPolicy.forwards(near, bodyIsRewritten: true), "\(near)")
            }
        }
        for name in ["", "x-ratelimit-remaining-requests-and-then-some-more-characters", "C0ntent-Length", "vía"] {
            #expect(ResponseHeaderPolicy.forwards(name, bodyIsRewritten: true), "\(name)")
        }
    }
}
