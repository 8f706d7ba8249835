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
    /// The response header that tells a client whether to send the request again (the OpenAI and
    /// Anthropic SDKs obey it over their own rule of retrying 408, 409, 429 and 5xx answers).
    public static let shouldRetryHeaderName = "x-should-retry"

    /// The headers of an error answer: its JSON type, the Byoky code, `retry-after` when the
    /// error names a wait, and `x-should-retry: false` when a retry cannot help
    /// (``ByokyError/Code/retryCannotHelp``).
    public static func headers(for error: ByokyError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("content-type", "application/json")]
        headers += codeHeaders(for: error.code)
        if let retryAfter = error.details["retryAfter"] { headers.append(("retry-after", retryAfter)) }
        return headers
    }

    /// The Byoky code of an error answer, and `x-should-retry: false` when a retry cannot help:
    /// for an answer whose other headers are made elsewhere (a translated provider's error).
    public static func codeHeaders(for code: ByokyError.Code) -> [(name: String, value: String)] {
        code.retryCannotHelp
            ? [(codeHeaderName, code.rawValue), (shouldRetryHeaderName, "false")] : [(codeHeaderName, code.rawValue)]
    }

    /// The JSON body for `error` in `family`'s format; `nil` means the OpenAI-compatible shape
    /// (used by the local providers and by the wallet's own API).
    public static func json(for error: ByokyError, family: APIFamily?) -> [UInt8] {
        let status = error.httpStatus
        let message = JSONValue.string(error.message)
        switch family {
        case .anthropic:
            return JSONWriter.object([
                ("type", .string("error")),
                ("error", .object(["type": .string(anthropicType(status: status)), "message": message])),
            ])
        case .openai, nil:
            return JSONWriter.object([
                (
                    "error",
                    .object([
                        "message": message, "type": .string(openAIType(status: status)), "param": .null,
                        "code": .string(error.code.rawValue),
                    ])
                )
            ])
        case .gemini:
            return JSONWriter.object([
                (
                    "error",
                    .object([
                        "code": .number(Double(status)), "message": message,
                        "status": .string(googleStatus(status: status)),
                    ])
                )
            ])
        case .cohere:
            return JSONWriter.object([("message", message)])
        }
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
}
