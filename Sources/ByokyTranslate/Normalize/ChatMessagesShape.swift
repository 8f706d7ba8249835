internal import ByokyCore

/// The chat-messages shape OpenAI and Cohere share. A user turn becomes one `tool` message per
/// tool result (errors as an `Error:` prefix, images moved to the user message), then a `user`
/// message whose content is plain text, or `text`/`image_url` parts when media is present.
enum ChatMessagesShape {
    /// The messages for one user turn; `document` writes a document part or refuses it.
    static func messages(
        for message: ChatMessage,
        family: APIFamily,
        provider: ProviderID,
        report: inout TranslationReport,
        document: (MediaSource, String?) throws(ByokyError) -> JSONNode
    ) throws(ByokyError) -> [JSONNode] {
        var messages: [JSONNode] = []
        var parts: [JSONNode] = []
        var hasMedia = false
        for block in message.content {
            switch block {
            case .toolResult(let result):
                var text = result.text
                if result.isError {
                    text = "Error: " + text
                    report.note("tool error flag sent as an 'Error:' prefix")
                }
                messages.append(
                    .object([
                        "role": .string("tool"),
                        "tool_call_id": .string(
                            ToolCallID.forTarget(result.toolUseID, family: family, provider: provider)
                        ),
                        "content": .string(text),
                    ])
                )
                for case .image(let source) in result.content {
                    hasMedia = true
                    parts.append(imagePart(source))
                    report.note("images in tool results sent in the following user message")
                }
            case .text(let text):
                parts.append(.object(["type": .string("text"), "text": .string(text)]))
            case .image(let source):
                hasMedia = true
                parts.append(imagePart(source))
            case .document(let source, let title):
                hasMedia = true
                parts.append(try document(source, title))
            case .toolUse, .thinking, .redactedThinking:
                continue
            }
        }
        guard !parts.isEmpty else { return messages }
        let content: JSONNode =
            hasMedia ? .array(parts) : .string(parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n"))
        messages.append(.object(["role": .string("user"), "content": content]))
        return messages
    }

    private static func imagePart(_ source: MediaSource) -> JSONNode {
        .object(["type": .string("image_url"), "image_url": .object(["url": .string(source.urlString)])])
    }
}

extension ChatMessagesShape {
    /// A tool call as OpenAI and Cohere write it: `{id, type: function, function: {name, arguments}}`.
    static func toolCallNode(_ call: ToolUse, id: String) -> JSONNode {
        JSONOutput.node { writeToolCall(call, id: id, to: &$0) }
    }

    /// Writes a tool call as ``toolCallNode(_:id:)`` describes it.
    static func writeToolCall(_ call: ToolUse, id: String, to output: inout JSONOutput) {
        output.beginObject()
        output.member("id", id)
        output.member("type", "function")
        output.key("function")
        output.beginObject()
        output.member("name", call.name)
        output.member("arguments", call.arguments.jsonText)
        output.endObject()
        output.endObject()
    }
}
