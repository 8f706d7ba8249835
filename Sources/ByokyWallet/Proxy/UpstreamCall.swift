import ByokyCore
import ByokyStore
import NIOCore

/// A provider call made ready to send, before anything is sent: its URL checked to stay under
/// the provider's base, the app's headers through the allow-list with the key injected, and the
/// body asking for stream usage when the wallet must meter a stream the app did not ask that for.
struct UpstreamCall {
    /// The method, upper-cased.
    let method: String
    let url: AbsoluteURL
    let headers: [(String, String)]
    /// The body to send (`nil` for a bodiless `GET` or `DELETE`).
    let body: ByteBuffer?
    /// Whether the wallet added `stream_options.include_usage` that the app did not ask for (the
    /// provider's usage-only chunk must then not reach the app).
    let addedStreamUsage: Bool

    /// - Throws: ``ByokyError`` `INVALID_URL` for a URL outside the base, `INVALID_KEY` for a
    ///   stored key that cannot be a header value.
    init(
        method: String,
        url: String,
        base: AbsoluteURL,
        target: Provider,
        clientHeaders: [(name: String, value: String)],
        authMethod: AuthMethod,
        secret: SecretString,
        body: ByteBuffer,
        addsStreamUsage: Bool,
        baseURLs: BaseURLCache
    ) throws {
        self.url = try baseURLs.requestURL(url, under: base, provider: target)
        headers = try UpstreamHeaders.build(
            for: target.id,
            clientHeaders: clientHeaders,
            credential: secret,
            authMethod: authMethod
        ).fields
        var body = body
        let injected =
            addsStreamUsage
            ? body.withUnsafeReadableBytes { StreamUsageOptions.injected(into: $0, provider: target.id) } : nil
        if let injected { body = ByteBuffer(bytes: injected) }
        addedStreamUsage = injected != nil
        self.method = method.uppercased()
        let sendsBody =
            body.readableBytes > 0 || self.method == "POST" || self.method == "PUT" || self.method == "PATCH"
        self.body = sendsBody ? body : nil
    }
}
