/// Cohere's `tool_plan` is the text a model says before calling tools. Every other family shows
/// that as ordinary assistant text, so outside Cohere it travels as text rather than as reasoning.
enum ToolPlanAsText {
    /// The blocks with each tool plan made text (the same array, not a copy, when there is none).
    static func apply(to blocks: [ContentBlock]) -> [ContentBlock] {
        guard blocks.contains(where: isToolPlan) else { return blocks }
        return blocks.map { block in
            if case .thinking(let thinking) = block, thinking.origin == .toolPlan { return .text(thinking.text) }
            return block
        }
    }

    static func apply(to request: inout ChatRequest) {
        for index in request.messages.indices where request.messages[index].content.contains(where: isToolPlan) {
            request.messages[index].content = apply(to: request.messages[index].content)
        }
    }

    private static func isToolPlan(_ block: ContentBlock) -> Bool {
        if case .thinking(let thinking) = block { thinking.origin == .toolPlan } else { false }
    }

    /// Rewrites stream events, remembering which blocks were tool plans.
    struct StreamRewriter: Sendable {
        private var planBlocks: Set<Int> = []

        mutating func rewrite(_ event: StreamEvent) -> StreamEvent {
            switch event {
            case .blockStart(let index, .thinking(.toolPlan)):
                planBlocks.insert(index)
                return .blockStart(index: index, block: .text)
            case .thinkingDelta(let index, let text) where planBlocks.contains(index):
                return .textDelta(index: index, text: text)
            default:
                return event
            }
        }
    }
}
