public import ByokyCore

/// One piece of a message.
public enum ContentBlock: Sendable, Hashable {
    case text(String)
    /// An image (user turns and tool results).
    case image(MediaSource)
    /// A document such as a PDF (user turns and tool results).
    case document(MediaSource, title: String?)
    /// A tool call the model made.
    case toolUse(ToolUse)
    /// The app's answer to a tool call.
    case toolResult(ToolResult)
    /// The model's reasoning, with the provider's signature when it gave one.
    case thinking(Thinking)
    /// Anthropic `redacted_thinking`: opaque, only Anthropic can read it back.
    case redactedThinking(data: String)

    /// The text, if this is a text block.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// Whether this is a text block.
    var isText: Bool {
        if case .text = self { true } else { false }
    }
}

/// Where media bytes come from.
public enum MediaSource: Sendable, Hashable {
    case base64(mediaType: String, data: String)
    case url(String, mediaType: String?)

    /// The media type when known.
    public var mediaType: String? {
        switch self {
        case .base64(let mediaType, _): mediaType
        case .url(_, let mediaType): mediaType
        }
    }

    /// A `data:` URL for base64 media, the URL itself otherwise.
    public var urlString: String {
        switch self {
        case .base64(let mediaType, let data): "data:\(mediaType);base64,\(data)"
        case .url(let url, _): url
        }
    }

    /// Reads a `data:<type>;base64,<data>` URL (other parameters allowed) or an http(s) URL.
    public static func parse(url: String) -> MediaSource? {
        if url.hasPrefix("data:") {
            guard let comma = url.firstIndex(of: ",") else { return nil }
            let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
            let parameters = header.split(separator: ";").map(String.init)
            guard parameters.contains("base64"), let mediaType = parameters.first, mediaType.contains("/") else {
                return nil
            }
            return .base64(mediaType: mediaType, data: String(url[url.index(after: comma)...]))
        }
        if url.hasPrefix("https://") || url.hasPrefix("http://") || url.hasPrefix("gs://") {
            return .url(url, mediaType: nil)
        }
        return nil
    }

    /// Whether the media is an image.
    public var isImage: Bool { mediaType.map { $0.hasPrefix("image/") } ?? true }
}

/// A tool call.
public struct ToolUse: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: ToolArguments
    /// Gemini's `thoughtSignature` on the call, so a Gemini target gets it back.
    public var thoughtSignature: String?

    public init(id: String, name: String, arguments: ToolArguments, thoughtSignature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.thoughtSignature = thoughtSignature
    }
}

/// Tool-call arguments: parsed JSON, or the exact text a model produced when it is not valid JSON.
public enum ToolArguments: Sendable, Hashable {
    case json(JSONNode)
    case raw(String)

    /// Reads an arguments string as OpenAI and Cohere send it; the empty string means `{}`.
    public static func parse(_ text: String) -> ToolArguments {
        if text.allSatisfy(\.isWhitespace) { return .json(.object(JSONObject())) }
        if let node = try? JSONNode.parse(text) { return .json(node) }
        return .raw(text)
    }

    /// The arguments as a JSON string.
    public var jsonText: String {
        switch self {
        case .json(let node): node.jsonString
        case .raw(let text): text
        }
    }
}

/// A tool result.
public struct ToolResult: Sendable, Hashable {
    public var toolUseID: String
    /// The function's name when the source format carried it (Gemini, or looked up from the call).
    public var name: String?
    public var content: [ContentBlock]
    public var isError: Bool

    public init(toolUseID: String, name: String? = nil, content: [ContentBlock], isError: Bool = false) {
        self.toolUseID = toolUseID
        self.name = name
        self.content = content
        self.isError = isError
    }

    /// The text blocks joined with newlines.
    public var text: String { content.compactMap(\.text).joined(separator: "\n") }
}

/// Reasoning text.
public struct Thinking: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// Anthropic thinking, with its signature.
        case anthropic
        /// Cohere `tool_plan`.
        case toolPlan
        /// Any other reasoning summary (OpenAI-compatible `reasoning_content`, Gemini thoughts, Cohere thinking).
        case summary
    }

    public var text: String
    public var signature: String?
    public var origin: Origin

    public init(text: String, signature: String? = nil, origin: Origin) {
        self.text = text
        self.signature = signature
        self.origin = origin
    }
}
