internal import ByokyCore

/// Translates an upstream event stream into the app's family, incrementally: feed bytes as they
/// arrive (split anywhere), send what comes back. Memory stays flat: at most one upstream event is
/// held, besides parallel tool calls that wait for the open block (``BlockSequencer``).
public struct StreamTranslator: Sendable {
    private var decoder: SSEDecoder
    private var reader: any StreamEventReader
    private var writer: any StreamEventWriter
    private var events: [StreamEvent] = []
    private var planRewriter: ToolPlanAsText.StreamRewriter?
    /// For app families whose grammar keeps one block open at a time.
    private var sequencer: BlockSequencer?
    private var sequenced: [StreamEvent] = []
    private var sawError = false

    init(context: TranslationContext, maximumEventSize: Int = 16 * 1024 * 1024) {
        decoder = SSEDecoder(maximumEventSize: maximumEventSize)
        reader = context.targetFamily.adapter.makeStreamReader(context: context)
        writer = context.sourceFamily.adapter.makeStreamWriter(context: context)
        // Only a Cohere upstream sends tool plans, and only a Cohere app wants them as plans.
        planRewriter =
            context.targetFamily == .cohere && context.sourceFamily != .cohere ? ToolPlanAsText.StreamRewriter() : nil
        // OpenAI interleaves parallel tool calls; Anthropic's and Cohere's streams write one block at a time.
        sequencer = [.anthropic, .cohere].contains(context.sourceFamily) ? BlockSequencer() : nil
    }

    /// Whether the upstream's final event has been seen.
    public var isComplete: Bool { reader.isComplete }

    /// After ``finish()``: whether the stream ended with its final event and no error.
    public private(set) var isCleanFinish = false

    /// What the translation left out so far.
    public var report: TranslationReport { writer.report }

    /// Translates `bytes` and returns the bytes to send to the app (possibly none).
    public mutating func translate(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 2 + 512)
        do {
            try decoder.feed(bytes) { event in
                reader.read(event, into: &events)
            }
        } catch {
            events.append(
                .error(
                    ProviderErrorInfo(
                        type: "api_error",
                        message: "An upstream stream event was too large to translate.",
                        status: 502
                    )
                )
            )
        }
        drain(into: &output)
        return output
    }

    /// Ends the stream: returns the closing bytes; an upstream that ended early yields an error event.
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        decoder.finish()
        reader.finish(into: &events)
        drain(into: &output)
        // A stream that ended early got an error event from the reader.
        isCleanFinish = !sawError
        return output
    }

    private mutating func drain(into output: inout [UInt8]) {
        for var event in events {
            if var rewriter = planRewriter {
                event = rewriter.rewrite(event)
                planRewriter = rewriter
            }
            if case .error = event { sawError = true }
            if var active = sequencer {
                active.sequence(event, into: &sequenced)
                sequencer = active
                for ready in sequenced { writer.write(ready, to: &output) }
                sequenced.removeAll(keepingCapacity: true)
            } else {
                writer.write(event, to: &output)
            }
        }
        events.removeAll(keepingCapacity: true)
    }
}
