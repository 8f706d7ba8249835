/// Asks OpenAI-family upstreams to report usage at the end of a stream.
///
/// OpenAI, Azure OpenAI, Together and DeepSeek send no usage in a Chat Completions (or legacy
/// Completions) stream unless the request sets `stream_options.include_usage`; without it the
/// wallet could not meter the request. No other endpoint takes the option: OpenAI's Responses API
/// (`/v1/responses`) refuses it (`Unknown parameter: 'stream_options.include_usage'`) and reports
/// usage in its `response.completed` event unasked.
public enum StreamUsageOptions {
    /// Providers that need the option.
    public static let providers: Set<ProviderID> = [.openai, .azureOpenAI, .together, .deepseek]

    /// Whether the endpoint at `path` (without its query) takes the option: Chat Completions and
    /// Completions, whose paths end in `/completions` under whatever prefix the provider serves
    /// them (`/v1/chat/completions`, `/chat/completions`, `/beta/completions`,
    /// `/openai/deployments/{deployment}/chat/completions`).
    public static func takesOption(path: some StringProtocol) -> Bool {
        OpenAIEndpoint.isCompletions(path: path)
    }

    /// The body with `stream_options.include_usage: true` added when `provider` needs it, the
    /// endpoint at `path` takes it (``takesOption(path:)``) and the body is a streaming request
    /// without it; otherwise `nil` (send the body unchanged).
    ///
    /// Only `stream` and `stream_options` are read (``JSONTopLevelScanner``): on the request path
    /// a whole-body parse cost more than the rest of a passthrough request. A body the scanner
    /// cannot read alone (escaped member names, an existing `stream_options` without the flag) is
    /// parsed whole.
    public static func injected(into body: [UInt8], provider: ProviderID, path: some StringProtocol) -> [UInt8]? {
        body.withUnsafeBytes { injected(into: $0, provider: provider, path: path) }
    }

    /// The same, for a body read in place (a request buffer): nothing is copied unless it changes.
    public static func injected(
        into body: UnsafeRawBufferPointer,
        provider: ProviderID,
        path: some StringProtocol
    ) -> [UInt8]? {
        guard providers.contains(provider), body.count <= 10_485_760, takesOption(path: path) else { return nil }
        guard let spans = JSONTopLevelScanner.valueSpans(ofKeys: ["stream", "stream_options"], in: body) else {
            return parsedAndInjected(into: body)
        }
        guard let stream = spans["stream"], body[stream].elementsEqual("true".utf8) else { return nil }
        guard spans["stream_options"] == nil else { return parsedAndInjected(into: body) }
        return addingStreamOptions(to: body)
    }

    /// The same decision made on the parsed body.
    private static func parsedAndInjected(into body: UnsafeRawBufferPointer) -> [UInt8]? {
        guard case .object(var object)? = JSONCoding.parse(body), object["stream"] == .bool(true) else { return nil }
        var options = object["stream_options"]?.objectValue ?? [:]
        if options["include_usage"] == .bool(true) { return nil }
        if object["stream_options"] == nil { return addingStreamOptions(to: body) }
        options["include_usage"] = .bool(true)
        object["stream_options"] = .object(options)
        return try? JSONCoding.encode(JSONValue.object(object))
    }

    /// The object in `body` with the member inserted before its closing brace, so every other byte
    /// (and number precision) is kept.
    private static func addingStreamOptions(to body: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let closing = body.lastIndex(of: UInt8(ascii: "}")) else { return nil }
        var patched = Array(body[..<closing])
        patched.append(contentsOf: #","stream_options":{"include_usage":true}"#.utf8)
        patched.append(contentsOf: body[closing...])
        return patched
    }
}
