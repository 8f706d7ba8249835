/// One event of a streamed answer in family-neutral form, modelled on Anthropic's stream: a start,
/// content blocks (each opened, filled by deltas, closed), a final delta with the stop reason and usage,
/// and a stop. Block indices are 0-based and contiguous.
public enum StreamEvent: Sendable, Hashable {
    case messageStart(id: String?, model: String?, usage: ChatUsage)
    case blockStart(index: Int, block: StreamBlock)
    case textDelta(index: Int, text: String)
    /// A fragment of a tool call's arguments JSON; the fragments concatenate to the whole.
    case toolArgumentsDelta(index: Int, json: String)
    case thinkingDelta(index: Int, text: String)
    /// The signature that closes a thinking block (Anthropic `signature_delta`).
    case thinkingSignature(index: Int, signature: String)
    case blockStop(index: Int)
    case messageDelta(stopReason: StopReason?, stopSequence: String?, usage: ChatUsage)
    case messageStop
    /// A refusal message (OpenAI `delta.refusal`).
    case refusalDelta(text: String)
    /// The provider reported an error mid-stream, or the stream broke.
    case error(ProviderErrorInfo)
}

/// What kind of block a ``StreamEvent/blockStart(index:block:)`` opens.
public enum StreamBlock: Sendable, Hashable {
    case text
    case toolUse(id: String, name: String, thoughtSignature: String?)
    case thinking(origin: Thinking.Origin)
    case redactedThinking(data: String)
}
