import ByokyCore
import Testing

@testable import ByokyTranslate

/// A → IR → A preserves meaning: each family's reader and writer are inverse on what matters.
@Suite struct RoundTripTests {
    static func context(_ family: APIFamily) -> TranslationContext {
        Fixtures.context(from: family, to: family)
    }

    @Test(arguments: APIFamily.allCases)
    func requestRoundTrip(family: APIFamily) throws {
        let original = try family.adapter.readRequest(try Fixtures.json("\(family.rawValue)/request.json"))
        var report = TranslationReport()
        let written = try family.adapter.writeRequest(original, context: Self.context(family), report: &report)
        let reread = try family.adapter.readRequest(try JSONNode.parse(written.body))
        #expect(ConversationDigest(reread) == ConversationDigest(original))
        #expect(reread.maxTokens == original.maxTokens)
        #expect(reread.temperature == original.temperature)
        #expect(reread.stopSequences == original.stopSequences)
        #expect(reread.tools.map(\.name) == original.tools.map(\.name))
        #expect(reread.tools.map(\.description) == original.tools.map(\.description))
        #expect(reread.toolChoice == original.toolChoice)
        #expect(report.notes.isEmpty, "\(report.notes)")
    }

    @Test(arguments: APIFamily.allCases, ["text", "tool"])
    func responseRoundTrip(family: APIFamily, kind: String) throws {
        let context = Self.context(family)
        let original = try family.adapter.readResponse(
            try Fixtures.json("\(family.rawValue)/response-\(kind).json"),
            context: context
        )
        var report = TranslationReport()
        let written = family.adapter.writeResponse(original, context: context, report: &report)
        let reread = try family.adapter.readResponse(try JSONNode.parse(written), context: context)
        #expect(AnswerDigest(reread) == AnswerDigest(original))
    }

    @Test(arguments: APIFamily.allCases, ["text", "tool"])
    func streamRoundTrip(family: APIFamily, kind: String) throws {
        let context = Fixtures.context(from: family, to: family, streaming: true)
        let upstream = try Fixtures.bytes("\(family.rawValue)/stream-\(kind).sse")
        let output = StreamConformanceTests.translate([upstream], context: context)
        let original = try StreamAccumulator.read(upstream, family: family, context: context)
        let reread = try StreamAccumulator.read(output, family: family, context: context)
        #expect(AnswerDigest(reread.answer) == AnswerDigest(original.answer))
        #expect(reread.sawStop)
    }

    @Test func requestWithEveryFeatureRoundTripsThroughClaude() throws {
        // Thinking with signatures and redacted thinking survive Anthropic → IR → Anthropic.
        let body =
            #"{"model":"m","max_tokens":5000,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig=="},{"type":"redacted_thinking","data":"opaque"},{"type":"text","text":"Hello"}]},{"role":"user","content":"Again"}]}"#
        let request = try AnthropicAdapter.readRequest(try JSONNode.parse(body))
        var report = TranslationReport()
        let written = try JSONNode.parse(
            try AnthropicAdapter.writeRequest(request, context: Self.context(.anthropic), report: &report).body
        )
        let blocks = written["messages"]?.arrayValue?[1]["content"]?.arrayValue ?? []
        #expect(blocks.map { $0["type"]?.stringValue } == ["thinking", "redacted_thinking", "text"])
        #expect(blocks.first?["signature"]?.stringValue == "sig==")
        #expect(written["thinking"]?["budget_tokens"]?.intValue == 2048)
    }
}
