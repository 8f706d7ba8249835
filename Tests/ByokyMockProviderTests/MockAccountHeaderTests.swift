import ByokyCore
import ByokyMockProvider
import ByokyTesting
import NIOHTTP1
import Testing

/// The mock names the account a key belongs to as the real APIs do: Anthropic's answers carry
/// `anthropic-organization-id`, OpenAI's `openai-organization` and `openai-project`; Gemini's and
/// Cohere's neither. (The wallet's tests check that none of them reaches an app.)
@Suite(.timeLimit(.minutes(1)))
struct MockAccountHeaderTests {
    @Test func eachFamilyNamesItsAccountAsItsAPIDoes() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-account")) { port in
            let cases: [(path: String, body: String, auth: (String, String), expected: [String])] = [
                (
                    "/v1/messages",
                    #"{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}"#,
                    ("x-api-key", "sk-mock-account"), ["anthropic-organization-id"]
                ),
                (
                    "/v1/chat/completions", #"{"model":"gpt-5.4","messages":[{"role":"user","content":"Hi"}]}"#,
                    ("authorization", "Bearer sk-mock-account"), ["openai-organization", "openai-project"]
                ),
                (
                    "/v1beta/models/gemini-2.5-flash:generateContent", #"{"contents":[{"parts":[{"text":"Hi"}]}]}"#,
                    ("x-goog-api-key", "sk-mock-account"), []
                ),
                (
                    "/v2/chat", #"{"model":"command-a-03-2025","messages":[{"role":"user","content":"Hi"}]}"#,
                    ("authorization", "Bearer sk-mock-account"), []
                ),
            ]
            for item in cases {
                let answer = try await LoopbackHTTP.send(
                    port: port,
                    .POST,
                    item.path,
                    json: item.body,
                    headers: [item.auth]
                )
                #expect(answer.status == 200, "\(item.path): \(answer.text)")
                let named = answer.headers.map { $0.0.lowercased() }.filter {
                    ["anthropic-organization-id", "openai-organization", "openai-project"].contains($0)
                }
                #expect(named.sorted() == item.expected.sorted(), "\(item.path): \(answer.headers.map(\.0))")
            }
        }
    }
}
