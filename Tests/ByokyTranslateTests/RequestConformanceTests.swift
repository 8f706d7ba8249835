import ByokyCore
import Testing

@testable import ByokyTranslate

/// Every ordered pair: a full conversation (system, image, parallel tool calls, tool results,
/// sampling, stop sequences, tools) written in the app's family keeps its meaning in the target's.
@Suite struct RequestConformanceTests {
    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func conversationKeepsItsMeaning(pair: String) throws {
        let (source, target) = try Self.families(pair)
        let body = try Fixtures.bytes("\(source.rawValue)/request.json")
        let (provider, model) = Fixtures.target(target)
        let outbound = try ChatTranslator.translateRequest(
            body,
            path: Fixtures.chatPath(source),
            from: source,
            to: provider,
            model: model,
            requestID: "req1"
        )
        let original = try source.adapter.readRequest(try JSONNode.parse(body))
        let translated = try target.adapter.readRequest(try JSONNode.parse(outbound.body))

        #expect(ConversationDigest(translated) == ConversationDigest(Self.plansAsText(original)))
        #expect(translated.maxTokens == 1024)
        #expect(translated.temperature == 0.4)
        #expect(translated.stopSequences == ["END"])
        #expect(translated.tools.map(\.name) == ["get_weather"])
        #expect(translated.tools.first?.description == "Get the current weather in a given location")
        let properties = translated.tools.first?.parameters["properties"]?.objectValue?.members.map(\.key)
        #expect(properties == ["location", "unit"], "schema property order is kept")
        #expect(translated.tools.first?.parameters["required"] == .array([.string("location")]))
        if target != .cohere, source != .cohere { #expect(translated.toolChoice == .auto) }
        // The model comes from the route, in the body or (Gemini) in the path.
        if target == .gemini {
            #expect(outbound.path == "/v1beta/models/gemini-2.5-flash:generateContent")
        } else {
            #expect(try JSONNode.parse(outbound.body)["model"]?.stringValue == model)
        }
    }

    @Test(arguments: Fixtures.pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
    func toolCallIDsPairEveryResultWithItsCall(pair: String) throws {
        let (source, target) = try Self.families(pair)
        let body = try Fixtures.bytes("\(source.rawValue)/request.json")
        let (provider, model) = Fixtures.target(target)
        let outbound = try ChatTranslator.translateRequest(
            body,
            path: Fixtures.chatPath(source),
            from: source,
            to: provider,
            model: model,
            requestID: "req1"
        )
        let translated = try target.adapter.readRequest(try JSONNode.parse(outbound.body))
        var callIDs: [String] = []
        var resultIDs: [String] = []
        for message in translated.messages {
            for block in message.content {
                if case .toolUse(let call) = block { callIDs.append(call.id) }
                if case .toolResult(let result) = block { resultIDs.append(result.toolUseID) }
            }
        }
        #expect(callIDs.count == 2)
        #expect(Set(callIDs).count == 2, "two calls to one function keep distinct ids")
        #expect(resultIDs == callIDs)
    }

    @Test(arguments: APIFamily.allCases.filter { $0 != .openai })
    func mistralGetsNineCharacterIDs(source: APIFamily) throws {
        let body = try Fixtures.bytes("\(source.rawValue)/request.json")
        let outbound = try ChatTranslator.translateRequest(
            body,
            path: Fixtures.chatPath(source),
            from: source,
            to: ProviderRegistry.provider(.mistral)!,
            model: "mistral-large-latest",
            requestID: "req1"
        )
        let translated = try OpenAIAdapter.readRequest(try JSONNode.parse(outbound.body))
        let ids = translated.messages.flatMap(\.content).compactMap { block -> String? in
            if case .toolUse(let call) = block { return call.id }
            return nil
        }
        #expect(ids.count == 2)
        for id in ids {
            #expect(id.count == 9 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
    }

    static func families(_ pair: String) throws -> (APIFamily, APIFamily) {
        let names = pair.split(separator: ">").map(String.init)
        return (try #require(APIFamily(rawValue: names[0])), try #require(APIFamily(rawValue: names[1])))
    }

    static func plansAsText(_ request: ChatRequest) -> ChatRequest {
        var request = request
        ToolPlanAsText.apply(to: &request)
        return request
    }
}
