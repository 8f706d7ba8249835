import ByokyCore

@testable import ByokyTranslate

/// A long stream in one family's wire format: many text deltas (with multi-byte characters) and a
/// tool call whose arguments arrive in many fragments.
enum LongStream {
    static func events(count: Int) -> [StreamEvent] {
        var events: [StreamEvent] = [
            .messageStart(id: "long-1", model: "upstream-model", usage: ChatUsage(inputTokens: 100)),
            .blockStart(index: 0, block: .text),
        ]
        for index in 0..<count {
            events.append(.textDelta(index: 0, text: "Token \(index) — naïve café ☕️ 日本語 "))
        }
        events.append(.blockStop(index: 0))
        events.append(.blockStart(index: 1, block: .toolUse(id: "call_long", name: "record", thoughtSignature: nil)))
        events.append(.toolArgumentsDelta(index: 1, json: "{\"items\":["))
        for index in 0..<count / 4 {
            events.append(.toolArgumentsDelta(index: 1, json: (index > 0 ? "," : "") + "\"é\(index)\""))
        }
        events.append(.toolArgumentsDelta(index: 1, json: "]}"))
        events.append(.blockStop(index: 1))
        events.append(
            .messageDelta(
                stopReason: .toolUse,
                stopSequence: nil,
                usage: ChatUsage(inputTokens: 100, outputTokens: count)
            )
        )
        events.append(.messageStop)
        return events
    }

    static func make(family: APIFamily, events count: Int) throws -> [UInt8] {
        let context = TranslationContext(
            sourceFamily: family,
            targetFamily: family,
            targetProvider: Fixtures.target(family).0.id,
            sourceModel: "m",
            targetModel: "m",
            isStreaming: true,
            includeStreamUsage: true,
            requestID: "long",
            createdAt: 1
        )
        var writer = family.adapter.makeStreamWriter(context: context)
        var output: [UInt8] = []
        for event in events(count: count) { writer.write(event, to: &output) }
        return output
    }
}
