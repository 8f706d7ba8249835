import ByokyCore
import Testing

@testable import ByokyTranslate

/// Every ordered pair: the upstream's answer (text, and parallel tool calls) reaches the app in its
/// own format with the same text, calls, stop reason and usage, and the app's model name.
@Suite struct ResponseConformanceTests {
    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" }, ["text", "tool"])
    func answerKeepsItsMeaning(pair: String, kind: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target)
        let upstream = try Fixtures.bytes("\(target.rawValue)/response-\(kind).json")
        let translated = ChatTranslator(context: context).translateResponse(upstream, status: 200)
        #expect(translated.status == 200)
        let expected = try target.adapter.readResponse(try JSONNode.parse(upstream), context: context)
        let actual = try source.adapter.readResponse(try JSONNode.parse(translated.body), context: context)
        var expectedDigest = AnswerDigest(
            ChatResponse(content: ToolPlanAsText.apply(to: expected.content), from: expected)
        )
        if source == .cohere { expectedDigest = AnswerDigest(expected) }
        #expect(AnswerDigest(actual) == expectedDigest)
        #expect(actual.stopReason == (kind == "tool" ? .toolUse : .endTurn))
        let body = try JSONNode.parse(translated.body)
        switch source {
        case .anthropic, .openai: #expect(body["model"]?.stringValue == "app-model")
        case .gemini: #expect(body["modelVersion"]?.stringValue == "app-model")
        case .cohere: break
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func upstreamErrorsReachTheAppInItsFormat(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let context = Fixtures.context(from: source, to: target)
        let bodies: [APIFamily: String] = [
            .anthropic:
                #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}"#,
            .openai:
                #"{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
            .gemini:
                #"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
            .cohere: #"{"message":"You are using a Trial key, which is limited to 10 API calls / minute."}"#,
        ]
        let translated = ChatTranslator(context: context).translateResponse(Array(bodies[target]!.utf8), status: 429)
        #expect(translated.status == 429)
        let body = try JSONNode.parse(translated.body)
        switch source {
        case .anthropic:
            #expect(body["type"]?.stringValue == "error")
            #expect(body["error"]?["type"]?.stringValue == "rate_limit_error")
        case .openai:
            #expect(body["error"]?["type"]?.stringValue == "rate_limit_error")
        case .gemini:
            #expect(body["error"]?["status"]?.stringValue == "RESOURCE_EXHAUSTED")
            #expect(body["error"]?["code"]?.intValue == 429)
        case .cohere:
            #expect(body["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func unreadableAnswerIsA502InTheAppsFormat(pair: String) throws {
        let (source, target) = try RequestConformanceTests.families(pair)
        let translated = ChatTranslator(context: Fixtures.context(from: source, to: target)).translateResponse(
            Array("<html>gateway</html>".utf8),
            status: 200
        )
        #expect(translated.status == 502)
        #expect(try JSONNode.parse(translated.body).objectValue != nil)
    }
}

extension ChatResponse {
    init(content: [ContentBlock], from other: ChatResponse) {
        self = other
        self.content = content
    }
}
