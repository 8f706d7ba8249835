public import ByokyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The chat endpoint of a request path, per family; every other endpoint is refused on a
/// translated route.
public struct ChatEndpoint: Sendable, Hashable {
    /// The model named in the path (Gemini), if any.
    public var model: String?
    /// Whether the path asks for a stream (Gemini `streamGenerateContent`).
    public var isStreaming: Bool

    /// Matches `path` (without the query) against `family`'s chat endpoint; `nil` for anything else.
    public static func match(path: String, family: APIFamily) -> ChatEndpoint? {
        switch family {
        case .anthropic:
            return pathOf(path, endsWith: "/v1/messages") ? ChatEndpoint(isStreaming: false) : nil
        case .openai:
            return pathOf(path, endsWith: "/chat/completions") ? ChatEndpoint(isStreaming: false) : nil
        case .cohere:
            return pathOf(path, endsWith: "/v2/chat") ? ChatEndpoint(isStreaming: false) : nil
        case .gemini:
            let end = path.utf8.firstIndex(of: UInt8(ascii: "?")) ?? path.utf8.endIndex
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

    /// Whether the path of `target` (up to its query) ends with `suffix`, compared by bytes in
    /// place (splitting off the query and comparing by characters cost about 5k instructions a
    /// translated request; stepping through the UTF-8 view, a thousand).
    private static func pathOf(_ target: String, endsWith suffix: StaticString) -> Bool {
        var target = target
        return target.withUTF8 { bytes in
            let end = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
            let count = suffix.utf8CodeUnitCount
            guard end >= count, let start = bytes.baseAddress else { return false }
            return memcmp(start + (end - count), suffix.utf8Start, count) == 0
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
