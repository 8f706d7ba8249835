/// Input a chat request names instead of carrying: the provider reads it into the model's context
/// itself, so the request's size says nothing of what it costs. A file stored at the provider
/// (named by id or URI), a document, image or video at a URL, state the provider keeps (an earlier
/// response, a conversation, a stored prompt, a context cache), and tools the provider runs itself
/// (web search and fetch, code execution, file search, remote MCP servers), whose results join the
/// context.
///
/// A token budget's hold for such a request cannot be worked out from its bytes: a ten-line
/// request naming an hour of video or a 500-page document costs up to the model's whole context
/// window. The wallet's holds (an app's caps, a gift's budget) use this to reserve that much.
public enum ReferencedInput: Sendable, Hashable {
    /// A file stored at the provider, named by its id or URI.
    case file
    /// A document, image or video the provider fetches from a URL.
    case url
    /// State the provider keeps: an earlier response, a conversation, a stored prompt or item, a
    /// context cache.
    case storedContext
    /// A tool the provider runs itself (web search or fetch, code execution, file search, a
    /// remote MCP server).
    case providerTool

    /// What it is, for an error message.
    public var description: String {
        switch self {
        case .file: "a file stored at the provider"
        case .url: "a document or image at a URL"
        case .storedContext:
            "state the provider keeps (an earlier response, a conversation, a stored prompt or a cache)"
        case .providerTool: "a tool the provider runs itself (web search or fetch, code execution, file search or MCP)"
        }
    }

    /// The first input `body` (a chat request of `family`'s API; `nil` for a local server, which
    /// speaks OpenAI's) names instead of carrying, or `nil` when it carries all of its input.
    /// Inline data (base64 images, documents and audio, `data:` URLs) is carried: its bytes count.
    public static func first(in body: JSONObject, family: APIFamily?) -> ReferencedInput? {
        switch family {
        case .anthropic?: anthropic(body)
        case .openai?, nil: openAI(body)
        case .gemini?: gemini(body)
        case .cohere?: cohere(body)
        }
    }

    // MARK: Anthropic Messages

    /// Anthropic's server tools are typed by name and version (`web_search_20250305`); its
    /// client tools have no type, `custom`, or one the app runs itself (`bash_…`, `computer_…`).
    private static let anthropicServerTools = [
        "web_search", "web_fetch", "code_execution", "tool_search", "mcp_toolset",
    ]

    private static func anthropic(_ body: JSONObject) -> ReferencedInput? {
        if let servers = body["mcp_servers"]?.arrayValue, !servers.isEmpty { return .providerTool }
        for tool in body["tools"]?.arrayValue ?? [] {
            if let type = tool["type"]?.stringValue, anthropicServerTools.contains(where: type.hasPrefix) {
                return .providerTool
            }
        }
        for message in body["messages"]?.arrayValue ?? [] {
            if let found = anthropicBlocks(message["content"], depth: 0) { return found }
        }
        return nil
    }

    /// Image and document blocks with a `url` or `file` source, and uploads into a container,
    /// looked for in tool results and documents' own content too.
    private static func anthropicBlocks(_ content: JSONNode?, depth: Int) -> ReferencedInput? {
        guard depth < maximumDepth, let blocks = content?.arrayValue else { return nil }
        for block in blocks {
            switch block["type"]?.stringValue {
            case "image", "document":
                switch block["source"]?["type"]?.stringValue {
                case "url": return .url
                case "file": return .file
                case "content":
                    if let found = anthropicBlocks(block["source"]?["content"], depth: depth + 1) { return found }
                default: break
                }
            case "container_upload":
                return .file
            case "tool_result":
                if let found = anthropicBlocks(block["content"], depth: depth + 1) { return found }
            default:
                break
            }
        }
        return nil
    }

    // MARK: OpenAI family (Chat Completions, Responses)

    /// The Responses API's hosted tools (`web_search`, `web_search_preview…`), and the others
    /// whose work the provider does and charges.
    private static func isOpenAIHostedTool(_ type: String) -> Bool {
        type.hasPrefix("web_search") || type == "file_search" || type == "code_interpreter" || type == "mcp"
            || type == "image_generation"
    }

