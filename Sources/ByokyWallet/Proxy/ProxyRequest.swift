public import ByokyCore
public import NIOCore

/// A provider-native request from an app, as any transport delivers it.
public struct ProxyRequest: Sendable {
    /// The provider the app addressed (`/anthropic/…` on the bridge).
    public var provider: ProviderID
    /// The HTTP method.
    public var method: String
    /// The provider-native path and query, e.g. `/v1/messages` or `/v1beta/models/m:generateContent?alt=sse`.
    public var pathAndQuery: String
    /// The app's headers (filtered by ``UpstreamHeaders`` before going upstream).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: ByteBuffer
    /// Writes the provider's whole answer to the app as soon as it has arrived, when the answer
    /// is passed on as it is (`nil`: the answer is written once the request's task has built it).
    public var wholeAnswerWriter: (any WholeAnswerWriter)?

    public init(
        provider: ProviderID,
        method: String,
        pathAndQuery: String,
        headers: [(name: String, value: String)],
        body: ByteBuffer,
        wholeAnswerWriter: (any WholeAnswerWriter)? = nil
    ) {
        self.provider = provider
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.headers = headers
        self.body = body
        self.wholeAnswerWriter = wholeAnswerWriter
    }

    /// The path without its query.
    public var path: String {
        // Found in the text's bytes where they are contiguous (a native string's are): the
        // generic search of the UTF-8 view cost some 400 instructions, on every request, several
        // times over.
        let found = pathAndQuery.utf8.withContiguousStorageIfAvailable { $0.firstIndex(of: UInt8(ascii: "?")) }
        let mark: Int? =
            found
            ?? pathAndQuery.utf8.firstIndex(of: UInt8(ascii: "?")).map {
                pathAndQuery.utf8.distance(from: pathAndQuery.utf8.startIndex, to: $0)
            }
        guard let mark else { return pathAndQuery }
        return String(decoding: pathAndQuery.utf8.prefix(mark), as: UTF8.self)
    }

    /// Refuses a path whose segments percent-decoding would change (``PathSegmentPolicy``): checked
    /// on every transport before a session, route or key is looked at.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL`, saying what is wrong with the path.
    public func checkPath() throws {
        let pathBytes = pathAndQuery.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if let reason = PathSegmentPolicy.refusal(of: pathBytes) {
            throw ByokyError(.invalidURL, reason)
        }
    }
}
