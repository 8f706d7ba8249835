// __APP_NAME__'s server. It calls AI providers with its users' own keys, which it never sees: each
// user's page connects their byoky wallet and opens a backend relay to `/byoky`; `/ask` then sends
// a provider request through that user's relay, and streams the answer back to the page.
//
//   swift run App            (PORT=8080 by default, PORT=0 picks a free one; the page is public/index.html)
import ByokySDK
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Synchronization

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080
let publicFolder = ProcessInfo.processInfo.environment["PUBLIC_FOLDER"] ?? "public"

/// The relay of each user's page, by the id the page names (a real app uses its login instead).
let users = Mutex<[String: ByokyRelayClient]>([:])
let byoky = ByokyServer()

let sockets = Router(context: BasicWebSocketRequestContext.self)
sockets.ws("/byoky") { inbound, outbound, _ in
    try await byoky.handleConnection(inbound: inbound, outbound: outbound) { client in
        users.withLock { $0[client.correlationID ?? client.sessionID] = client }
    }
}

/// What the page asks.
struct Question: Decodable {
    let user: String
    let question: String
}

let router = Router()
router.add(middleware: FileMiddleware(publicFolder, searchForIndexHtml: true))
router.post("/ask") { request, context -> Response in
    let ask = try await request.decode(as: Question.self, context: context)
    // A page that has just connected may still be opening its relay: give it a few seconds.
    var client = users.withLock { $0[ask.user] }
    for _ in 0..<50 where client?.isConnected != true {
        try await Task.sleep(for: .milliseconds(100))
        client = users.withLock { $0[ask.user] }
    }
    guard let client, client.isConnected else {
        throw HTTPError(.conflict, message: "Connect your wallet first")
    }
    let body: [String: Any] = [
        "model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
        "messages": [["role": "user", "content": String(ask.question.prefix(4000))]],
    ]
    let answer = try await client.createFetch(.anthropic)(
        ByokyFetch.Request(
            url: "https://api.anthropic.com/v1/messages",
            headers: [("content-type", "application/json")],
            body: Array(try JSONSerialization.data(withJSONObject: body))
        )
    )
    // The provider's own stream, passed on to the page as it arrives.
    var headers = HTTPFields()
    headers[.contentType] = answer.headers.first { $0.0.lowercased() == "content-type" }?.1 ?? "text/event-stream"
    return Response(
        status: .init(code: answer.status),
        headers: headers,
        body: ResponseBody { writer in
            for try await piece in answer.body { try await writer.write(ByteBuffer(bytes: piece)) }
            try await writer.finish(nil)
        }
    )
}

let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: sockets),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        // Once it listens (PORT=0 picks a free port: this names it), written unbuffered so a script
        // reading the output can connect as soon as it reads the address.
        let bound = channel.localAddress?.port ?? port
        FileHandle.standardOutput.write(Data("__APP_NAME__ at http://127.0.0.1:\(bound)/\n".utf8))
    }
)
try await app.runService()
