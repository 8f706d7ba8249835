import ByokySDK
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The three ways a Swift LLM client can run on a byoky session, shown with plain Foundation
/// (the same calls a client library makes inside):
///
/// 1. a client that takes a `URLSession` (MacPaw/OpenAI): give it
///    `URLSession(configuration: session.makeURLSessionConfiguration())`;
/// 2. a client that takes a base URL and an API key (SwiftOpenAI, SwiftAnthropic): give it
///    `session.baseURL(for:)` and `session.sessionKey`;
/// 3. code that builds `URLRequest`s for the real API: `session.authorize(_:for:)`.
@main
struct ProviderClients {
    static func main() async throws {
        let byoky = Byoky(options: .init(appName: "provider-clients"))
        guard await byoky.isWalletRunning() else {
            print("No byoky wallet is running. \(Byoky.installHint())")
            return
        }
        print("Approve this app with `byoky approve` in another terminal…")
        let session = try await byoky.connect(providers: [ProviderRequirement(id: .openai, required: true)])
        let body = Data(#"{"model":"gpt-5.5","messages":[{"role":"user","content":"Say hi"}]}"#.utf8)

        // 1. A URLSession whose requests to api.openai.com go through the wallet.
        let urlSession = URLSession(configuration: session.makeURLSessionConfiguration())
        var viaConfiguration = URLRequest(url: URL(string: "https://api.openai.com/v1/chat/completions")!)
        viaConfiguration.httpMethod = "POST"
        viaConfiguration.setValue("application/json", forHTTPHeaderField: "Content-Type")
        viaConfiguration.httpBody = body
        let (first, _) = try await urlSession.data(for: viaConfiguration)
        print("URLSession configuration:", String(decoding: first, as: UTF8.self).prefix(120))

        // 2. Base URL + key, as an OpenAI-compatible client would use them.
        var viaBaseURL = URLRequest(url: URL(string: session.baseURL(for: .openai) + "/v1/chat/completions")!)
        viaBaseURL.httpMethod = "POST"
        viaBaseURL.setValue("application/json", forHTTPHeaderField: "Content-Type")
        viaBaseURL.setValue("Bearer \(session.sessionKey)", forHTTPHeaderField: "Authorization")
        viaBaseURL.httpBody = body
        let (second, _) = try await URLSession.shared.data(for: viaBaseURL)
        print("Base URL + session key:", String(decoding: second, as: UTF8.self).prefix(120))

        // 3. A request written for the real API, rewritten to the wallet.
        let authorized = try session.authorize(viaConfiguration, for: .openai)
        let (third, _) = try await URLSession.shared.data(for: authorized)
        print("authorize(_:for:):", String(decoding: third, as: UTF8.self).prefix(120))
        try await session.disconnect()
    }
}
