import ByokyCore
import Testing

@testable import ByokyTranslate

/// Gemini's proto3 JSON accepts snake_case field names as well as camelCase: every Gemini fixture
/// with every key renamed to snake_case reads as the same IR (requests, answers, streams, errors).
@Suite struct GeminiFieldNameTests {
    /// `maxOutputTokens` → `max_output_tokens`, for every key at every depth.
    static func snakeCased(_ node: JSONNode) -> JSONNode {
        switch node {
        case .object(let object):
            .object(JSONObject(object.map { (snakeCase($0.key), snakeCased($0.value)) }))
        case .array(let elements):
            .array(elements.map(snakeCased))
        default:
            node
        }
    }

    static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { result, character in
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }

    /// The same SSE stream with each event's JSON snake-cased.
    static func snakeCasedStream(_ bytes: [UInt8]) throws -> [UInt8] {
        var decoder = SSEDecoder()
        var output: [UInt8] = []
        for event in try decoder.feed(bytes) {
            let renamed = snakeCased(try JSONNode.parse(event.data))
            output += Array("data: \(renamed.jsonString)\n\n".utf8)
        }
        return output
    }

    @Test func theFixturesReallyChange() throws {
        let renamed = Self.snakeCased(try Fixtures.json("gemini/request.json")).jsonString
        #expect(renamed.contains("generation_config") && renamed.contains("max_output_tokens"))
        #expect(renamed.contains("function_declarations") && !renamed.contains("generationConfig"))
    }

    @Test func aSnakeCaseRequestReadsAsTheSameRequest() throws {
        let original = try Fixtures.json("gemini/request.json")
        let camel = try GeminiAdapter.readRequest(original)
        let snake = try GeminiAdapter.readRequest(Self.snakeCased(original))
        #expect(snake == camel)
        #expect(snake.maxTokens == 1024)
        #expect(!snake.tools.isEmpty)
    }

    @Test(arguments: ["gemini/response-text.json", "gemini/response-tool.json"])
    func aSnakeCaseAnswerReadsAsTheSameAnswer(fixture: String) throws {
        let context = Fixtures.context(from: .openai, to: .gemini)
        let original = try Fixtures.json(fixture)
        let camel = try GeminiAdapter.readResponse(original, context: context)
        let snake = try GeminiAdapter.readResponse(Self.snakeCased(original), context: context)
        #expect(snake == camel)
        #expect(snake.usage.inputTokens > 0)
    }

    @Test(arguments: ["gemini/stream-text.sse", "gemini/stream-tool.sse"])
    func aSnakeCaseStreamReadsAsTheSameStream(fixture: String) throws {
        let context = Fixtures.context(from: .openai, to: .gemini)
        let bytes = try Fixtures.bytes(fixture)
        let camel = try StreamAccumulator.read(bytes, family: .gemini, context: context)
        let snake = try StreamAccumulator.read(try Self.snakeCasedStream(bytes), family: .gemini, context: context)
        #expect(snake.answer == camel.answer)
        #expect(snake.answer.usage.outputTokens > 0)
    }

    @Test func errorsAndDataKeysAreReadAsMeant() throws {
        let error = try JSONNode.parse(#"{"error":{"code":429,"message":"Slow down","status":"RESOURCE_EXHAUSTED"}}"#)
        #expect(
            GeminiAdapter.readError(Self.snakeCased(error), status: 500) == GeminiAdapter.readError(error, status: 500)
        )
        // Field names change; the app's own names (arguments, schema properties) do not.
        let mixed = try JSONNode.parse(
            #"{"contents":[{"role":"model","parts":[{"function_call":{"name":"f","args":{"user_id":1,"fullName":"x"}}}]}],"tools":[{"function_declarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"user_id":{"type":"INTEGER","max_items":2}},"property_ordering":["user_id"]}}]}],"generation_config":{"maxOutputTokens":7,"stop_sequences":["E"]}}"#
        )
        let request = try GeminiAdapter.readRequest(mixed)
        #expect(request.maxTokens == 7)
        #expect(request.stopSequences == ["E"])
        guard case .toolUse(let call)? = request.messages.first?.content.first else {
            Issue.record("no tool call read")
            return
        }
        #expect(call.arguments == .json(try JSONNode.parse(#"{"user_id":1,"fullName":"x"}"#)))
        let properties = request.tools.first?.parameters["properties"]?.objectValue?.members.map(\.key)
        #expect(properties == ["user_id"])
    }

    @Test func camelCaseOfProtoNames() {
        #expect(GeminiFieldNames.camelCase("max_output_tokens") == "maxOutputTokens")
        #expect(GeminiFieldNames.camelCase("text") == "text")
        #expect(GeminiFieldNames.camelCase("_private") == "_private")
        #expect(GeminiFieldNames.camelCase("alreadyCamel") == "alreadyCamel")
    }
}
