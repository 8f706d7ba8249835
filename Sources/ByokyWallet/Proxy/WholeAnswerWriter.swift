public import NIOCore

/// Writes a provider's answer to the app the moment all of it has arrived, from the provider
/// connection's read, before the request's task resumes to build the answer as usual (that work,
/// and the request's metering and log entry, then run after the answer is out). Offered by the
/// HTTP edge that answers the app (``ProxyRequest/wholeAnswerWriter``).
public protocol WholeAnswerWriter: Sendable {
    /// Writes `answer` when it can be written at once (called on the provider connection's event
    /// loop). `beforeWriting` runs once it is sure to be written, just before. Returns whether it
    /// was written; when not, nothing happened and the answer goes the usual way.
    func writeWhole(_ answer: WholeAnswer, beforeWriting: () -> Void) -> Bool

    /// Whether ``writeWhole(_:beforeWriting:)``, called now, would write (asked before making an
    /// answer that costs work to make, such as a translation).
    func canWriteWhole() -> Bool
}

extension WholeAnswerWriter {
    public func canWriteWhole() -> Bool { true }
}

/// A provider's answer passed on as it is, all of it here.
public struct WholeAnswer: Sendable {
    public var status: Int
    /// The headers that go to the app.
    public var headers: [(name: String, value: String)]
    public var body: ByteBuffer
    /// The page that may read it (its session's), if any.
    public var allowedOrigin: String?
}