    private static func openAI(_ body: JSONObject) -> ReferencedInput? {
        // Responses: an earlier response, a conversation, a stored prompt (`{"id": "pmpt_…"}`;
        // the legacy completions' `prompt` is text).
        if let previous = body["previous_response_id"]?.stringValue, !previous.isEmpty { return .storedContext }
        if let conversation = body["conversation"], !conversation.isNull { return .storedContext }
        if body["prompt"]?["id"] != nil { return .storedContext }
        // Chat Completions' search models; OpenRouter's plugins (web search, file parsing).
        if let options = body["web_search_options"], !options.isNull { return .providerTool }
        if let plugins = body["plugins"]?.arrayValue, !plugins.isEmpty { return .providerTool }
        for tool in body["tools"]?.arrayValue ?? [] {
            if let type = tool["type"]?.stringValue, isOpenAIHostedTool(type) { return .providerTool }
        }
        for item in (body["messages"]?.arrayValue ?? []) + (body["input"]?.arrayValue ?? []) {
            if item["type"]?.stringValue == "item_reference" { return .storedContext }
            if let found = openAIParts(item["content"]) ?? openAIParts(item["output"]) { return found }
            if let found = openAIPart(item) { return found }
        }
        return nil
    }

    private static func openAIParts(_ content: JSONNode?) -> ReferencedInput? {
        for part in content?.arrayValue ?? [] {
            if let found = openAIPart(part) { return found }
        }
        return nil
    }

    /// One content part: Chat Completions' `image_url` (an object with `url`, or Mistral's
    /// string) and `file`, the Responses API's `input_image` and `input_file`, Mistral's
    /// `document_url`.
    private static func openAIPart(_ part: JSONNode) -> ReferencedInput? {
        switch part["type"]?.stringValue {
        case "image_url":
            let image = part["image_url"]
            return isFetched(image?.stringValue ?? image?["url"]?.stringValue) ? .url : nil
        case "file":
            return part["file"]?["file_id"]?.stringValue != nil ? .file : nil
        case "input_image":
            if part["file_id"]?.stringValue != nil { return .file }
            return isFetched(part["image_url"]?.stringValue) ? .url : nil
        case "input_file":
            if part["file_id"]?.stringValue != nil { return .file }
            return part["file_url"]?.stringValue != nil ? .url : nil
        case "document_url":
            return .url
        default:
            return nil
        }
    }

    // MARK: Gemini

    /// Gemini's tools the provider runs, in both of proto3 JSON's spellings.
    private static let geminiProviderTools: Set<String> = [
        "googleSearch", "google_search", "googleSearchRetrieval", "google_search_retrieval", "urlContext",
        "url_context", "codeExecution", "code_execution", "fileSearch", "file_search", "googleMaps", "google_maps",
        "retrieval", "enterpriseWebSearch", "enterprise_web_search",
    ]

    private static func gemini(_ body: JSONObject) -> ReferencedInput? {
        for name in ["cachedContent", "cached_content"] {
            if let cache = body[name]?.stringValue, !cache.isEmpty { return .storedContext }
        }
        for tool in body["tools"]?.arrayValue ?? [] {
            if let members = tool.objectValue, members.contains(where: { geminiProviderTools.contains($0.key) }) {
                return .providerTool
            }
        }
        var contents = body["contents"]?.arrayValue ?? []
        for name in ["systemInstruction", "system_instruction"] {
            if let instruction = body[name] { contents.append(instruction) }
        }
        for content in contents {
            if let found = geminiParts(content["parts"], depth: 0) { return found }
        }
        return nil
    }

    /// `fileData` parts (an uploaded file's URI, a public URL, a video's page), also inside a
    /// function's response.
    private static func geminiParts(_ parts: JSONNode?, depth: Int) -> ReferencedInput? {
        guard depth < maximumDepth else { return nil }
        for part in parts?.arrayValue ?? [] {
            if part["fileData"] != nil || part["file_data"] != nil { return .file }
            for name in ["functionResponse", "function_response"] {
                if let found = geminiParts(part[name]?["parts"], depth: depth + 1) { return found }
            }
        }
        return nil
    }

    // MARK: Cohere

    private static func cohere(_ body: JSONObject) -> ReferencedInput? {
        // v1's connectors (web search, the owner's data sources).
        if let connectors = body["connectors"]?.arrayValue, !connectors.isEmpty { return .providerTool }
        for message in body["messages"]?.arrayValue ?? [] {
            if let found = openAIParts(message["content"]) { return found }
        }
        return nil
    }

    // MARK: Shared

    /// How deep nested content (tool results, documents, function responses) is followed.
    private static let maximumDepth = 8

    /// Whether an image's `url` is fetched by the provider (anything but inline `data:`).
    private static func isFetched(_ url: String?) -> Bool {
        guard let url else { return false }
        return url.prefix(5).lowercased() != "data:"
    }
}
