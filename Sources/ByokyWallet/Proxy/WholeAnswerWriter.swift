public import NIOCore

/// Writes a provider's answer to the app the moment all of it has arrived, from the provider
/// connection's read, before the request's task resumes to build the answer as usual (that work,
/// and the request's metering and log entry, then run after the answer is out). Offered by the
/// HTTP edge that answers the app (``ProxyRequest/wholeAnswerWriter``).
public protocol WholeAnswerWriter: Sendable {
    /// Writes an answer passed on as it is, whose whole `body` is here, when it can be written at
    /// once (called on the provider connection's event loop): `allowedOrigin` is the page that may
    /// read it. `beforeWriting` runs once it is sure to be written, just before. Returns whether
    /// it was written; when not, nothing happened and the answer goes the usual way.
    func writeWhole(
        status: Int,
        headers: [(name: String, value: String)],
        allowedOrigin: String?,
        body: ByteBuffer,
        beforeWriting: () -> Void
    ) -> Bool
}
