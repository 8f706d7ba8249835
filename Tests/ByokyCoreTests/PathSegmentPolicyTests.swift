import ByokyCore
import ByokyTesting
import Testing

/// Paths whose segments percent-decoding would change never reach a provider with a key.
struct PathSegmentPolicyTests {
    static let refused: [String] = [
        "/..", "/../v1", "/v1/../openai", "/.", "/v1/./messages",
        "/%2e%2e/openai/v1/chat/completions", "/%2E%2E/x", "/%2e%2E/x", "/.%2e/x", "/%2e./x", "/%2e/x",
        "/v1/%2e%2e", "/%252e%252e/x", "/%25252e%25252e/x", "/%2525252e/x",
        "/a%2fb", "/a%2Fb", "/..%2f..%2fv1/models", "/a%252fb", "/a%5cb", "/a%5Cb", "/a\\b",
        "/a%00b", "/a%0d%0aHost:x", "/a%250ab", "//v1/messages", "/v1//messages", "/v1///",
    ]
    static let allowed: [String] = [
        "/", "", "/v1/messages", "/v1/messages/", "/v1beta/models/gemini-2.5-pro:generateContent",
        "/v1/files/file-abc/content", "/a.b", "/...", "/.../x", "/a..", "/..a", "/%2e%2e%2e", "/%41%42",
        "/models/a%20b", "/a%2", "/a%zz", "/a%", "/%25", "/%2541", "/v1/models/gpt-4o%3Aextra",
    ]

    @Test(arguments: refused)
    func refuses(path: String) {
        #expect(PathSegmentPolicy.refusal(of: path.utf8) != nil)
        #expect(!PathDecodingOracle.isSafe(Array(path.utf8)))
        #expect(AbsoluteURL("https://api.anthropic.com" + path) == nil || path.isEmpty)
        #expect(throws: ByokyError.self) {
            try ProviderURLPolicy.validate("https://api.anthropic.com" + path, provider: .anthropic)
        }
    }

    @Test(arguments: allowed)
    func allows(path: String) {
        #expect(PathSegmentPolicy.refusal(of: path.utf8) == nil)
        #expect(PathDecodingOracle.isSafe(Array(path.utf8)))
    }

    @Test func theRefusalSaysWhatIsWrong() throws {
        let error = #expect(throws: ByokyError.self) {
            try ProviderURLPolicy.validate("https://api.anthropic.com/v1/%2e%2e/x", provider: .anthropic)
        }
        #expect(error?.code == .invalidURL)
        #expect(error?.message == "The path holds an encoded dot segment")
    }

    /// Random paths built from the pieces that matter agree with the oracle (a seeded, bounded run).
    @Test func agreesWithTheDecodingOracleOnRandomPaths() {
        let pieces = ["/", ".", "..", "a", "%2e", "%2E", "%2f", "%5c", "%25", "2e", "2", "e", "%00", "%41", "%", "\\"]
        var generator = SeededGenerator(seed: 0xB10C)
        var disagreements: [String] = []
        for _ in 0..<50_000 {
            let length = Int(generator.next() % 8) + 1
            let path = "/" + (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let bytes = Array(path.utf8)
            if PathSegmentPolicy.isSafe(bytes) != PathDecodingOracle.isSafe(bytes) { disagreements.append(path) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
