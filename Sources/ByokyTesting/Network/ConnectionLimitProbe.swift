import NIOCore

/// How a server with a maximum of connections treats the one past it.
public enum ConnectionLimitProbe {
    public struct Result: Sendable {
        /// Whether a request on the last connection below the maximum was answered.
        public let answeredBelowMaximum: Bool
        /// How long a request on a connection past the maximum waited for its answer, when one
        /// of the held connections closed a second after it came; `nil` when it never came.
        public let waitedPastMaximum: Duration?
    }

    /// Holds `maximum - 1` silent connections to `127.0.0.1:port`, sends `request` on one more
    /// (answered: the server is not full), then fills the server, sends `request` on a connection
    /// past the maximum and, a second later, closes one of the held connections.
    public static func probe(port: Int, maximum: Int, request: String) async throws -> Result {
        var held = try await StalledConnection.open(maximum - 1, port: port)
        let answered = try await StalledConnection.answerTime(port: port, request: request, patience: .seconds(5))
        held += try await StalledConnection.open(1, port: port)
        // The server takes the last one before the next connection comes.
        try await Task.sleep(for: .milliseconds(300))
        let waiting = Task {
            try await StalledConnection.answerTime(port: port, request: request, patience: .seconds(15))
        }
        try await Task.sleep(for: .seconds(1))
        try await held.removeLast().close()
        let waited = try await waiting.value
        for channel in held { try? await channel.close() }
        return Result(answeredBelowMaximum: answered != nil, waitedPastMaximum: waited)
    }
}
