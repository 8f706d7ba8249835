import ByokyCore
import ByokyTesting
import Testing

@testable import ByokyTranslate

/// Every ordered pair: the upstream's stream, translated event by event, accumulates in the app's
/// family to the same answer, however the bytes are split; a cut stream ends with an error.
@Suite struct StreamConformanceTests {
    static func translate(_ chunks: [[UInt8]], context: TranslationContext) -> [UInt8] {
        var translator = ChatTranslator(context: context).makeStreamTranslator()
        var output: [UInt8] = []
        for chunk in chunks { output += translator.translate(chunk) }
        return output + translator.finish()
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" }, ["text", "tool"])
    func streamKeepsItsMeaning(pair: String, kind: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target, streaming: true)
        let upstream = try Fixtures.bytes("\(target.rawValue)/stream-\(kind).sse")
        let output = Self.translate([upstream], context: context)
        let expected = try StreamAccumulator.read(upstream, family: target, context: context)
        let actual = try StreamAccumulator.read(output, family: source, context: context)
        #expect(actual.errors.isEmpty)
        #expect(actual.sawStop)
        var expectedAnswer = expected.answer
        if source != .cohere { expectedAnswer.content = ToolPlanAsText.apply(to: expectedAnswer.content) }
        #expect(AnswerDigest(actual.answer) == AnswerDigest(expectedAnswer))
        #expect(actual.answer.stopReason == (kind == "tool" ? .toolUse : .endTurn))
        if kind == "tool" {
            let ids = actual.answer.content.compactMap { block -> String? in
                if case .toolUse(let call) = block { return call.id }
                return nil
            }
            #expect(Set(ids).count == 2, "parallel calls keep distinct ids")
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func everySplitPointGivesTheSameOutput(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target, streaming: true)
        let upstream = try Fixtures.bytes("\(target.rawValue)/stream-tool.sse")
        let whole = Self.translate([upstream], context: context)
        for split in ChunkSplits.everySplitPoint(upstream) {
            #expect(Self.translate(split, context: context) == whole)
        }
        for size in [1, 2, 3, 7] {
            #expect(Self.translate(ChunkSplits.fixedSize(upstream, size: size), context: context) == whole)
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func randomSplitsOfALongStreamGiveTheSameOutput(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target, streaming: true)
        let upstream = try LongStream.make(family: target, events: 400)
        let whole = Self.translate([upstream], context: context)
        #expect(whole.count > upstream.count / 4)
        for seed in 1...4 {
            #expect(
                Self.translate(ChunkSplits.random(upstream, seed: UInt64(seed), maximumSize: 97), context: context)
                    == whole
            )
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func truncatedStreamEndsWithAnErrorNotAFinish(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target, streaming: true)
        let upstream = try Fixtures.bytes("\(target.rawValue)/stream-text.sse")
        // Cut inside the event that carries the second half of the text (before any finish).
        let marker = Array("Paris".utf8)
        let offset = try #require(
            (0..<upstream.count).first { Array(upstream[$0..<min($0 + marker.count, upstream.count)]) == marker }
        )
        let cut = Array(upstream.prefix(offset))
        let output = Self.translate([cut], context: context)
        let accumulated = try StreamAccumulator.read(output, family: source, context: context)
        #expect(accumulated.errors.count == 1)
        #expect(!accumulated.sawStop)
        #expect(!String(decoding: output, as: UTF8.self).contains("[DONE]") || source != .openai)
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func appModelIsEchoedInStreams(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target, streaming: true)
        let output = String(
            decoding: Self.translate([try Fixtures.bytes("\(target.rawValue)/stream-text.sse")], context: context),
            as: UTF8.self
        )
        if source != .cohere {
            #expect(output.contains("\"app-model\""))
            #expect(!output.contains(Fixtures.target(target).1))
        }
    }
}
