public import ByokyWallet

/// What a connection lends a request it starts with no task (``ProxyRoute/startDirectly``): the
/// writer of the provider's whole answer, the connection's memo of its last session key's hash,
/// and the way to finish in the connection's task an answer that could not be finished on its
/// event loop.
public struct DirectStart: Sendable {
    /// Writes the provider's whole answer from its connection's read.
    public let writer: any WholeAnswerWriter
    /// The connection's memo of its last session key's hash.
    public let memo: SessionKeyMemo
    /// Makes an answer in the connection's task and writes it as the request's.
    public let fallback: ProxyEngine.AnswerFallback
}
