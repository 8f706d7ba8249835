public import ByokyCore

/// A front end connected to this backend over a backend relay: send provider requests through it.
public struct ByokyRelayClient: Sendable {
    /// The id the front end announced (random, never its session key).
    public let sessionID: String
    /// What the front end's session may use, by provider id.
    public let providers: [String: ProviderAvailability]
    /// The app's own id for this connection, if the front end sent one.
    public let correlationID: String?
    let connection: RelayConnection

    /// Whether the connection is still open.
    public var isConnected: Bool { !connection.isClosed }

    /// A fetch function for `provider`: requests are written for the provider's real URL.
    public func createFetch(_ provider: ProviderID) -> RelayFetch {
        RelayFetch(provider: provider, connection: connection)
    }
}

/// Sends one provider request over a backend relay and streams the answer.
public struct RelayFetch: Sendable {
    /// The answer; `body` streams as the front end sends it.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: AsyncThrowingStream<[UInt8], any Error>
    }

    let provider: ProviderID
    let connection: RelayConnection

    /// Sends `request`. Cancelling the task, or abandoning the body stream, cancels the request on
    /// the front end too (and so the wallet's upstream call).
    ///
    /// - Throws: ``ByokyError`` `RELAY_DISCONNECTED` when the connection is or becomes closed,
    ///   `TIMEOUT` when the front end stays silent too long, or the front end's error (code kept).
    public func callAsFunction(_ request: ByokyFetch.Request) async throws -> Response {
        let requestID = connection.requests.makeRequestID()
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name] = value }
        let relayed = RelayRequest(
            requestID: requestID,
            provider: provider,
            url: request.url,
            method: request.method,
            headers: headers,
            bodyBytes: request.body
        )
        let answer = try await connection.perform(relayed)
        return Response(status: answer.head.status, headers: answer.head.headers, body: answer.body)
    }
}
