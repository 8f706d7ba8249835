import NIOCore

/// Takes a provider's whole answer the moment it has ended cleanly, before anyone read its body
/// (``UpstreamBody``): writes it to the app at once, or declines.
protocol WholeAnswerTaker: AnyObject, Sendable {
    /// Takes the answer's `head` and whole `body`; whether it was written.
    func take(head: UpstreamResponseParser.Head, body: ByteBuffer) -> Bool
}
