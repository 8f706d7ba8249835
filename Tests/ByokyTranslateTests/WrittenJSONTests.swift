import ByokyCore
import ByokyTesting
import Testing

@testable import ByokyTranslate

/// The writers that put answers and requests straight into bytes (member by member, commas placed
/// by the writer) write canonical compact JSON: it parses, writes back to the same bytes, and no
/// object names a member twice. Seeded answers with every kind of block and text, and mutated
/// requests from every family, through every family's writer.
@Suite struct WrittenJSONTests {
    /// Whether no object in `node` names a member twice.
    static func hasUniqueNames(_ node: JSONNode) -> Bool {
        switch node {
        case .object(let object):
            let names = object.members.map(\.key)
            return Set(names).count == names.count && object.members.allSatisfy { hasUniqueNames($0.value) }
        case .array(let elements): return elements.allSatisfy(hasUniqueNames)
        case .null, .bool, .number, .string: return true
        }
    }

    static func expectCanonical(_ bytes: [UInt8], _ label: String) {
        guard let node = try? JSONNode.parse(bytes) else {
            Issue.record("\(label): not JSON: \(String(decoding: bytes, as: UTF8.self))")
            return
        }
        #expect(node.jsonBytes == bytes, "\(label)")
        #expect(hasUniqueNames(node), "\(label)")
    }

    static func randomText(using generator: inout SeededGenerator) -> String {
        let pieces = ["word ", "\"", "\\", "\n", "\u{01}", "é", "😀", "\t", "</script>", ""]
        return (0..<Int.random(in: 0..<6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            .joined()
    }

    static func randomAnswer(using generator: inout SeededGenerator) -> ChatResponse {
        var answer = ChatResponse()
        for _ in 0..<Int.random(in: 0..<5, using: &generator) {
            let text = randomText(using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0, 1: answer.content.append(.text(text))
            case 2:
                let origin = [Thinking.Origin.anthropic, .toolPlan, .summary].randomElement(using: &generator)!
                answer.content.append(.thinking(Thinking(text: text, signature: "sig", origin: origin)))
            case 3: answer.content.append(.redactedThinking(data: text))
            case 4:
                let arguments: ToolArguments =
                    Bool.random(using: &generator)
                    ? .json(.object(JSONObject([("q", .string(text))]))) : .raw(text)
                answer.content.append(.toolUse(ToolUse(id: "call_\(text.count)", name: "tool", arguments: arguments)))
            case 5: answer.content.append(.toolUse(ToolUse(id: "toolu_1", name: "t", arguments: .json(.array([])))))
            default: answer.content.append(.text(""))
            }
        }
        if Bool.random(using: &generator) { answer.id = "id-" + randomText(using: &generator) }
        if Int.random(in: 0..<4, using: &generator) == 0 { answer.refusal = randomText(using: &generator) }
        if Bool.random(using: &generator) { answer.stopSequence = randomText(using: &generator) }
        answer.stopReason = StopReason.allCases.randomElement(using: &generator)!
        answer.usage = ChatUsage(
            inputTokens: Int.random(in: 0...1_000_000, using: &generator),
            outputTokens: Int.random(in: 0...1_000, using: &generator),
            cacheReadTokens: Int.random(in: 0...10, using: &generator),
            cacheWriteTokens: Int.random(in: 0...10, using: &generator),
            reasoningTokens: Int.random(in: 0...10, using: &generator)
        )
        return answer
    }

    @Test func answersAreWrittenAsCanonicalJSON() {
        var generator = SeededGenerator(seed: 61)
        for _ in 0..<400 {
            let answer = Self.randomAnswer(using: &generator)
            for family in APIFamily.allCases {
                var report = TranslationReport()
                let context = Fixtures.context(from: family, to: APIFamily.allCases.randomElement(using: &generator)!)
                let bytes = family.adapter.writeResponse(answer, context: context, report: &report)
                Self.expectCanonical(bytes, "\(family) answer")
            }
        }
    }

    @Test func requestsAreWrittenAsCanonicalJSON() throws {
        var generator = SeededGenerator(seed: 62)
        var written = 0
        for source in APIFamily.allCases {
            let seed = try Fixtures.bytes("\(source.rawValue)/request.json")
            for iteration in 0..<600 {
                let input = iteration == 0 ? seed : RandomInputTests.mutate(seed, using: &generator)
                for target in APIFamily.allCases where target != source {
                    let (provider, model) = Fixtures.target(target)
                    guard
                        let outbound = try? ChatTranslator.translateRequest(
                            input,
                            path: Fixtures.chatPath(source),
                            from: source,
                            to: provider,
                            model: model,
                            requestID: "r"
                        )
                    else { continue }
                    Self.expectCanonical(outbound.body, "\(source) request for \(target)")
                    written += 1
                }
            }
        }
        // Enough mutations still translate for the check to mean something.
        #expect(written > 300)
    }
}
