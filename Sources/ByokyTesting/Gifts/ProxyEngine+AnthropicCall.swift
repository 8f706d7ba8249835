import ByokyCore
package import ByokyWallet
import NIOCore

extension ProxyEngine {
    /// What an app got back: the status, the `x-byoky-error-code` header and the body.
    package typealias AppAnswer = (status: Int, code: String?, text: String)

    /// An Anthropic Messages request from an app holding `sessionKey`, handled by this engine (a
    /// wallet's bridge), with its whole answer.
    package func anthropicCall(
        sessionKey: String,
        prompt: String = "Hello through a gift",
        maxTokens: Int = 32,
        stream: Bool = false,
        path: String = "/v1/messages",
        method: String = "POST",
        body givenBody: String? = nil
    ) async throws -> AppAnswer {
        let body =
            givenBody
            ?? #"{"model":"claude-sonnet-4-6","max_tokens":\#(maxTokens),"stream":\#(stream),"messages":[{"role":"user","content":"\#(prompt)"}]}"#
        let response = await handle(
            ProxyRequest(
                provider: .anthropic,
                method: method,
                pathAndQuery: path,
                headers: [("content-type", "application/json"), ("x-api-key", sessionKey)],
                body: method == "GET" ? ByteBuffer() : ByteBuffer(string: body)
            ),
            sessionKey: sessionKey
        )
        let code = response.headers.first { $0.name.lowercased() == ErrorBody.codeHeaderName }?.value
        let collected = try await response.body.collect(upTo: 4 * 1_048_576)
        return (response.status, code, String(buffer: collected))
    }
}
