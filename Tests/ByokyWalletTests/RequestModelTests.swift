import ByokyCore
import NIOCore
import Testing

@testable import ByokyWallet

/// The model a request names, as the audit log and the planner read it: from a Gemini path when
/// it has one, else from the body's top-level `model`.
struct RequestModelTests {
    static func request(_ path: String, body: String = "") -> ProxyRequest {
        ProxyRequest(provider: .gemini, method: "POST", pathAndQuery: path, headers: [], body: ByteBuffer(string: body))
    }

    @Test(
        "a Gemini path names the model between /models/ and the colon",
        arguments: [
            ("/v1beta/models/gemini-2.5-pro:generateContent", "gemini-2.5-pro"),
            ("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "gemini-2.5-pro"),
            ("/models/m:x", "m"),
            ("/v1/models/a.b-c_d:countTokens?key=x", "a.b-c_d"),
            ("/v1beta/tunedModels/x/models/inner:generateContent", "inner"),
            ("/v1beta/models/:generateContent", ""),
            ("/v1beta/models/first:a/models/second:b", "first"),
        ]
    )
    func pathModel(path: String, model: String) {
        #expect(ProxyEngine.model(of: Self.request(path)) == model)
    }

    @Test(
        "without /models/…: before the query, the body's model counts",
        arguments: [
            "/v1/messages",
            "/v1beta/models/gemini-2.5-pro",
            "/v1beta/models/gemini?x=:y",
            "/v1?path=/models/fake:generateContent",
            "/v1beta/model/gemini:generateContent",
            "/models",
            "",
        ]
    )
    func bodyModel(path: String) {
        #expect(ProxyEngine.model(of: Self.request(path, body: #"{"model":"from-body"}"#)) == "from-body")
        #expect(ProxyEngine.model(of: Self.request(path)) == nil)
    }
}
