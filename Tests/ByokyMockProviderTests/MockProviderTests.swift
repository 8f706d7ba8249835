import AsyncHTTPClient
import ByokyCore
import ByokyMockProvider
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The mock provider over real loopback HTTP.
@Suite(.timeLimit(.minutes(3)))
struct MockProviderTests {
    struct Exchange: Sendable {
        let status: Int
        let contentType: String
        let body: [UInt8]
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
        }
    }

    static func send(
        _ port: Int,
        _ path: String,
        body: String,
        headers: [(String, String)] = []
    ) async throws -> Exchange {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Exchange(
            status: Int(response.status.code),
            contentType: response.headers.first(name: "content-type") ?? "",
            body: Array(collected.readableBytesView)
        )
    }

    static func events(_ exchange: Exchange) throws -> [ServerSentEvent] {
        var decoder = SSEDecoder()
        let events = try decoder.feed(exchange.body)
        let truncated = decoder.finish()
        #expect(!truncated)
        return events
    }

    static func object(_ event: ServerSentEvent) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any]) ?? [:]
    }

    struct Route: Sendable, CustomTestStringConvertible {
        let family: APIFamily
        let path: String
        let streamPath: String
        let body: String
        var testDescription: String { family.rawValue }
    }

    static let routes: [Route] = [
        Route(
            family: .anthropic,
            path: "/v1/messages",
            streamPath: "/v1/messages",
            body:
                #"{"model":"claude-sonnet-4-6","max_tokens":100,"messages":[{"role":"user","content":"Hello there wallet"}]}"#
        ),
        Route(
            family: .openai,
            path: "/v1/chat/completions",
            streamPath: "/v1/chat/completions",
            body:
                #"{"model":"gpt-5.5","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"Hello there wallet"}]}]}"#
        ),
        Route(
            family: .gemini,
            path: "/v1beta/models/gemini-2.5-pro:generateContent",
            streamPath: "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            body: #"{"contents":[{"role":"user","parts":[{"text":"Hello there wallet"}]}]}"#
        ),
        Route(
            family: .cohere,
            path: "/v2/chat",
            streamPath: "/v2/chat",
            body: #"{"model":"command-a-03-2025","messages":[{"role":"user","content":"Hello there wallet"}]}"#
        ),
    ]

    /// The route's body asking for a stream (OpenAI reports stream usage only when asked).
    static func streamingBody(_ route: Route) -> String {
        switch route.family {
        case .gemini: route.body
        case .openai: String(route.body.dropLast()) + #","stream":true,"stream_options":{"include_usage":true}}"#
        case .anthropic, .cohere: String(route.body.dropLast()) + #","stream":true}"#
        }
    }

    static func provider(for family: APIFamily) -> ProviderID {
        switch family {
        case .anthropic: .anthropic
        case .openai: .openai
        case .gemini: .gemini
        case .cohere: .cohere
        }
    }

    static func text(of exchange: Exchange, family: APIFamily) -> String? {
        let json = exchange.json
        switch family {
        case .anthropic:
            return ((json["content"] as? [[String: Any]])?.first)?["text"] as? String
        case .openai:
            let choice = (json["choices"] as? [[String: Any]])?.first
            return (choice?["message"] as? [String: Any])?["content"] as? String
        case .gemini:
            let candidate = (json["candidates"] as? [[String: Any]])?.first
            let parts = (candidate?["content"] as? [String: Any])?["parts"] as? [[String: Any]]
            return parts?.first?["text"] as? String
        case .cohere:
            let content = (json["message"] as? [String: Any])?["content"] as? [[String: Any]]
            return content?.first?["text"] as? String
        }
    }

    /// The text carried by one stream event of `family`.
    static func delta(_ event: ServerSentEvent, family: APIFamily) -> String {
        let json = object(event)
        switch family {
        case .anthropic:
            return (json["delta"] as? [String: Any])?["text"] as? String ?? ""
        case .openai:
            let choice = (json["choices"] as? [[String: Any]])?.first
            return (choice?["delta"] as? [String: Any])?["content"] as? String ?? ""
        case .gemini:
            let candidate = (json["candidates"] as? [[String: Any]])?.first
            let parts = (candidate?["content"] as? [String: Any])?["parts"] as? [[String: Any]]
            return parts?.first?["text"] as? String ?? ""
        case .cohere:
            let message = (json["delta"] as? [String: Any])?["message"] as? [String: Any]
            return (message?["content"] as? [String: Any])?["text"] as? String ?? ""
        }
    }

    @Test(arguments: routes)
    func answersPlainAndStreamingRequestsWithTheSameTextAndUsage(route: Route) async throws {
        try await MockProvider.withRunningServer { port in
            let plain = try await Self.send(port, route.path, body: route.body)
            #expect(plain.status == 200)
            #expect(plain.contentType == "application/json")
            let text = try #require(Self.text(of: plain, family: route.family))
            #expect(text.hasPrefix("Mock reply to: Hello there wallet"))
            #expect(text.split(separator: " ").count == 12)
            let usage = try #require(
                UsageExtractor.usage(fromJSON: plain.body, provider: Self.provider(for: route.family))
            )
            #expect(usage.outputTokens == 12)
            #expect(usage.inputTokens > 0)

            let streamed = try await Self.send(port, route.streamPath, body: Self.streamingBody(route))
            #expect(streamed.status == 200)
            #expect(streamed.contentType == "text/event-stream")
            let events = try Self.events(streamed)
            #expect(events.map { Self.delta($0, family: route.family) }.joined() == text)
            var meter = UsageMeter(provider: Self.provider(for: route.family), contentType: streamed.contentType)
            meter.consume(streamed.body)
            let measured = meter.finish()
            let streamedUsage = try #require(measured)
            #expect(streamedUsage.outputTokens == usage.outputTokens)
            #expect(streamedUsage.inputTokens == max(1, Self.streamingBody(route).utf8.count / 4))
        }
    }

    @Test func anthropicStreamHasTheDocumentedEventSequence() async throws {
        try await MockProvider.withRunningServer { port in
            let route = Self.routes[0]
            let events = try Self.events(try await Self.send(port, route.path, body: Self.streamingBody(route)))
            let types = events.map { $0.type ?? "" }
            #expect(Array(types.prefix(3)) == ["message_start", "content_block_start", "ping"])
            #expect(Array(types.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            #expect(types.dropFirst(3).dropLast(3).allSatisfy { $0 == "content_block_delta" })
            #expect(events.allSatisfy { Self.object($0)["type"] as? String == $0.type })
        }
    }

    @Test func openAIStreamEndsWithUsageThenDoneWhenAsked() async throws {
        try await MockProvider.withRunningServer { port in
            let body =
                #"{"model":"gpt-5.5","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#
            let events = try Self.events(try await Self.send(port, "/v1/chat/completions", body: body))
            #expect(events.last?.isDoneMarker == true)
            let usageChunk = Self.object(events[events.count - 2])
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            #expect((usageChunk["usage"] as? [String: Any])?["completion_tokens"] as? Int == 12)
            #expect(events.dropLast(2).allSatisfy { Self.object($0).keys.contains("usage") })
            let plain = try Self.events(
                try await Self.send(port, "/v1/chat/completions", body: #"{"model":"m","stream":true,"messages":[]}"#)
            )
            #expect(plain.dropLast().allSatisfy { !Self.object($0).keys.contains("usage") })
        }
    }

    @Test func geminiStreamsUseCRLFAndAnArrayWithoutAltSSE() async throws {
        try await MockProvider.withRunningServer { port in
            let route = Self.routes[2]
            let sse = try await Self.send(port, route.streamPath, body: route.body)
            #expect(String(decoding: sse.body, as: UTF8.self).contains("\r\n\r\n"))
            let array = try await Self.send(
                port,
                "/v1beta/models/gemini-2.5-pro:streamGenerateContent",
                body: route.body
            )
            #expect(array.contentType == "application/json")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(array.body)) as? [[String: Any]])
            #expect(items.count == 12)
            #expect(UsageExtractor.usage(fromJSON: array.body, provider: .gemini)?.outputTokens == 12)
        }
    }

    struct ToolCase: Sendable, CustomTestStringConvertible {
        let family: APIFamily
        let path: String
        let body: String
        var testDescription: String { family.rawValue }
    }

    static let toolCases: [ToolCase] = [
        ToolCase(
            family: .anthropic,
            path: "/v1/messages",
            body:
                #"{"model":"claude-sonnet-4-6","max_tokens":100,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}],"messages":[{"role":"user","content":"weather?"}]}"#
        ),
        ToolCase(
            family: .openai,
            path: "/v1/chat/completions",
            body:
                #"{"model":"gpt-5.5","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}}],"messages":[{"role":"user","content":"weather?"}]}"#
        ),
        ToolCase(
            family: .gemini,
            path: "/v1beta/models/gemini-2.5-pro:generateContent",
            body:
                #"{"tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"},"days":{"type":"INTEGER"}},"required":["city","days"]}}]}],"contents":[{"role":"user","parts":[{"text":"weather?"}]}]}"#
        ),
        ToolCase(
            family: .cohere,
            path: "/v2/chat",
            body:
                #"{"model":"command-a-03-2025","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}}],"messages":[{"role":"user","content":"weather?"}]}"#
        ),
    ]

    @Test(arguments: toolCases)
    func callsTheFirstToolWithSchemaShapedArguments(item: ToolCase) async throws {
        try await MockProvider.withRunningServer { port in
            let json = try await Self.send(port, item.path, body: item.body).json
            var name: String?
            var arguments: [String: Any]?
            func parse(_ text: String?) -> [String: Any]? {
                text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            }
            switch item.family {
            case .anthropic:
                let block = (json["content"] as? [[String: Any]])?.first
                #expect(json["stop_reason"] as? String == "tool_use")
                name = block?["name"] as? String
                arguments = block?["input"] as? [String: Any]
            case .openai:
                let choice = (json["choices"] as? [[String: Any]])?.first
                #expect(choice?["finish_reason"] as? String == "tool_calls")
                let call = ((choice?["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first
                let function = call?["function"] as? [String: Any]
                name = function?["name"] as? String
                arguments = parse(function?["arguments"] as? String)
            case .gemini:
                let candidate = (json["candidates"] as? [[String: Any]])?.first
                let part = ((candidate?["content"] as? [String: Any])?["parts"] as? [[String: Any]])?.first
                let call = part?["functionCall"] as? [String: Any]
                name = call?["name"] as? String
                arguments = call?["args"] as? [String: Any]
            case .cohere:
                #expect(json["finish_reason"] as? String == "TOOL_CALL")
                let call = ((json["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first
                let function = call?["function"] as? [String: Any]
                name = function?["name"] as? String
                arguments = parse(function?["arguments"] as? String)
            }
            #expect(name == "get_weather")
            #expect(arguments?["city"] as? String == "mock")
            #expect(arguments?["days"] as? Int == 1)
        }
    }

    @Test func streamedToolArgumentsReassembleToJSON() async throws {
        try await MockProvider.withRunningServer { port in
            let item = Self.toolCases[0]
            let events = try Self.events(
                try await Self.send(port, item.path, body: String(item.body.dropLast()) + #","stream":true}"#)
            )
            let partial = events.compactMap { (Self.object($0)["delta"] as? [String: Any])?["partial_json"] as? String }
            #expect(partial.count > 1)
            let arguments = try JSONSerialization.jsonObject(with: Data(partial.joined().utf8)) as? [String: Any]
            #expect(arguments?["city"] as? String == "mock")
        }
    }

    @Test func checksTheKeyInEachFamilysHeaderAndAnswersInItsErrorFormat() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-right")) { port in
            let anthropic = Self.routes[0]
            let wrong = try await Self.send(
                port,
                anthropic.path,
                body: anthropic.body,
                headers: [("x-api-key", "nope")]
            )
            #expect(wrong.status == 401)
            #expect(wrong.json["type"] as? String == "error")
            let right = try await Self.send(
                port,
                anthropic.path,
                body: anthropic.body,
                headers: [("x-api-key", "sk-mock-right")]
            )
            #expect(right.status == 200)
            let openAI = try await Self.send(
                port,
                "/v1/chat/completions",
                body: Self.routes[1].body,
                headers: [("authorization", "Bearer sk-mock-right")]
            )
            #expect(openAI.status == 200)
            let gemini = try await Self.send(port, Self.routes[2].path, body: Self.routes[2].body)
            #expect(gemini.status == 401)
            #expect((gemini.json["error"] as? [String: Any])?["status"] as? String == "UNAUTHENTICATED")
            let geminiRight = try await Self.send(
                port,
                Self.routes[2].path,
                body: Self.routes[2].body,
                headers: [("x-goog-api-key", "sk-mock-right")]
            )
            #expect(geminiRight.status == 200)
        }
    }

    /// A path the mock does not serve gets 404 in the error format of the family whose key the
    /// request carries, as the real providers answer it (never an empty body).
    @Test func anUnknownPathIsAnsweredInTheFamilysErrorFormat() async throws {
        try await MockProvider.withRunningServer { port in
            let anthropic = try await Self.send(port, "/v1/batches-not-here", body: "{}", headers: [("x-api-key", "k")])
            #expect(anthropic.status == 404)
            #expect(anthropic.json["type"] as? String == "error")
            #expect((anthropic.json["error"] as? [String: Any])?["type"] as? String == "not_found_error")
            let openAI = try await Self.send(
                port,
                "/v1/not-here",
                body: "{}",
                headers: [("authorization", "Bearer k")]
            )
            #expect(openAI.status == 404)
            let openAIError = openAI.json["error"] as? [String: Any]
            #expect(openAIError?["type"] as? String == "invalid_request_error")
            #expect(openAIError?["code"] as? String == "unknown_url")
            #expect((openAIError?["message"] as? String)?.contains("POST /v1/not-here") == true)
            let gemini = try await Self.send(
                port,
                "/v1beta/not-here",
                body: "{}",
                headers: [("x-goog-api-key", "k")]
            )
            #expect(gemini.status == 404)
            #expect((gemini.json["error"] as? [String: Any])?["status"] as? String == "NOT_FOUND")
            let cohere = try await Self.send(port, "/v2/not-here", body: "{}", headers: [("authorization", "Bearer k")])
            #expect(cohere.status == 404)
            #expect(cohere.json.keys.sorted() == ["message"])
            // Routes it serves are untouched.
            let served = try await Self.send(port, Self.routes[0].path, body: Self.routes[0].body)
            #expect(served.status == 200)
        }
    }

    /// The count endpoints refuse what their APIs refuse, so a wallet that sends a chat's members
    /// to a count (or a malformed Gemini count) fails in tests as it would against the provider.
    @Test func countEndpointsRefuseWhatTheirAPIsRefuse() async throws {
        try await MockProvider.withRunningServer { port in
            let messages = #""messages":[{"role":"user","content":"Hi"}]"#
            let anthropic = [("x-api-key", "k"), ("anthropic-version", "2023-06-01")]
            let counted = try await Self.send(
                port,
                "/v1/messages/count_tokens",
                body: #"{"model":"claude-haiku-4-5","#
                    + messages + #","system":"Be brief","tools":[],"thinking":{"type":"disabled"}}"#,
                headers: anthropic
            )
            #expect(counted.status == 200 && counted.json["input_tokens"] as? Int ?? 0 > 0)
            for (extra, name) in [(#""max_tokens":64"#, "max_tokens"), (#""stream":false"#, "stream")] {
                let refused = try await Self.send(
                    port,
                    "/v1/messages/count_tokens",
                    body: #"{"model":"claude-haiku-4-5","# + messages + "," + extra + "}",
                    headers: anthropic
                )
                #expect(refused.status == 400)
                let error = refused.json["error"] as? [String: Any]
                #expect(error?["type"] as? String == "invalid_request_error")
                #expect((error?["message"] as? String)?.hasPrefix("\(name): Extra inputs") == true)
            }
            let noMessages = try await Self.send(
                port,
                "/v1/messages/count_tokens",
                body: #"{"model":"claude-haiku-4-5"}"#,
                headers: anthropic
            )
            #expect(noMessages.status == 400)

            let path = "/v1beta/models/gemini-2.5-flash:countTokens"
            let gemini = [("x-goog-api-key", "k")]
            let contents = #""contents":[{"role":"user","parts":[{"text":"Hi"}]}]"#
            let whole = #"{"generateContentRequest":{"model":"models/gemini-2.5-flash","# + contents + "}}"
            let snakeCase = #"{"generate_content_request":{"model":"models/gemini-2.5-flash","# + contents + "}}"
            for body in ["{" + contents + "}", whole, snakeCase] {
                let answer = try await Self.send(port, path, body: body, headers: gemini)
                #expect(answer.status == 200 && answer.json["totalTokens"] as? Int ?? 0 > 0, "\(body)")
            }
            for body in [
                #"{"generateContentRequest":{"model":"models/gemini-2.5-flash","# + contents + "}," + contents + "}",
                #"{"generateContentRequest":{"model":"gemini-2.5-flash","# + contents + "}}",
                #"{"generateContentRequest":{"# + contents + "}}",
            ] {
                let refused = try await Self.send(port, path, body: body, headers: gemini)
                #expect(refused.status == 400, "\(body)")
                #expect((refused.json["error"] as? [String: Any])?["status"] as? String == "INVALID_ARGUMENT")
            }
        }
    }

    @Test func modelNamesTriggerErrorsAndLongReplies() async throws {
        try await MockProvider.withRunningServer { port in
            let limited = try await Self.send(
                port,
                "/v1/chat/completions",
                body: #"{"model":"mock-error-429","messages":[]}"#
            )
            #expect(limited.status == 429)
            #expect((limited.json["error"] as? [String: Any])?["type"] as? String == "rate_limit_error")
            let long = try await Self.send(
                port,
                "/v2/chat",
                body: #"{"model":"mock-words-500","messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(UsageExtractor.usage(fromJSON: long.body, provider: .cohere)?.outputTokens == 500)
            let bad = try await Self.send(port, "/v1/messages", body: "not json")
            #expect(bad.status == 400)
            #expect(bad.json["type"] as? String == "error")
        }
    }

    /// OpenAI's Responses API: what it refuses (a Chat Completions member, `include_usage` among
    /// the stream options), a response object with its usage, and a stream of named, numbered
    /// events that ends with the completed response (its usage) and no `[DONE]`.
    @Test func theResponsesAPIIsSpokenAsOpenAISpeaksIt() async throws {
        try await MockProvider.withRunningServer { port in
            let auth = [("authorization", "Bearer k")]
            for (body, parameter) in [
                (
                    #"{"model":"gpt-5.4","input":"Hi","stream":true,"stream_options":{"include_usage":true}}"#,
                    "stream_options.include_usage"
                ),
                (#"{"model":"gpt-5.4","messages":[{"role":"user","content":"Hi"}]}"#, "messages"),
            ] {
                let refused = try await Self.send(port, "/v1/responses", body: body, headers: auth)
                #expect(refused.status == 400, "\(body)")
                let error = refused.json["error"] as? [String: Any]
                #expect(error?["message"] as? String == "Unknown parameter: '\(parameter)'.", "\(refused.json)")
            }
            let plain = try await Self.send(
                port,
                "/v1/responses",
                body: #"{"model":"gpt-5.4","input":"Hi there"}"#,
                headers: auth
            )
            #expect(plain.status == 200)
            #expect(plain.json["object"] as? String == "response" && plain.json["status"] as? String == "completed")
            let usage = plain.json["usage"] as? [String: Any]
            #expect(usage?["input_tokens"] as? Int ?? 0 > 0 && usage?["output_tokens"] as? Int == 12)

            let streamed = try await Self.send(
                port,
                "/openai/v1/responses",
                body: #"{"model":"gpt-5.4","input":[{"role":"user","content":"Hi there"}],"stream":true,"#
                    + #""stream_options":{"include_obfuscation":false}}"#,
                headers: auth
            )
            #expect(streamed.status == 200 && streamed.contentType == "text/event-stream")
            let events = try Self.events(streamed)
            #expect(events.allSatisfy { $0.type == Self.object($0)["type"] as? String })
            #expect(events.map { Self.object($0)["sequence_number"] as? Int } == Array(0..<events.count))
            #expect(events.first?.type == "response.created" && events.last?.type == "response.completed")
            #expect(events.filter { $0.type == "response.output_text.delta" }.count == 12)
            let completed = events.last.map(Self.object)?["response"] as? [String: Any]
            #expect((completed?["usage"] as? [String: Any])?["output_tokens"] as? Int == 12)
            #expect(!events.contains { $0.isDoneMarker })
        }
    }
}
