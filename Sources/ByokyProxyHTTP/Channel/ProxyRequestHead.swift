import ByokyCore
public import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// A provider request's head as ``ProxyRouteHandler`` reads it, straight from the HTTP/1.1
/// decoder: no conversion to `HTTPRequest` (which costs a header list, a URL parse and name
/// checks the decoder already made) for a request the router never sees.
public struct ProxyRequestHead: Sendable {
    let head: HTTPRequestHead
    /// Where the target's path ends (its first `?` or `#`), found once: the path and the query
    /// are read several times a request.
    private let pathEnd: String.Index?

    init(_ head: HTTPRequestHead) {
        self.head = head
        pathEnd = Self.pathEnd(of: head.uri)
    }

    /// The head of a request the router took; `nil` when it has no path.
    public init?(_ request: HTTPRequest) {
        guard let head = try? HTTPRequestHead(request) else { return nil }
        self.init(head)
    }

    /// The method's name (`POST`).
    public var methodName: String { head.method.rawValue }

    /// The request target up to its query (`/anthropic/v1/messages`); only origin-form targets
    /// (starting with `/`) reach a route.
    public var path: Substring {
        let target = head.uri
        return target[..<(pathEnd ?? target.endIndex)]
    }

    /// The query without its `?` (up to a `#`), or `nil` when there is none.
    public var query: Substring? {
        let target = head.uri
        guard let mark = pathEnd, target.utf8[mark] == UInt8(ascii: "?") else { return nil }
        let start = target.utf8.index(after: mark)
        return target[start..<(target.utf8[start...].firstIndex(of: UInt8(ascii: "#")) ?? target.endIndex)]
    }

    /// The `Host` header (the first one).
    public var host: String? { head.headers.first(name: "host") }

    /// The `Origin` header of a page's request.
    public var origin: String? { head.headers.first(name: "origin") }

    /// The body's length as its `content-length` declares it; `nil` for a chunked body or none
    /// declared. (The decoder has refused a head with more than one length, or a length beside
    /// a transfer coding.)
    var declaredBodyLength: Int? { head.headers.first(name: "content-length").flatMap { Int($0) } }

    /// Whether the connection stays open after the answer (HTTP/1.1 unless `Connection: close`).
    var isKeepAlive: Bool { head.isKeepAlive }

    /// The headers as the proxy engine takes them: names lower-cased, in order, the first `Host`
    /// left out (it names the bridge, not the provider).
    public var fields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(head.headers.count)
        var isFirstHost = true
        for (name, value) in head.headers {
            let lowered = HeaderText.lowercased(name)
            if isFirstHost, HeaderText.name(lowered, is: "host") {
                isFirstHost = false
                continue
            }
            fields.append((lowered, value))
        }
        return fields
    }

    /// Where the path of `target` ends: its first `?` or `#`.
    private static func pathEnd(of target: String) -> String.Index? {
        firstIndex(in: target) { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
    }

    /// The index of the first byte of `text` that matches, read from the string's contiguous
    /// bytes (stepping `String.Index` through the UTF-8 view costs several times more).
    private static func firstIndex(in text: String, where matches: (UInt8) -> Bool) -> String.Index? {
        let offset =
            text.utf8.withContiguousStorageIfAvailable { $0.firstIndex(where: matches) }
            ?? text.utf8.firstIndex(where: matches).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) }
        return offset.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
    }
}
