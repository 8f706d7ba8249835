import ByokyCore
import Testing

@testable import ByokyWallet

/// Checked base URLs are kept per provider and credential base URL; refusals are never kept.
struct BaseURLCacheTests {
    static let anthropic = ProviderRegistry.provider(.anthropic)!
    static let ollama = ProviderRegistry.provider(.ollama)!

    @Test func answersAsThePolicyDoes() throws {
        let cache = BaseURLCache()
        for base in [nil, "http://127.0.0.1:9000/v1", "https://gateway.example/anthropic/"] as [String?] {
            for _ in 0..<2 {
                let cached = try cache.baseURL(for: Self.anthropic, credentialBaseURL: base)
                let checked = try ProviderURLPolicy.baseURL(for: Self.anthropic, credentialBaseURL: base)
                #expect(cached == checked)
            }
        }
        // The same base for another provider is its own entry, with that provider's rules.
        #expect(try cache.baseURL(for: Self.ollama, credentialBaseURL: "http://127.0.0.1:9000/v1").path == "/v1")
        #expect(throws: ByokyError.self) { try cache.baseURL(for: Self.ollama, credentialBaseURL: nil) }
    }

    @Test func refusalsThrowEveryTime() {
        let cache = BaseURLCache()
        for _ in 0..<3 {
            #expect(throws: ByokyError.self) {
                try cache.baseURL(for: Self.anthropic, credentialBaseURL: "http://evil.example/v1")
            }
            #expect(throws: ByokyError.self) {
                try cache.baseURL(for: Self.anthropic, credentialBaseURL: "https://example.com/?q=1")
            }
        }
    }

    @Test func staysWithinItsCapacity() throws {
        let cache = BaseURLCache()
        for port in 0..<(BaseURLCache.capacity * 3) {
            let base = "http://127.0.0.1:\(10_000 + port)"
            #expect(try cache.baseURL(for: Self.anthropic, credentialBaseURL: base).origin == base)
        }
        #expect(cache.count <= BaseURLCache.capacity)
    }

    /// A request URL is checked under the base it comes with: the same text under another base
    /// is checked again, and a refusal is never kept.
    @Test func requestURLsAnswerAsThePolicyDoes() throws {
        let cache = BaseURLCache()
        let root = try cache.baseURL(for: Self.anthropic, credentialBaseURL: "http://127.0.0.1:9000")
        let scoped = try cache.baseURL(for: Self.anthropic, credentialBaseURL: "http://127.0.0.1:9000/team")
        let text = "http://127.0.0.1:9000/v1/messages?beta=true"
        for _ in 0..<2 {
            let cached = try cache.requestURL(text, under: root, provider: Self.anthropic)
            #expect(cached == (try ProviderURLPolicy.validate(text, under: root, provider: Self.anthropic)))
            #expect(cached.query == "beta=true")
        }
        // Allowed under the root, outside the scoped base: the cached answer must not leak across.
        for _ in 0..<2 {
            #expect(throws: ByokyError.self) { try cache.requestURL(text, under: scoped, provider: Self.anthropic) }
            #expect(throws: ByokyError.self) {
                try cache.requestURL("http://127.0.0.1:9001/v1/messages", under: root, provider: Self.anthropic)
            }
            #expect(throws: ByokyError.self) {
                try cache.requestURL("http://127.0.0.1:9000/v1/%2e%2e/admin", under: root, provider: Self.anthropic)
            }
        }
        #expect(
            try cache.requestURL("http://127.0.0.1:9000/team/v1/x", under: scoped, provider: Self.anthropic).path
                == "/team/v1/x"
        )
    }

    @Test func requestURLsStayWithinTheirCapacity() throws {
        let cache = BaseURLCache()
        let root = try cache.baseURL(for: Self.anthropic, credentialBaseURL: "http://127.0.0.1:9000")
        for index in 0..<(BaseURLCache.requestURLCapacity * 2 + 7) {
            let url = try cache.requestURL("http://127.0.0.1:9000/v1/\(index)", under: root, provider: Self.anthropic)
            #expect(url.path == "/v1/\(index)")
        }
        #expect(cache.requestURLCount <= BaseURLCache.requestURLCapacity)
    }
}
