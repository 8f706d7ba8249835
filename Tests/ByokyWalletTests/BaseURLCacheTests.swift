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
}
