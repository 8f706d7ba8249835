import AsyncHTTPClient
import ByokyCore
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to a running daemon over its owner-only control socket.
struct ControlClient {
    let socketPath: String

    init(home: WalletHome) {
        socketPath = home.controlSocketPath
    }

    /// Sends a request and decodes the JSON answer.
    ///
    /// - Throws: ``ByokyError`` `BRIDGE_UNAVAILABLE` when no daemon listens, or the daemon's error.
    func send<Answer: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        as type: Answer.Type
    )
        async throws -> Answer
    {
        let encodedPath = socketPath.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(
            of: "/",
            with: "%2F"
        )
        let unavailable = Self.noRunningWallet
        guard FileManager.default.fileExists(atPath: socketPath) else { throw unavailable }
        var request = HTTPClientRequest(url: "http+unix://\(encodedPath)\(path)")
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        // A stale socket refuses at once; without this the client would retry until the deadline.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let status: UInt
        let collected: [UInt8]
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = response.status.code
            collected = Array(try await response.body.collect(upTo: 1_048_576).readableBytesView)
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw unavailable
        }
        guard status < 300 else {
            let envelope = try? JSONDecoder().decode(WireErrorEnvelope.self, from: Data(collected))
            throw envelope?.error.byokyError
                ?? ByokyError(.internalError, "The wallet answered \(status)")
        }
        return try JSONDecoder().decode(Answer.self, from: Data(collected))
    }

    /// `text` escaped for use as one path segment.
    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? ""
    }

    /// Sends `request` and decodes the JSON answer.
    func send<Answer: Decodable>(_ request: ControlRequest, as type: Answer.Type) async throws -> Answer {
        try await send(request.method, request.path, body: request.body, as: type)
    }

    /// What a command that needs the daemon says when none runs.
    static let noRunningWallet = ByokyError(.bridgeUnavailable, "No running wallet — start it with `byoky serve`")

    /// What a running daemon says of itself (its control socket's `/status`).
    struct DaemonStatus: Decodable {
        let unlocked: Bool
        /// The bridge's base URL, e.g. `http://127.0.0.1:19280`.
        let bridge: String
        /// Apps waiting for the owner's approval.
        let pendingApprovals: Int
    }

    /// The running daemon's status; `nil` when none runs.
    static func runningStatus(home: WalletHome) async -> DaemonStatus? {
        try? await ControlClient(home: home).send(.GET, "/status", as: DaemonStatus.self)
    }

    /// A client for the daemon when one runs (locked or not); `nil` otherwise.
    static func runningDaemon(home: WalletHome) async -> ControlClient? {
        await runningStatus(home: home) == nil ? nil : ControlClient(home: home)
    }

    /// A client for the daemon when one runs and is unlocked (it can then do the work without the
    /// master password); `nil` otherwise, and the CLI works on the store itself.
    static func unlockedDaemon(home: WalletHome) async -> ControlClient? {
        await runningStatus(home: home)?.unlocked == true ? ControlClient(home: home) : nil
    }

    /// Tells a running daemon the store changed (best effort: nothing to do when none runs).
    func announceChange() async {
        struct Answer: Decodable {}
        _ = try? await send(.POST, "/invalidate", as: Answer.self)
    }
}

/// One call to the control socket: method, path (with its query) and JSON body.
struct ControlRequest {
    let method: HTTPMethod
    let path: String
    var body: [UInt8]?

    static func get(_ path: String, query: [(String, String?)] = []) -> ControlRequest {
        ControlRequest(method: .GET, path: path + queryString(query))
    }

    static func delete(_ path: String, query: [(String, String?)] = []) -> ControlRequest {
        ControlRequest(method: .DELETE, path: path + queryString(query))
    }

    static func post(_ path: String, _ body: some Encodable) throws -> ControlRequest {
        ControlRequest(method: .POST, path: path, body: Array(try JSONEncoder().encode(body)))
    }

    static func put(_ path: String, _ body: some Encodable) throws -> ControlRequest {
        ControlRequest(method: .PUT, path: path, body: Array(try JSONEncoder().encode(body)))
    }

    /// `?name=value&…` for the pairs with a value, each escaped; empty when none has one.
    private static func queryString(_ pairs: [(String, String?)]) -> String {
        let present = pairs.compactMap { name, value in
            value.map { "\(name)=\(ControlClient.pathComponent($0))" }
        }
        return present.isEmpty ? "" : "?" + present.joined(separator: "&")
    }
}
