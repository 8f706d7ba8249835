import ByokyCore
import ByokyStore
import Testing

@testable import ByokyWallet

/// Small pieces every request reads, written on bytes for speed: they must read as before.
struct RequestPathPieceTests {
    static func session(providers: String) -> SessionRecord {
        SessionRecord(
            id: "s",
            keyHash: "h",
            appName: "App",
            appOrigin: nil,
            providers: providers,
            createdAt: 0,
            expiresAt: 1
        )
    }

    @Test(arguments: [
        ("openai", ["openai"]),
        ("openai,anthropic", ["openai", "anthropic"]),
        ("", []),
        ("openai,,anthropic,", ["openai", "anthropic"]),
        ("lmstudio,azure-openai", ["lmstudio", "azure-openai"]),
    ])
    func aSessionsProvidersAreItsCommaSeparatedIDs(providers: String, expected: [String]) {
        #expect(Self.session(providers: providers).providerIDs.map(\.rawValue) == expected)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080", ""),
        ("http://127.0.0.1:8080/", ""),
        ("https://api.example.com/v1", "/v1"),
        ("https://api.example.com/v1/", "/v1"),
        ("https://example.com/caf%C3%A9/", "/caf%C3%A9"),
    ])
    func aBaseURLsPathLosesOneTrailingSlash(base: String, expected: String) throws {
        let url = try #require(AbsoluteURL(base))
        #expect(ProxyEngine.trimmedPath(of: url) == expected)
    }
}
