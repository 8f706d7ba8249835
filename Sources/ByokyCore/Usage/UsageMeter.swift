/// Measures a response's token usage while its bytes stream past, without keeping the stream.
///
/// Feed every body chunk to ``consume(_:)`` and read ``finish()`` at the end. Server-sent event
/// streams are parsed event by event (only events that carry a usage object are decoded); a JSON
/// body is held up to ``maximumJSONBodySize`` and read at the end.
///
/// ```swift
/// var meter = UsageMeter(provider: .anthropic, contentType: response.contentType)
/// for try await chunk in body { meter.consume(chunk); try await writer.write(chunk) }
/// let usage = meter.finish()
/// ```
public struct UsageMeter: Sendable {
    /// The largest non-streaming JSON body kept for usage extraction.
    public let maximumJSONBodySize: Int

    private enum Mode: Sendable {
        case undecided
        case eventStream
        case json
        case gaveUp
    }

    private let provider: ProviderID
    private let family: APIFamily?
    private var mode: Mode
    private var decoder = SSEDecoder(maximumEventSize: 4 * 1024 * 1024)
    private var jsonBody: [UInt8] = []
    private var accumulated = Accumulated()
    private var sawFinalReport = false

    /// Whether the event stream's closing event has gone past (OpenAI-style `[DONE]`, Anthropic
    /// `message_stop`, Cohere `message-end`): no usage can follow it. Gemini streams have no such
    /// event; they end with the body.
    public private(set) var sawStreamEnd = false

    /// Creates a meter for a response of `provider`.
    ///
    /// - Parameters:
    ///   - contentType: The response's `content-type`; `text/event-stream` selects event parsing,
    ///     anything JSON selects the body reader, `nil` sniffs the first byte.
    ///   - maximumJSONBodySize: Bytes of a JSON body kept (default 32 MiB).
    public init(provider: ProviderID, contentType: String? = nil, maximumJSONBodySize: Int = 32 * 1024 * 1024) {
        self.provider = provider
        self.family = ProviderRegistry.provider(provider)?.family
        self.maximumJSONBodySize = maximumJSONBodySize
        if ContentType.isEventStream(contentType) {
            mode = .eventStream
        } else if ContentType.isJSON(contentType) {
            mode = .json
        } else {
            mode = .undecided
        }
    }

