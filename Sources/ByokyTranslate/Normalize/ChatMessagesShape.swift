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
        // The texts, and the parts once media makes the content a list of them (a plain-text
        // turn, the usual one, builds no part at all).
        var texts: [String] = []
        var parts: [JSONNode]?
        func addMedia(_ part: JSONNode) {
            if parts == nil { parts = texts.map(textPart) }
            parts!.append(part)
        }
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
                    addMedia(imagePart(source))
                    report.note("images in tool results sent in the following user message")
                }
            case .text(let text):
                if parts == nil { texts.append(text) } else { parts!.append(textPart(text)) }
            case .image(let source):
                addMedia(imagePart(source))
            case .document(let source, let title):
                addMedia(try document(source, title))
            case .toolUse, .thinking, .redactedThinking:
                continue
            }
        }
        if let parts {
            messages.append(.object(["role": .string("user"), "content": .array(parts)]))
        } else if !texts.isEmpty {
            messages.append(
                .object([
                    "role": .string("user"),
                    "content": .string(userContent(texts)),
                ])
            )
        }
        return messages
    }

    /// A user turn's texts as the one string chat formats carry: a single block as it is, several
    /// joined by newlines.
    static func userContent(_ texts: [String]) -> String {
        texts.count == 1 ? texts[0] : texts.joined(separator: "\n")
    }

    private static func textPart(_ text: String) -> JSONNode {
        .object(["type": .string("text"), "text": .string(text)])
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

    /// Writes `"tool_calls": […]` when there are calls; `id`: a call's id as the target names it.
    static func writeToolCalls(_ calls: [ToolUse], id: (ToolUse) -> String, to output: inout JSONOutput) {
        guard !calls.isEmpty else { return }
        output.key("tool_calls")
        output.beginArray()
        for call in calls { writeToolCall(call, id: id(call), to: &output) }
        output.endArray()
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
