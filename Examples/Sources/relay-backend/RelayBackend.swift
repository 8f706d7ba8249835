import ArgumentParser
import ByokySDK
import Hummingbird
import HummingbirdWebSocket
import Synchronization

/// An app backend that calls AI providers with its users' own keys, which it never sees: each
/// user's front end opens a backend relay (`session.createRelay("ws://…/byoky", correlationID:
/// userID)`), and this server sends requests through it.
///
///   relay-backend --port 8080
///   curl 'http://127.0.0.1:8080/ask?user=alice&q=Hello'
@main
struct RelayBackend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay-backend",
        abstract: "Example app backend: answers /ask through its users' byoky wallets."
    )

    @Option(help: "Port to listen on.") var port = 8080

    func run() async throws {
        let users = ConnectedUsers()
        let byoky = ByokyServer()
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/byoky") { inbound, outbound, _ in
            try await byoky.handleConnection(inbound: inbound, outbound: outbound) { client in
                // The front end names its user; a real app would check it against the user's login.
                users.set(client, for: client.correlationID ?? client.sessionID)
            }
        }
        let router = Router()
        router.get("/ask") { request, _ -> String in
            guard let user = request.uri.queryParameters.get("user"),
                let question = request.uri.queryParameters.get("q")
            else { throw HTTPError(.badRequest, message: "Pass ?user=…&q=…") }
            guard let client = users.client(for: user), client.isConnected else {
                throw HTTPError(.serviceUnavailable, message: "\(user) has no front end connected")
            }
            let body =
                #"{"model":"claude-sonnet-4-6","max_tokens":512,"messages":[{"role":"user","content":"#
                + String(decoding: JSONValue.string(question).encodedJSON, as: UTF8.self) + "}]}"
            let answer = try await client.createFetch(.anthropic)(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: Array(body.utf8)
                )
            )
            var text: [UInt8] = []
            for try await piece in answer.body { text += piece }
            return String(decoding: text, as: UTF8.self)
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
            configuration: .init(address: .hostname("127.0.0.1", port: port))
        )
        try await app.runService()
    }
}

/// The relay clients by user.
final class ConnectedUsers: Sendable {
    private let clients = Mutex<[String: ByokyRelayClient]>([:])

    func set(_ client: ByokyRelayClient, for user: String) { clients.withLock { $0[user] = client } }
    func client(for user: String) -> ByokyRelayClient? { clients.withLock { $0[user] } }
}

extension JSONValue {
    /// The value as compact JSON text.
    var encodedJSON: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }
}