    /// `body` called with the JSON answer fed so far (`nil` for an event stream, or a body
    /// over the size kept): for what else the caller reads of it.
    public func withJSONBody<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard case .json = mode else { return nil }
        return jsonBody.withUnsafeBytes(body)
    }

    /// Feeds the next chunk of the body.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        if case .undecided = mode {
            guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return }
            mode = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .eventStream
        }
        switch mode {
        case .eventStream:
            // The decoder is moved out while it calls back into `observe`, which mutates `self`.
            var local = SSEDecoder(maximumEventSize: 0)
            swap(&local, &decoder)
            defer { swap(&local, &decoder) }
            do {
                try local.feed(bytes) { event in observe(event) }
            } catch {
                mode = .gaveUp
            }
        case .json:
            if jsonBody.count + bytes.count <= maximumJSONBodySize {
                jsonBody.append(contentsOf: bytes)
            } else {
                jsonBody = []
                mode = .gaveUp
            }
        case .undecided, .gaveUp:
            break
        }
    }

    /// Feeds the next chunk of the body.
    public mutating func consume(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { consume(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { consume($0) }
        }
    }

    /// The usage seen, or `nil` when the response reported none.
    ///
    /// For a stream cut short the result may be partial, with ``TokenUsage/isComplete`` `false`.
    public mutating func finish() -> TokenUsage? {
        switch mode {
        case .json:
            defer { jsonBody = [] }
            return UsageExtractor.usage(fromJSON: jsonBody, provider: provider)
        case .eventStream:
            decoder.finish()
            return accumulated.usage(isComplete: sawFinalReport)
        case .undecided, .gaveUp:
            return nil
        }
    }

    private mutating func observe(_ event: ServerSentEvent) {
        defer { if Self.isClosingEvent(event, family: family) { sawStreamEnd = true } }
        guard Self.mayCarryUsage(event.data),
            let report = (try? JSONNode.parse(event.data)).flatMap(UsageReport.init)
        else { return }
        switch family {
        case .anthropic:
            if let counts = report.message?.usage ?? report.usage {
                accumulated.mergeAnthropic(counts)
                if report.type == "message_delta", counts.output_tokens != nil { sawFinalReport = true }
            }
        case .gemini:
            if let counts = report.usageMetadata, let usage = UsageExtractor.geminiUsage(counts) {
                accumulated.replace(with: usage)
                sawFinalReport = true
            }
        default:
            if let usage = UsageExtractor.usage(from: report, provider: provider) {
                accumulated.replace(with: usage)
                sawFinalReport = true
            }
        }
    }

    /// Whether `event` is the last event a stream of `family` sends. The `event:` field names it;
    /// without one, the payload's leading `"type"` does.
    static func isClosingEvent(_ event: ServerSentEvent, family: APIFamily?) -> Bool {
        switch family {
        case .openai: event.isDoneMarker
        case .anthropic: event.type.map { $0 == "message_stop" } ?? event.data.starts(with: anthropicClosingPayload)
        case .cohere: event.type.map { $0 == "message-end" } ?? event.data.starts(with: cohereClosingPayload)
        case .gemini, nil: false
        }
    }

    private static let anthropicClosingPayload = Array(#"{"type":"message_stop""#.utf8)
    private static let cohereClosingPayload = Array(#"{"type":"message-end""#.utf8)

    /// A cheap byte scan: does the event name a usage object (`"usage":{`, `"usageMetadata":{`,
    /// `"usage_metadata":{`, `"x_groq":{`)? Events without one are not decoded.
    static func mayCarryUsage(_ data: [UInt8]) -> Bool {
        data.withUnsafeBytes { bytes in
            let count = bytes.count
            var index = 0
            while index < count {
                if bytes[index] == UInt8(ascii: "\""), index + 6 < count {
                    if matches(bytes, at: index + 1, "usage\"") || matches(bytes, at: index + 1, "usageMetadata\"")
                        || matches(bytes, at: index + 1, "usage_metadata\"")
                        || matches(bytes, at: index + 1, "x_groq\"")
                    {
                        var cursor = index + 1
                        while cursor < count, bytes[cursor] != UInt8(ascii: "\"") { cursor += 1 }
                        cursor += 1
                        while cursor < count, bytes[cursor] == 0x20 || bytes[cursor] == UInt8(ascii: ":") {
                            cursor += 1
                        }
                        if cursor < count, bytes[cursor] == UInt8(ascii: "{") { return true }
                    }
                }
                index += 1
            }
            return false
        }
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        let pointer = text.utf8Start
        for position in 0..<length where bytes[offset + position] != pointer[position] { return false }
        return true
    }

    /// Counts merged across the events of one stream; later reports override earlier ones.
    private struct Accumulated: Sendable {
        var input: Int?
        var output: Int?
        var cacheRead: Int?
        var cacheWrite: Int?
        var reasoning: Int?

        mutating func mergeAnthropic(_ counts: UsageReport.Counts) {
            if let value = tokenCount(counts.input_tokens) { input = value }
            if let value = tokenCount(counts.output_tokens) { output = value }
            if let value = tokenCount(counts.cache_read_input_tokens) { cacheRead = value }
            if let value = tokenCount(counts.cache_creation_input_tokens) { cacheWrite = value }
        }

        mutating func replace(with usage: TokenUsage) {
            input = usage.inputTokens - (usage.cacheWriteTokens ?? 0) - (usage.cacheReadTokens ?? 0)
            output = usage.outputTokens
            cacheRead = usage.cacheReadTokens
            cacheWrite = usage.cacheWriteTokens
            reasoning = usage.reasoningTokens
        }

        func usage(isComplete: Bool) -> TokenUsage? {
            guard input != nil || output != nil else { return nil }
            return TokenUsage(
                inputTokens: (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
                outputTokens: output ?? 0,
                cacheReadTokens: cacheRead,
                cacheWriteTokens: cacheWrite,
                reasoningTokens: reasoning,
                isComplete: isComplete && input != nil && output != nil
            )
        }
    }
}
