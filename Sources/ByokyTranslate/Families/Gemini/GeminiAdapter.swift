internal import ByokyCore

/// Gemini `generateContent` / `streamGenerateContent?alt=sse`. The model and streaming live in the
/// URL, not the body.
enum GeminiAdapter: FamilyAdapter {
    static let family = APIFamily.gemini

    /// Google's documented placeholder for a function call replayed without its thought signature.
    static let skipSignature = "skip_thought_signature_validator"

    static func stopReason(from value: String?, hadToolCall: Bool) -> StopReason {
        switch value {
        case "STOP": hadToolCall ? .toolUse : .endTurn
        case "MAX_TOKENS": .maxTokens
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": .refusal
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL": .error
        case "LANGUAGE", "OTHER": .other
        default: hadToolCall ? .toolUse : .endTurn
        }
    }

    static func finishReasonValue(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .stopSequence, .toolUse, .pauseTurn: "STOP"
        case .maxTokens, .contextWindowExceeded: "MAX_TOKENS"
        case .refusal: "SAFETY"
        case .error: "MALFORMED_FUNCTION_CALL"
        case .other: "OTHER"
        }
    }

    static func readUsage(_ node: JSONNode?) -> ChatUsage {
        guard let node else { return ChatUsage() }
        let thoughts = node["thoughtsTokenCount"]?.countValue ?? 0
        // What Google's own tools read (a search's results) is input, reported apart.
        let toolInput = node["toolUsePromptTokenCount"]?.countValue ?? 0
        return ChatUsage(
            inputTokens: (node["promptTokenCount"]?.countValue ?? 0) + toolInput,
            outputTokens: (node["candidatesTokenCount"]?.countValue ?? 0) + thoughts,
            cacheReadTokens: node["cachedContentTokenCount"]?.countValue ?? 0,
            reasoningTokens: thoughts
        )
    }

    static func usageNode(_ usage: ChatUsage) -> JSONNode {
        JSONOutput.node { writeUsage(usage, to: &$0) }
    }

    static func writeUsage(_ usage: ChatUsage, to output: inout JSONOutput) {
        output.beginObject()
        output.member("promptTokenCount", int: usage.inputTokens)
        output.member("candidatesTokenCount", int: max(0, usage.outputTokens - usage.reasoningTokens))
        output.member("totalTokenCount", int: usage.totalTokens)
        if usage.cacheReadTokens > 0 { output.member("cachedContentTokenCount", int: usage.cacheReadTokens) }
        if usage.reasoningTokens > 0 { output.member("thoughtsTokenCount", int: usage.reasoningTokens) }
        output.endObject()
    }

    static func readError(_ body: JSONNode?, status: Int) -> ProviderErrorInfo {
        let error = body.map(GeminiFieldNames.normalized)?["error"]
        return ProviderErrorInfo(
            type: error?["status"]?.stringValue ?? ErrorBody.googleStatus(status: status),
            message: error?["message"]?.stringValue ?? "Gemini API error (HTTP \(status))",
            status: error?["code"]?.intValue ?? status
        )
    }

    static func writeError(_ error: ProviderErrorInfo) -> JSONNode {
        .object([
            "error": .object([
                "code": .int(error.status),
                "message": .string(error.message),
                "status": .string(ErrorBody.googleStatus(status: error.status)),
            ])
        ])
    }

    static func makeStreamReader(context: TranslationContext) -> any StreamEventReader {
        GeminiStreamReader(context: context)
    }

    static func makeStreamWriter(context: TranslationContext) -> any StreamEventWriter {
        GeminiStreamWriter(context: context)
    }

    /// A tool result's text as Gemini's `response` object: JSON objects as they are, anything else
    /// under `result` (or `error` for a failed call).
    static func responseObject(_ result: ToolResult) -> JSONNode {
        let text = result.text
        if !result.isError, let node = try? JSONNode.parse(text), node.objectValue != nil { return node }
        return .object([result.isError ? "error" : "result": .string(text)])
    }

    /// Media as a Gemini part.
    static func mediaPart(_ source: MediaSource) -> JSONNode {
        switch source {
        case .base64(let mediaType, let data):
            .object(["inlineData": .object(["mimeType": .string(mediaType), "data": .string(data)])])
        case .url(let url, let mediaType):
            .object([
                "fileData": .object(["mimeType": .string(mediaType ?? guessedMediaType(url)), "fileUri": .string(url)])
            ])
        }
    }

    /// Gemini needs a MIME type with every file URL; guess it from the extension (images by default).
    static func guessedMediaType(_ url: String) -> String {
        let path = url.split(separator: "?").first.map { $0.lowercased() } ?? ""
        let types = [
            ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif", ".pdf": "application/pdf",
            ".heic": "image/heic",
        ]
        return types.first { path.hasSuffix($0.key) }?.value ?? "image/jpeg"
    }
}
