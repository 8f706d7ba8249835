/// Input of a chat request whose cost its size does not bound. Most of it is named instead of
/// carried, and the provider reads it into the model's context itself: a file stored at the
/// provider (by id or URI), a document, image or video at a URL, state the provider keeps (an
/// earlier response, a conversation, a stored prompt, a context cache), and tools the provider
/// runs (web search and fetch, code execution, file search, remote MCP servers), whose results
/// join the context. The rest is sent inline but priced by what it holds, not by its bytes: a
/// document (a PDF's pages are read as text and images) or a video.
///
/// A token budget's hold for such a request cannot be worked out from its bytes: a ten-line
/// request naming an hour of video, or a few kilobytes of blank PDF pages, costs up to the
/// model's whole context window. The wallet's holds (an app's caps, a gift's budget) use this
/// to reserve that much. Inline images and audio are bounded, but not by their bytes
/// (``InlineMedia``): ``scan(_:family:)`` collects them.
public enum UnboundedInput: Sendable, Hashable {
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
    /// A document or video sent inline, priced by its pages or seconds.
    case inlineDocument

    /// What it is, for an error message.
    public var description: String {
        switch self {
        case .file: "a file stored at the provider"
        case .url: "a document or image at a URL"
        case .storedContext:
            "state the provider keeps (an earlier response, a conversation, a stored prompt or a cache)"
        case .providerTool: "a tool the provider runs itself (web search or fetch, code execution, file search or MCP)"
        case .inlineDocument: "a document or video, priced by its pages or seconds rather than its bytes"
        }
    }

    /// What a scan of a request's input found.
    public struct Scan: Sendable, Hashable {
        /// The first input whose cost the request's size does not bound, if any.
        public var unbounded: UnboundedInput?
        /// The images and audio sent inline as base64, and the images the provider fetches from
        /// URLs (found until something unbounded is): what each costs depends on who serves the
        /// request (``InlineMedia/worstCaseTokens(pricedBy:)``).
        public var media: [InlineMedia] = []

        /// Nothing found: all input carried, no image.
        public init(unbounded: UnboundedInput? = nil, media: [InlineMedia] = []) {
            self.unbounded = unbounded
            self.media = media
        }
    }

    /// The first input of `body` (a chat request of `family`'s API; `nil` for a local server,
    /// which speaks OpenAI's) whose cost its size does not bound, or `nil`.
    public static func first(in body: JSONObject, family: APIFamily?) -> UnboundedInput? {
        scan(body, family: family).unbounded
    }

    /// Reads `body` (a chat request of `family`'s API) for input whose cost its size does not
    /// bound, and collects its inline images and audio.
    public static func scan(_ body: JSONObject, family: APIFamily?) -> Scan {
        var scan = Scan()
        switch family {
        case .anthropic?: scan.unbounded = anthropic(body, media: &scan.media)
        case .openai?, nil: scan.unbounded = openAI(body, media: &scan.media)
        case .gemini?: scan.unbounded = gemini(body, media: &scan.media)
        case .cohere?: scan.unbounded = cohere(body, media: &scan.media)
        }
        return scan
    }

    // MARK: Anthropic Messages

    /// Anthropic's server tools are typed by name and version (`web_search_20250305`); its
    /// client tools have no type, `custom`, or one the app runs itself (`bash_…`, `computer_…`).
    private static let anthropicServerTools = [
        "web_search", "web_fetch", "code_execution", "tool_search", "mcp_toolset",
    ]

    private static func anthropic(_ body: JSONObject, media: inout [InlineMedia]) -> UnboundedInput? {
        if let servers = body["mcp_servers"]?.arrayValue, !servers.isEmpty { return .providerTool }
        for tool in body["tools"]?.arrayValue ?? [] {
            if let type = tool["type"]?.stringValue, anthropicServerTools.contains(where: type.hasPrefix) {
                return .providerTool
            }
        }
        for message in body["messages"]?.arrayValue ?? [] {
            if let found = anthropicBlocks(message["content"], depth: 0, media: &media) { return found }
        }
        return nil
    }

