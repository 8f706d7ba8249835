import NIOCore

/// Takes a provider's whole answer the moment it has ended cleanly, before anyone read its body
/// (``UpstreamBody``): writes it to the app at once, or declines.
protocol WholeAnswerTaker: AnyObject, Sendable {
    /// Takes the answer's `head` and whole `body`; whether it was written.
    func take(head: UpstreamResponseParser.Head, body: ByteBuffer) -> Bool

    /// Hears that the body ended (cleanly or not) without being taken: nobody else may read it
    /// (a request started with no task of its own must then hand it to one). Called once, after
    /// the body is finished.
    func bodyEndedUntaken()
}

extension WholeAnswerTaker {
    func bodyEndedUntaken() {}
}
