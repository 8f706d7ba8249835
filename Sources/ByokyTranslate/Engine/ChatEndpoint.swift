public import ByokyCore

/// The chat endpoint of a request path, per family; every other endpoint is refused on a
/// translated route.
public struct ChatEndpoint: Sendable, Hashable {
    /// The model named in the path (Gemini), if any.
    public var model: String?
    /// Whether the path asks for a stream (Gemini `streamGenerateContent`).
    public var isStreaming: Bool

    /// Matches `path` (without the query) against `family`'s chat endpoint; `nil` for anything else.
    public static func match(path: String, family: APIFamily) -> ChatEndpoint? {
        // By bytes: splitting off the query and comparing suffixes by characters cost about 5k
        // instructions a translated request.
        let end = path.utf8.firstIndex(of: UInt8(ascii: "?")) ?? path.utf8.endIndex
        let bytes = path.utf8[..<end]
        switch family {
        case .anthropic:
            return bytes.hasSuffix("/v1/messages") ? ChatEndpoint(isStreaming: false) : nil
        case .openai:
            return bytes.hasSuffix("/chat/completions") ? ChatEndpoint(isStreaming: false) : nil
        case .cohere:
            return bytes.hasSuffix("/v2/chat") ? ChatEndpoint(isStreaming: false) : nil
        case .gemini:
            let path = String(path[..<end])
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            guard let position = segments.lastIndex(of: "models"), position + 1 < segments.count,
                position + 2 == segments.count
            else { return nil }
            let rest = segments[position + 1]
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            let model = String(rest[..<colon]).removingPercentEncoding
            switch rest[rest.index(after: colon)...] {
            case "generateContent": return ChatEndpoint(model: model, isStreaming: false)
            case "streamGenerateContent": return ChatEndpoint(model: model, isStreaming: true)
            default: return nil
            }
        }
    }

    /// The path (and query) of `provider`'s chat endpoint for `model`.
    public static func targetPath(provider: Provider, model: String, isStreaming: Bool) -> String {
        switch provider.family {
        case .gemini?: APIFamily.geminiChatPath(model: model, streaming: isStreaming)
        default: provider.chatPath ?? "/v1/chat/completions"
        }
    }
}

extension Substring.UTF8View {
    /// Whether these bytes end with `suffix`'s.
    fileprivate func hasSuffix(_ suffix: StaticString) -> Bool {
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        return count >= tail.count && self[index(endIndex, offsetBy: -tail.count)...].elementsEqual(tail)
    }
}

extension String {
    /// Decodes `%XX` escapes; `nil` for a malformed escape.
    fileprivate var removingPercentEncoding: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
