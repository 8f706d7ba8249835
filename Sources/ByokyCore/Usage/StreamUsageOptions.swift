/// Asks OpenAI-family upstreams to report usage at the end of a stream.
///
/// OpenAI, Azure OpenAI, Together and DeepSeek send no usage in a stream unless the request sets
/// `stream_options.include_usage`; without it the wallet could not meter the request.
public enum StreamUsageOptions {
    /// Providers that need the option.
    public static let providers: Set<ProviderID> = [.openai, .azureOpenAI, .together, .deepseek]

    /// The body with `stream_options.include_usage: true` added when `provider` needs it and the
    /// body is a streaming request without it; otherwise `nil` (send the body unchanged).
    public static func injected(into body: [UInt8], provider: ProviderID) -> [UInt8]? {
        guard providers.contains(provider), body.count <= 10_485_760,
            case .object(var object)? = JSONCoding.parse(body), object["stream"] == .bool(true)
        else { return nil }
        var options = object["stream_options"]?.objectValue ?? [:]
        if options["include_usage"] == .bool(true) { return nil }
        if object["stream_options"] == nil, let closing = body.lastIndex(of: UInt8(ascii: "}")) {
            // Insert the member in place, so every other byte (and number precision) is kept.
            var patched = Array(body[..<closing])
            patched.append(contentsOf: #","stream_options":{"include_usage":true}"#.utf8)
            patched.append(contentsOf: body[closing...])
            return patched
        }
        options["include_usage"] = .bool(true)
        object["stream_options"] = .object(options)
        return try? JSONCoding.encode(JSONValue.object(object))
    }
}
