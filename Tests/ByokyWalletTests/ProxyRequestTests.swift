import ByokyCore
import ByokyWallet
import NIOCore
import Testing

/// A request's path is its path and query up to the query's mark, whatever the text holds.
struct ProxyRequestTests {
    @Test(arguments: [
        ("/v1/messages", "/v1/messages"),
        ("/v1beta/models/m:generateContent?alt=sse", "/v1beta/models/m:generateContent"),
        ("/v1/models?", "/v1/models"),
        ("?key=x", ""),
        ("/v1/é/ü?q=ß", "/v1/é/ü"),
        ("/a?b?c", "/a"),
        ("", ""),
    ])
    func pathEndsAtTheQuery(pathAndQuery: String, path: String) {
        let request = ProxyRequest(
            provider: .anthropic,
            method: "POST",
            pathAndQuery: pathAndQuery,
            headers: [],
            body: ByteBuffer()
        )
        #expect(request.path == path)
        // A slice's copy of the text (not at the start of its storage) reads the same.
        let longer = "/prefix" + pathAndQuery
        let sliced = ProxyRequest(
            provider: .anthropic,
            method: "POST",
            pathAndQuery: String(longer.dropFirst(7)),
            headers: [],
            body: ByteBuffer()
        )
        #expect(sliced.path == path)
    }
}
