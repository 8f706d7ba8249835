import ByokyCore
import NIOHTTP1
import Testing

@testable import ByokyProxyHTTP

/// A provider request's head read straight from the decoder's: path, query and headers.
struct ProxyRequestHeadTests {
    static func head(_ target: String, _ headers: HTTPHeaders = [:]) -> ProxyRequestHead {
        ProxyRequestHead(HTTPRequestHead(version: .http1_1, method: .POST, uri: target, headers: headers))
    }

    @Test(
        arguments: [
            ("/anthropic/v1/messages?beta=true#top", "/anthropic/v1/messages", "beta=true"),
            ("/anthropic/v1/messages", "/anthropic/v1/messages", nil),
            ("/a#b?c", "/a", nil),
            ("/a?", "/a", ""),
            ("/ä/x?q=ü#ö", "/ä/x", "q=ü"),
            ("?only", "", "only"),
        ] as [(String, String, String?)]
    )
    func thePathEndsAtTheQueryOrFragment(target: String, path: String, query: String?) {
        let head = Self.head(target)
        #expect(head.path == path[...])
        #expect(head.query.map(String.init) == query)
    }

    @Test func headersAreLowerCasedInOrderWithoutTheFirstHost() {
        let head = Self.head(
            "/x",
            [
                "Host": "127.0.0.1:19280", "X-Api-Key": "k", "content-type": "application/json", "HOST": "second",
                "Ä-Name": "v",
            ]
        )
        #expect(head.fields.map(\.name) == ["x-api-key", "content-type", "host", "ä-name"])
        #expect(head.fields.map(\.value) == ["k", "application/json", "second", "v"])
        #expect(head.host == "127.0.0.1:19280")
    }

    /// The provider of a route's request is the registered one named by the first segment after
    /// the route's prefix, with something after it; anything else stays with the router.
    @Test(
        arguments: [
            ("", "/anthropic/v1/messages", "anthropic"),
            ("", "/openai/x", "openai"),
            ("", "/anthropic/", nil),
            ("", "/anthropic", nil),
            ("", "/nonesuch/v1/messages", nil),
            ("", "/v1/session", nil),
            ("", "http://host/anthropic/v1/messages", nil),
            ("/proxy", "/proxy/anthropic/v1/messages", "anthropic"),
            ("/proxy", "/proxy/gemini/v1beta/models/m:generateContent?alt=sse", "gemini"),
            ("/proxy", "/proxy/v1/session", nil),
            ("/proxy", "/proxy/v1/events", nil),
            ("/proxy", "/proxy/anthropic", nil),
            ("/proxy", "/proxy/anthropic/", nil),
            ("/proxy", "/proxy//anthropic/v1/messages", nil),
            ("/proxy", "/proxyanthropic/v1/messages", nil),
            ("/proxy", "/anthropic/v1/messages", nil),
            ("/proxy", "/prox/anthropic/v1/messages", nil),
        ] as [(String, String, String?)]
    )
    func aRoutesProviderIsTheSegmentAfterItsPrefix(prefix: String, target: String, provider: String?) {
        #expect(ProxyRoute.provider(named: Self.head(target), under: prefix)?.id.rawValue == provider)
        if prefix.isEmpty { #expect(ProxyRoute.provider(named: Self.head(target))?.id.rawValue == provider) }
    }

    @Test func aPreflightOrAHeadRequestStaysWithTheRouter() {
        for method in [HTTPMethod.OPTIONS, .HEAD, .CONNECT] {
            let head = ProxyRequestHead(
                HTTPRequestHead(version: .http1_1, method: method, uri: "/proxy/anthropic/v1/messages")
            )
            #expect(ProxyRoute.provider(named: head, under: "/proxy") == nil)
        }
    }
}
