import ByokyCore
import ByokyTesting
import Testing

@testable import ByokyTranslate

/// Parallel tool calls from an OpenAI-family stream, interleaved by `index` or one after another,
/// reach Anthropic and Cohere apps one block at a time, in order, with ids and arguments intact,
/// wherever the upstream stream is cut (see ``splits(of:everyByte:)``).
@Suite struct ParallelToolCallStreamTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let app: APIFamily
        let calls: Int
        let interleaved: Bool
        let leadingText: Bool
        /// Four interleaved calls after text: the case cut at every byte.
        var isRichest: Bool { calls == 4 && interleaved && leadingText }
        var testDescription: String {
            "\(app.rawValue) app, \(calls) call(s), \(interleaved ? "interleaved" : "sequential")\(leadingText ? ", after text" : "")"
        }
    }

    static let cases: [Case] = [APIFamily.anthropic, .cohere].flatMap { app in
        (1...4).flatMap { calls in
            [false, true].flatMap { interleaved in
                [false, true].map { Case(app: app, calls: calls, interleaved: interleaved, leadingText: $0) }
            }
        }
    }

    /// How the upstream stream is cut: in two at every event boundary, one event per read, and
    /// 9-byte-or-less random pieces; with `everyByte`, in two at every byte too. (Past the SSE
    /// decoder a cut inside an event changes nothing, and SSE decoding is tested at every byte on
    /// its own, so every byte is tried for the richest case of each family only.)
    static func splits(of upstream: [UInt8], everyByte: Bool) -> [[[UInt8]]] {
        var boundaries: [Int] = []
        for index in upstream.indices.dropFirst()
        where upstream[index - 1] == 10 && index >= 2 && upstream[index - 2] == 10 {
            boundaries.append(index)
        }
        var splits = boundaries.map { [Array(upstream[..<$0]), Array(upstream[$0...])] }
        splits.append(zip([0] + boundaries, boundaries + [upstream.count]).map { Array(upstream[$0..<$1]) })
        splits.append(ChunkSplits.random(upstream, seed: 7, maximumSize: 9))
        return everyByte ? ChunkSplits.everySplitPoint(upstream) + splits : splits
    }

    /// The calls the upstream makes: `get_weather` with `{"city":"C<n>","days":<n>}`.
    static func expectedArguments(_ number: Int) -> String { #"{"city":"C\#(number)","days":\#(number)}"# }

    /// An OpenAI chat completion stream with `calls` tool calls.
    static func upstream(calls: Int, interleaved: Bool, leadingText: Bool) -> [UInt8] {
        func chunk(_ delta: String, finish: String? = nil) -> String {
            let reason = finish.map { "\"\($0)\"" } ?? "null"
            return
                #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(reason)}]}"#
                + "\n\n"
        }
        var text = chunk(#"{"role":"assistant","content":""}"#)
        if leadingText { text += chunk(#"{"content":"Checking."}"#) }
        var perCall: [[String]] = (0..<calls).map { number in
            let arguments = expectedArguments(number)
            let middle = arguments.index(arguments.startIndex, offsetBy: arguments.count / 2)
            return [
                #"{"tool_calls":[{"index":\#(number),"id":"call_\#(number)","type":"function","function":{"name":"get_weather","arguments":""}}]}"#,
                #"{"tool_calls":[{"index":\#(number),"function":{"arguments":\#(JSONNode.string(String(arguments[..<middle])).jsonString)}}]}"#,
                #"{"tool_calls":[{"index":\#(number),"function":{"arguments":\#(JSONNode.string(String(arguments[middle...])).jsonString)}}]}"#,
            ]
        }
        if interleaved {
            while perCall.contains(where: { !$0.isEmpty }) {
                for index in perCall.indices where !perCall[index].isEmpty {
                    text += chunk(perCall[index].removeFirst())
                }
            }
        } else {
            for deltas in perCall { for delta in deltas { text += chunk(delta) } }
        }
        text += chunk("{}", finish: "tool_calls")
        text +=
            #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}"#
            + "\n\ndata: [DONE]\n\n"
        return Array(text.utf8)
    }

    @Test(arguments: cases)
    func callsArriveOneBlockAtATimeAtEverySplitPoint(item: Case) async throws {
        let upstream = Self.upstream(calls: item.calls, interleaved: item.interleaved, leadingText: item.leadingText)
        let context = Fixtures.context(from: item.app, to: .openai, streaming: true)
        let expected = (0..<item.calls).map { Self.expectedArguments($0) }
        @Sendable func translated(_ chunks: [[UInt8]]) -> [UInt8] {
            var translator = ChatTranslator(context: context).makeStreamTranslator()
            var output: [UInt8] = []
            for chunk in chunks { output += translator.translate(chunk) }
            return output + translator.finish()
        }
        /// What is wrong with one translated stream (nothing, when all is well).
        @Sendable func problems(_ output: [UInt8]) throws -> [String] {
            let grammar = try item.app == .anthropic ? StreamGrammar.anthropic(output) : StreamGrammar.cohere(output)
            var found = grammar.violations.prefix(3).map { "grammar: \($0)" }
            if grammar.calls.map(\.arguments) != expected { found.append("arguments: \(grammar.calls)") }
            if grammar.calls.map(\.name) != Array(repeating: "get_weather", count: item.calls) {
                found.append("names: \(grammar.calls)")
            }
            // Ids keep their order and stay distinct (each family writes its own id form).
            if Set(grammar.calls.map(\.id)).count != item.calls
                || !grammar.calls.enumerated().allSatisfy({ $0.element.id.contains("call_\($0.offset)") })
            {
                found.append("ids: \(grammar.calls)")
            }
            return found
        }
        // Up to thousands of translations: on a thread of their own, so the cooperative pool that
        // the other (async) tests run on is not held for the whole loop.
        let found = try await OffPool.run {
            let whole = translated([upstream])
            let wholeProblems = try problems(whole)
            guard wholeProblems.isEmpty else { return wholeProblems }
            // A cut changes nothing a reader sees when the output is the same bytes; any cut
            // that does change them is judged by the grammar in full.
            for chunks in Self.splits(of: upstream, everyByte: item.isRichest) {
                let output = translated(chunks)
                guard output != whole else { continue }
                let cutProblems = try problems(output)
                if !cutProblems.isEmpty { return ["cut into \(chunks.map(\.count)) bytes"] + cutProblems }
            }
            return []
        }
        #expect(found.isEmpty, "\(found)")
    }

    @Test func sequentialBlocksPassWithoutDelay() {
        var sequencer = BlockSequencer()
        var out: [StreamEvent] = []
        sequencer.sequence(.blockStart(index: 0, block: .text), into: &out)
        sequencer.sequence(.textDelta(index: 0, text: "a"), into: &out)
        #expect(out.count == 2)
        sequencer.sequence(
            .blockStart(index: 1, block: .toolUse(id: "x", name: "f", thoughtSignature: nil)),
            into: &out
        )
        #expect(out.count == 2, "a second block waits while the first is open")
        sequencer.sequence(.blockStop(index: 0), into: &out)
        #expect(out.count == 4)
        sequencer.sequence(.toolArgumentsDelta(index: 1, json: "{}"), into: &out)
        #expect(out.count == 5, "the released block now streams straight through")
    }
}