    /// Image and document blocks with a `url` or `file` source, a document sent as base64 (a
    /// PDF), and uploads into a container, looked for in tool results and documents' own content
    /// too; inline images counted.
    private static func anthropicBlocks(_ content: JSONNode?, depth: Int, media: inout [InlineMedia]) -> UnboundedInput?
    {
        guard depth < maximumDepth, let blocks = content?.arrayValue else { return nil }
        for block in blocks {
            let type = block["type"]?.stringValue
            switch type {
            case "image", "document":
                switch block["source"]?["type"]?.stringValue {
                case "url":
                    // An image fetched is priced as an image; a document by its pages.
                    guard type == "image" else { return .url }
                    media.append(.fetchedImage)
                case "file": return .file
                case "content":
                    if let found = anthropicBlocks(block["source"]?["content"], depth: depth + 1, media: &media) {
                        return found
                    }
                case "base64":
                    if type == "document" { return .inlineDocument }
                    media.append(InlineMedia(base64: block["source"]?["data"]?.stringValue ?? ""))
                default: break
                }
            case "container_upload":
                return .file
            case "tool_result":
                if let found = anthropicBlocks(block["content"], depth: depth + 1, media: &media) { return found }
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

    private static func openAI(_ body: JSONObject, media: inout [InlineMedia]) -> UnboundedInput? {
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
            if let found = openAIParts(item["content"], media: &media) ?? openAIParts(item["output"], media: &media) {
                return found
            }
            if let found = openAIPart(item, media: &media) { return found }
        }
        return nil
    }

    private static func openAIParts(_ content: JSONNode?, media: inout [InlineMedia]) -> UnboundedInput? {
        for part in content?.arrayValue ?? [] {
            if let found = openAIPart(part, media: &media) { return found }
        }
        return nil
    }

    /// One content part: Chat Completions' `image_url` (an object with `url`, or Mistral's
    /// string) and `file`, the Responses API's `input_image` and `input_file`, Mistral's
    /// `document_url`. A file sent inline (`file_data`) is a document.
    private static func openAIPart(_ part: JSONNode, media: inout [InlineMedia]) -> UnboundedInput? {
        switch part["type"]?.stringValue {
        case "image_url":
            let image = part["image_url"]
            return inlineOrFetched(image?.stringValue ?? image?["url"]?.stringValue, media: &media)
        case "file":
            if part["file"]?["file_id"]?.stringValue != nil { return .file }
            return part["file"]?["file_data"]?.stringValue != nil ? .inlineDocument : nil
        case "input_image":
            if part["file_id"]?.stringValue != nil { return .file }
            return inlineOrFetched(part["image_url"]?.stringValue, media: &media)
        case "input_file":
            if part["file_id"]?.stringValue != nil { return .file }
            if part["file_url"]?.stringValue != nil { return .url }
            return part["file_data"]?.stringValue != nil ? .inlineDocument : nil
        case "document_url":
            return .url
        case "input_audio":
            if let data = part["input_audio"]?["data"]?.stringValue {
                media.append(InlineMedia(base64: data, isAudio: true))
            }
            return nil
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

    private static func gemini(_ body: JSONObject, media: inout [InlineMedia]) -> UnboundedInput? {
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
            if let found = geminiParts(content["parts"], depth: 0, media: &media) { return found }
        }
        return nil
    }

    /// `fileData` parts (an uploaded file's URI, a public URL, a video's page; an image among them
    /// is counted as one the provider fetches) and inline data
    /// that is neither an image, text nor audio (a PDF, a video), also inside a function's
    /// response; inline images counted.
    private static func geminiParts(_ parts: JSONNode?, depth: Int, media: inout [InlineMedia]) -> UnboundedInput? {
        guard depth < maximumDepth else { return nil }
        for part in parts?.arrayValue ?? [] {
            if let file = part["fileData"] ?? part["file_data"] {
                // An image read from a file costs what an image costs there (bounded on Gemini 3
                // and later); any other file (a video, a PDF) its pages or seconds.
                let type = (file["mimeType"] ?? file["mime_type"])?.stringValue?.lowercased() ?? ""
                guard type.hasPrefix("image/") else { return .file }
                media.append(.fetchedImage)
                continue
            }
            if let inline = part["inlineData"] ?? part["inline_data"] {
                let type = (inline["mimeType"] ?? inline["mime_type"])?.stringValue?.lowercased() ?? ""
                let data = inline["data"]?.stringValue ?? ""
                if type.hasPrefix("image/") {
                    media.append(InlineMedia(base64: data))
                } else if type.hasPrefix("audio/") {
                    media.append(InlineMedia(base64: data, isAudio: true))
                } else if !type.hasPrefix("text/") {
                    return .inlineDocument
                }
            }
            for name in ["functionResponse", "function_response"] {
                if let found = geminiParts(part[name]?["parts"], depth: depth + 1, media: &media) { return found }
            }
        }
        return nil
    }

    // MARK: Cohere

    private static func cohere(_ body: JSONObject, media: inout [InlineMedia]) -> UnboundedInput? {
        // v1's connectors (web search, the owner's data sources).
        if let connectors = body["connectors"]?.arrayValue, !connectors.isEmpty { return .providerTool }
        for message in body["messages"]?.arrayValue ?? [] {
            if let found = openAIParts(message["content"], media: &media) { return found }
        }
        return nil
    }

    // MARK: Shared

    /// How deep nested content (tool results, documents, function responses) is followed.
    private static let maximumDepth = 8

    /// An image by `url`: inline (`data:`), read for its size; else fetched by the provider.
    private static func inlineOrFetched(_ url: String?, media: inout [InlineMedia]) -> UnboundedInput? {
        guard let url else { return nil }
        if url.prefix(5).lowercased() == "data:" {
            let data = url.firstIndex(of: ",").map { url[url.index(after: $0)...] } ?? ""
            media.append(InlineMedia(base64: data))
        } else {
            media.append(.fetchedImage)
        }
        return nil
    }
}
