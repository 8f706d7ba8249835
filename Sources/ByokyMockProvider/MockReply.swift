import ByokyCore

/// What the mock will answer to one request, independent of the family it is written in.
struct MockReply: Sendable {
    /// A call to one of the request's tools.
    struct ToolCall: Sendable {
        let id: String
        let name: String
        let arguments: JSONValue
        /// The arguments as compact JSON text (how OpenAI and Cohere carry them).
        var argumentsText: String {
            var writer = JSONWriter()
            writer.write(arguments)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    let model: String
    /// The reply's words, each a stream delta (all but the last end in a space).
    let words: [String]
    /// The calls the reply makes (`mock-parallel-<n>` and `mock-interleaved-<n>` make `n`; only
    /// the OpenAI family renders more than one).
    let toolCalls: [ToolCall]
    /// Whether an OpenAI stream interleaves the calls' deltas by `index` (`mock-interleaved-<n>`).
    let interleavesCalls: Bool
    let inputTokens: Int
    /// Input the provider's own tools read (a search's results), which Gemini reports apart
    /// (`toolUsePromptTokenCount`): ``MockProvider/providerToolTokens`` when a Gemini request
    /// offers Google Search, URL context or code execution.
    let toolUseTokens: Int

    /// The first call, if any.
    var toolCall: ToolCall? { toolCalls.first }

    var text: String { words.joined() }
    var outputTokens: Int { toolCall == nil ? words.count : 10 }

    /// Reads a parsed request of `family` and decides the reply; its input counts the documents
    /// `original` (the request as sent, when `request` is a reshaped copy) names.
    init(
        family: APIFamily,
        request: [String: JSONValue],
        original: [String: JSONValue]? = nil,
        model: String,
        bodySize: Int,
        defaultWordCount: Int
    ) {
        self.model = model
        let referenced = Self.referencedInput(in: .object(original ?? request))
        // Inline images and audio count by what they are, not by their base64 text; an image
        // fetched from a URL counts as an image.
        let inline = Self.inlineMedia(in: .object(original ?? request))
        inputTokens =
            max(1, (bodySize - inline.textLength) / 4) + referenced.documents * MockProvider.referencedDocumentTokens
            + (inline.count + referenced.images) * MockProvider.inlineMediaTokens
        let providerTools: Set<String> = ["googleSearch", "googleSearchRetrieval", "urlContext", "codeExecution"]
        let offersProviderTool = (request["tools"]?.arrayValue ?? []).contains { tool in
            tool.objectValue?.keys.contains(where: providerTools.contains) ?? false
        }
        toolUseTokens = family == .gemini && offersProviderTool ? MockProvider.providerToolTokens : 0
        let conversation = Self.lastTurn(family: family, request: request)
        var wordCount = defaultWordCount
        var wordWidth = 0
        if model.hasPrefix("mock-words-"), let count = Int(model.dropFirst("mock-words-".count)) {
            wordCount = max(1, min(count, 1_000_000))
        } else if model.hasPrefix(Self.longWords), let count = Int(model.dropFirst(Self.longWords.count)) {
            wordCount = max(1, min(count, 4096))
            wordWidth = Self.longWordWidth
        }
        let prompt = conversation.text.split(separator: " ").prefix(6).map(String.init)
        var plain = ["Mock", "reply", "to:"] + prompt
        var index = 1
        while plain.count < wordCount {
            let word = "word\(index)"
            plain.append(word.count < wordWidth ? word + String(repeating: "o", count: wordWidth - word.count) : word)
            index += 1
        }
        plain = Array(plain.prefix(wordCount))
        words = plain.enumerated().map { $0.offset == plain.count - 1 ? $0.element : $0.element + " " }

        var callCount = 1
        interleavesCalls = model.hasPrefix("mock-interleaved-")
        for prefix in ["mock-parallel-", "mock-interleaved-"] where model.hasPrefix(prefix) {
            callCount = max(1, min(Int(model.dropFirst(prefix.count)) ?? 1, 16))
        }
        if !conversation.endsWithToolResult, let tool = Self.firstTool(family: family, request: request) {
            toolCalls = (0..<callCount).map { number in
                // The first call keeps the plain id and values; later ones are numbered.
                let suffix = number == 0 ? "" : String(number + 1)
                return ToolCall(
                    id: Self.toolCallID(family: family, name: tool.name) + (suffix.isEmpty ? "" : "_" + suffix),
                    name: tool.name,
                    arguments: Self.arguments(for: tool.schema, suffix: suffix)
                )
            }
        } else {
            toolCalls = []
        }
    }

    /// The documents `value` names: `http(s)` URLs under `url`, `image_url`, `file_url`,
    /// `fileUri` or `file_uri`; ids under `file_id` and `previous_response_id`; and the images
    /// it names at URLs (a URL inside an Anthropic `image` block, an OpenAI `image_url` or
    /// `input_image` part, a Gemini file of an image type), which count as images.
    static func referencedInput(in value: JSONValue, inImage: Bool = false) -> (documents: Int, images: Int) {
        switch value {
        case .object(let members):
            let type = members["type"]?.stringValue
            let mediaType = (members["mimeType"] ?? members["mime_type"])?.stringValue?.lowercased() ?? ""
            let isImage =
                inImage || type == "image" || type == "image_url" || type == "input_image"
                || mediaType.hasPrefix("image/")
            var found = (documents: 0, images: 0)
            for (key, member) in members {
                switch (key, member) {
                case ("url", .string(let text)), ("image_url", .string(let text)), ("file_url", .string(let text)),
                    ("fileUri", .string(let text)), ("file_uri", .string(let text)):
                    if text.hasPrefix("https://") || text.hasPrefix("http://") {
                        if isImage && key != "file_url" { found.images += 1 } else { found.documents += 1 }
                    }
                case ("file_id", .string), ("previous_response_id", .string):
                    found.documents += 1
                default:
                    let inner = referencedInput(in: member, inImage: isImage)
                    found = (found.documents + inner.documents, found.images + inner.images)
                }
            }
            return found
        case .array(let elements):
            return elements.reduce((documents: 0, images: 0)) { sum, element in
                let inner = referencedInput(in: element, inImage: inImage)
                return (sum.documents + inner.documents, sum.images + inner.images)
            }
        default:
            return (0, 0)
        }
    }

    /// The images and audio `value` carries as base64 (a `data:` URL, or `data` beside a media
    /// type or format: Anthropic's base64 source but not its plain-text one, Gemini's inline data,
    /// OpenAI's input audio), and the length of their text.
    static func inlineMedia(in value: JSONValue) -> (count: Int, textLength: Int) {
        switch value {
        case .object(let members):
            var found = (count: 0, textLength: 0)
            // Anthropic's plain-text document source (`"type": "text"`) is text.
            let describesMedia =
                (members["media_type"] != nil || members["mimeType"] != nil || members["format"] != nil)
                && members["type"]?.stringValue != "text"
            for (key, member) in members {
                if case .string(let text) = member,
                    (describesMedia && key == "data") || (text.hasPrefix("data:") && text.contains(";base64,"))
                {
                    found.count += 1
                    found.textLength += text.utf8.count
                } else {
                    let inner = inlineMedia(in: member)
                    found.count += inner.count
                    found.textLength += inner.textLength
                }
            }
            return found
        case .array(let elements):
            return elements.reduce((count: 0, textLength: 0)) { sum, element in
                let inner = inlineMedia(in: element)
                return (sum.count + inner.count, sum.textLength + inner.textLength)
            }
        default:
            return (0, 0)
        }
    }

    /// The prefix of `mock-long-words-<n>`: a reply of `n` words of ``longWordWidth`` characters
    /// (at most 4,096), many megabytes in few events.
    static let longWords = "mock-long-words-"
    static let longWordWidth = 16 * 1024

    private static func toolCallID(family: APIFamily, name: String) -> String {
        switch family {
        case .anthropic: "toolu_mock_\(name)"
        case .openai: "call_mock_\(name)"
        case .gemini: "gemini_mock_\(name)"
        case .cohere: "cohere_mock_\(name)"
        }
    }

    /// The text of the last message and whether it carries a tool result.
    private static func lastTurn(
        family: APIFamily,
        request: [String: JSONValue]
    ) -> (text: String, endsWithToolResult: Bool) {
        let listKey = family == .gemini ? "contents" : "messages"
        guard let last = request[listKey]?.arrayValue?.last else { return ("", false) }
        switch family {
        case .anthropic:
            if let text = last["content"]?.stringValue { return (text, false) }
            let blocks = last["content"]?.arrayValue ?? []
            let isToolResult = blocks.contains { $0["type"]?.stringValue == "tool_result" }
            return (blocks.compactMap { $0["text"]?.stringValue }.joined(separator: " "), isToolResult)
        case .openai, .cohere:
            if last["role"]?.stringValue == "tool" { return (last["content"]?.stringValue ?? "", true) }
            if let text = last["content"]?.stringValue { return (text, false) }
            let parts = last["content"]?.arrayValue ?? []
            return (parts.compactMap { $0["text"]?.stringValue }.joined(separator: " "), false)
        case .gemini:
            let parts = last["parts"]?.arrayValue ?? []
            let isToolResult = parts.contains { $0["functionResponse"] != nil }
            return (parts.compactMap { $0["text"]?.stringValue }.joined(separator: " "), isToolResult)
        }
    }

    /// The first tool the request offers, with its parameter schema.
    private static func firstTool(
        family: APIFamily,
        request: [String: JSONValue]
    ) -> (name: String, schema: JSONValue?)? {
        if request["tool_choice"]?.stringValue == "none" { return nil }
        guard let first = request["tools"]?.arrayValue?.first else { return nil }
        switch family {
        case .anthropic:
            return first["name"]?.stringValue.map { ($0, first["input_schema"]) }
        case .openai, .cohere:
            return first["function"]?["name"]?.stringValue.map { ($0, first["function"]?["parameters"]) }
        case .gemini:
            guard let declaration = first["functionDeclarations"]?.arrayValue?.first else { return nil }
            return declaration["name"]?.stringValue.map { ($0, declaration["parameters"]) }
        }
    }

    /// Arguments that satisfy `schema`: each required property (or every property when none are
    /// required) gets a value of its type.
    private static func arguments(for schema: JSONValue?, suffix: String) -> JSONValue {
        guard let properties = schema?["properties"]?.objectValue else { return .object([:]) }
        let required = schema?["required"]?.arrayValue?.compactMap(\.stringValue) ?? Array(properties.keys)
        var arguments: [String: JSONValue] = [:]
        for name in required {
            switch (properties[name]?["type"]?.stringValue ?? "string").lowercased() {
            case "integer", "number": arguments[name] = .number(1)
            case "boolean": arguments[name] = .bool(true)
            case "array": arguments[name] = .array([])
            case "object": arguments[name] = .object([:])
            default: arguments[name] = .string("mock" + suffix)
            }
        }
        return .object(arguments)
    }
}
