/// The four request/response dialects that Byoky can speak and translate between.
public enum APIFamily: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anthropic Messages (`/v1/messages`).
    case anthropic
    /// OpenAI Chat Completions (`/v1/chat/completions`), spoken by most providers.
    case openai
    /// Google Gemini `generateContent` / `streamGenerateContent`.
    case gemini
    /// Cohere v2 chat (`/v2/chat`).
    case cohere

    /// The family's chat path, for families whose path does not carry the model.
    ///
    /// Gemini puts the model in the path: see ``geminiChatPath(model:streaming:)``.
    public var defaultChatPath: String {
        switch self {
        case .anthropic: "/v1/messages"
        case .openai: "/v1/chat/completions"
        case .gemini: "/v1beta/models/{model}:generateContent"
        case .cohere: "/v2/chat"
        }
    }

    /// The Gemini chat path for `model`, streaming as server-sent events when `streaming`.
    public static func geminiChatPath(model: String, streaming: Bool) -> String {
        streaming
            ? geminiPath(model: model, method: "streamGenerateContent") + "?alt=sse"
            : geminiPath(model: model, method: "generateContent")
    }

    /// The path of a Gemini model's `method` (`/v1beta/models/{model}:{method}`).
    public static func geminiPath(model: String, method: String) -> String {
        "/v1beta/models/\(percentEncodePathSegment(model)):\(method)"
    }

    /// The API's name as people know it, for messages: "Route the app to a provider that speaks
    /// the OpenAI API".
    public var displayName: String {
        switch self {
        case .anthropic: "Anthropic"
        case .openai: "OpenAI"
        case .gemini: "Gemini"
        case .cohere: "Cohere"
        }
    }

    /// The order used to break ties when the wallet picks a translation target automatically.
    public var autoRoutePreference: Int {
        switch self {
        case .anthropic: 0
        case .openai: 1
        case .gemini: 2
        case .cohere: 3
        }
    }

    /// Percent-encodes everything outside the RFC 3986 unreserved set.
    package static func percentEncodePathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out.append("%")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
