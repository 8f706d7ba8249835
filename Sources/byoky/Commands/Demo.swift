import ArgumentParser
import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyMockProvider
import ByokyStore
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1

extension ByokyCommand {
    /// `byoky demo`: the whole flow on a throw-away wallet and a built-in mock provider.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the wallet end to end on a built-in mock provider (no keys, no servers, nothing kept).",
            discussion: """
                Creates a throw-away wallet in a temporary folder, starts a mock provider and
                the bridge on free loopback ports, stores a key, connects an app, and sends a
                plain, a streaming and a tool-call request through the bridge the way a stock
                SDK would, then routes the app to another API family (an OpenAI request
                answered by Claude, translated both ways). Then it prints the usage and the
                audit log, revokes the session, and deletes everything.
                """
        )

        func run() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "byoky-demo-\(UUID().uuidString)"
            )
            defer { try? FileManager.default.removeItem(at: folder) }
            let upstreamKey = "sk-mock-" + SecureRandom.hexToken(byteCount: 16)
            let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
            let client = ProxyEngine.makeHTTPClient()
            do {
                try await runDemo(wallet: wallet, client: client, upstreamKey: upstreamKey)
            } catch {
                try? await client.shutdown()
                try? await wallet.close()
                throw error
            }
            try await client.shutdown()
            try await wallet.close()
        }

        private func runDemo(wallet: Wallet, client: UpstreamClient, upstreamKey: String) async throws {
            print("byoky \(ByokyVersion.current) demo — a throw-away wallet, a mock provider and the bridge\n")
            try await wallet.initialize(password: "demo-" + SecureRandom.hexToken(byteCount: 12))
            print("1. Created an encrypted wallet (AES-256-GCM, key from PBKDF2-SHA256 × 600,000).")
            try await MockProvider.withRunningServer(configuration: .init(apiKey: upstreamKey)) { mockPort in
                let mockURL = "http://127.0.0.1:\(mockPort)"
                for (index, provider) in [ProviderID.anthropic, .openai].enumerated() {
                    let record = try await wallet.addCredential(
                        provider: provider,
                        secret: SecretString(upstreamKey),
                        baseURL: mockURL
                    )
                    let name = ProviderRegistry.displayName(of: provider)
                    // One step, two keys: the step's number once.
                    let step = index == 0 ? "2." : "  "
                    print(
                        "\(step) Stored an \(name) key (pointed at the mock); shown only masked: \(record.maskedSecret)"
                    )
                }
                let grant = try await wallet.createSession(app: AppIdentity(name: "demo-chat"))
                print("3. Connected app \"demo-chat\"; it holds a session key, never the provider key.")
                let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: 0))
                try await daemon.withRunningServer { port in
                    let bridge = "http://127.0.0.1:\(port)"
                    print("4. Bridge listening on \(bridge) (the mock provider stands in for the real APIs).\n")
                    let key = grant.key.exposedValue

                    let plain = try await post(
                        "\(bridge)/anthropic/v1/messages",
                        headers: [("x-api-key", key)],
                        body:
                            #"{"model":"claude-sonnet-4-6","max_tokens":128,"messages":[{"role":"user","content":"Hello from the byoky demo"}]}"#
                    )
                    let plainText =
                        ((plain.json["content"] as? [[String: Any]])?.first?["text"] as? String) ?? plain.text
                    print("   POST /anthropic/v1/messages → \(plain.status): \"\(plainText)\"")

                    let streamed = try await post(
                        "\(bridge)/openai/v1/chat/completions",
                        headers: [("authorization", "Bearer \(key)")],
                        body:
                            #"{"model":"gpt-5.5","stream":true,"messages":[{"role":"user","content":"Stream this please"}]}"#
                    )
                    var decoder = SSEDecoder()
                    let events = try decoder.feed(streamed.body)
                    let text = events.compactMap { event -> String? in
                        guard let object = try? JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any],
                            let choice = (object["choices"] as? [[String: Any]])?.first
                        else { return nil }
                        return (choice["delta"] as? [String: Any])?["content"] as? String
                    }.joined()
                    print(
                        "   POST /openai/v1/chat/completions (stream) → \(streamed.status): \(events.count) events: \"\(text)\""
                    )

                    let tool = try await post(
                        "\(bridge)/anthropic/v1/messages",
                        headers: [("x-api-key", key)],
                        body:
                            #"{"model":"claude-sonnet-4-6","max_tokens":128,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],"messages":[{"role":"user","content":"Weather in Paris?"}]}"#
                    )
                    let call = (tool.json["content"] as? [[String: Any]])?.first
                    // The arguments as the provider sent them: JSON, not a dictionary's description.
                    let input =
                        (call?["input"] as? [String: Any]).flatMap {
                            try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])
                        }.map { String(decoding: $0, as: UTF8.self) } ?? "?"
                    print(
                        "   POST /anthropic/v1/messages (tools) → \(tool.status): tool call \(call?["name"] as? String ?? "?") \(input)"
                    )

                    try await wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
                    try await wallet.assign(app: "demo-chat", toGroup: "claude")
                    let moved = try await post(
                        "\(bridge)/openai/v1/chat/completions",
                        headers: [("authorization", "Bearer \(key)")],
                        body:
                            #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Which model answers me?"}]}"#
                    )
                    let movedText =
                        (((moved.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
                            as? String) ?? moved.text
                    print(
                        "   Routed to Claude: POST /openai/v1/chat/completions → \(moved.status) "
                            + "(\(moved.json["object"] as? String ?? "?"), model \(moved.json["model"] as? String ?? "?")): "
                            + "\"\(movedText)\" — an OpenAI-shaped answer translated from the Anthropic API"
                    )
                    try await wallet.removeGroup("claude")

                    let stolen = try await post(
                        "\(bridge)/anthropic/v1/messages",
                        headers: [("x-api-key", "byk_guessed")],
                        body: "{}"
                    )
                    print("   A guessed session key → \(stolen.status) in Anthropic's own error format\n")
                }
                print("5. Audit log (tokens metered from the responses, streams included; no keys, no prompts):")
                let rows = try await wallet.log(limit: 100).reversed().map(LogFormatter.columns(for:))
                let table = TerminalTable(headers: LogFormatter.headers, rows: rows)
                for line in table.lines(aligned: isatty(STDOUT_FILENO) == 1) { print("   " + line) }
                try await wallet.revokeSession(id: grant.record.id)
                print("\n6. Revoked the session; the app's key stopped working at once.")
            }
            print(
                "\nDone; the throw-away wallet was deleted. Try `byoky --help`, or run the tests with ./scripts/test.sh."
            )
        }

        private struct Answer {
            let status: Int
            let body: [UInt8]
            var text: String { String(decoding: body, as: UTF8.self) }
            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
        }

        private func post(_ url: String, headers: [(String, String)], body: String) async throws -> Answer {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let collected = try await response.body.collect(upTo: 8 * 1024 * 1024)
            return Answer(status: Int(response.status.code), body: Array(collected.readableBytesView))
        }
    }
}
