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
}
