/// Renders a ``ByokyError`` in the error format of the API family the caller speaks, so a stock
/// provider SDK raises its own typed error for it.
///
/// - Anthropic: `{"type":"error","error":{"type":"rate_limit_error","message":"…"}}`
/// - OpenAI-compatible: `{"error":{"message":"…","type":"…","param":null,"code":"RATE_LIMITED"}}`
/// - Gemini: `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}`
/// - Cohere: `{"message":"…"}`
///
/// Every response also carries the header ``codeHeaderName`` with the Byoky code.
public enum ErrorBody {
    /// The response header that carries the Byoky error code next to a family-shaped body.
    public static let codeHeaderName = "x-byoky-error-code"

    /// The JSON body for `error` in `family`'s format; `nil` means the OpenAI-compatible shape
    /// (used by the local providers and by the wallet's own API).
    public static func json(for error: ByokyError, family: APIFamily?) -> [UInt8] {
        let status = error.httpStatus
        let body: any Encodable =
            switch family {
            case .anthropic:
                AnthropicError(error: .init(type: anthropicType(status: status), message: error.message))
            case .openai, nil:
                OpenAIError(
                    error: .init(message: error.message, type: openAIType(status: status), code: error.code.rawValue)
                )
            case .gemini:
                GeminiError(error: .init(code: status, message: error.message, status: googleStatus(status: status)))
            case .cohere:
                CohereError(message: error.message)
            }
        // Encoding these fixed shapes of strings and integers cannot fail.
        return (try? JSONCoding.encode(body)) ?? Array(#"{"error":{"message":"internal error"}}"#.utf8)
    }

    /// The error as one server-sent event, for a failure after a stream's head was sent.
    ///
    /// Anthropic streams get `event: error`; OpenAI-compatible, Gemini and Cohere streams get a
    /// `data:` line whose JSON is the family's error body, which their SDKs raise.
    public static func sseEvent(for error: ByokyError, family: APIFamily?) -> [UInt8] {
        let data = json(for: error, family: family)
        var writer = SSEWriter()
        switch family {
        case .anthropic: writer.writeEvent(type: "error", data: data)
        case .openai, .gemini, .cohere, nil: writer.writeEvent(data: data)
        }
        return writer.takeBytes()
    }

    /// Anthropic's `error.type` for an HTTP status.
    public static func anthropicType(status: Int) -> String {
        switch status {
        case 400, 405, 409, 422: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 410: "permission_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 504: "timeout_error"
        case 529: "overloaded_error"
        default: "api_error"
        }
    }

    /// OpenAI's `error.type` for an HTTP status.
    public static func openAIType(status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403, 410: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }

    /// Google's canonical `status` name for an HTTP status.
    public static func googleStatus(status: Int) -> String {
        switch status {
        case 400, 405, 413: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403, 410: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 408, 504: "DEADLINE_EXCEEDED"
        case 409: "ABORTED"
        case 429: "RESOURCE_EXHAUSTED"
        case 501: "UNIMPLEMENTED"
        case 502, 503: "UNAVAILABLE"
        default: "INTERNAL"
        }
    }

    private struct AnthropicError: Encodable {
        struct Detail: Encodable {
            let type: String
            let message: String
        }
        let type = "error"
        let error: Detail

        init(error: Detail) { self.error = error }
    }

    private struct OpenAIError: Encodable {
        struct Detail: Encodable {
            let message: String
            let type: String
            let code: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encodeNil(forKey: .param)
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }
        let error: Detail
    }

    private struct GeminiError: Encodable {
        struct Detail: Encodable {
            let code: Int
            let message: String
            let status: String
        }
        let error: Detail
    }

    private struct CohereError: Encodable {
        let message: String
    }
}
