import ByokyTesting
import Foundation
import Testing

@testable import ByokyCore

struct UsageExtractorTests {
    private func usage(_ json: String, _ provider: ProviderID) -> TokenUsage? {
        UsageExtractor.usage(fromJSON: Array(json.utf8), provider: provider)
    }

    @Test func anthropicCountsCacheTokensAsInput() {
        let result = usage(
            #"{"id":"m","usage":{"input_tokens":100,"cache_read_input_tokens":50,"cache_creation_input_tokens":25,"output_tokens":42}}"#,
            .anthropic
        )
        #expect(result == TokenUsage(inputTokens: 175, outputTokens: 42, cacheReadTokens: 50, cacheWriteTokens: 25))
        #expect(result?.totalTokens == 217)
        #expect(usage(#"{"usage":{"input_tokens":0,"output_tokens":42}}"#, .anthropic)?.outputTokens == 42)
        #expect(usage(#"{"usage":{"input_tokens":10}}"#, .anthropic) == nil)
    }

    @Test func openAIReadsCachedAndReasoningDetails() {
        let result = usage(
            #"{"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":8}}}"#,
            .openai
        )
        #expect(result == TokenUsage(inputTokens: 12, outputTokens: 30, cacheReadTokens: 4, reasoningTokens: 8))
    }

    @Test(arguments: [
        ProviderID.groq, .together, .deepseek, .xai, .perplexity, .fireworks, .openrouter, .mistral, .azureOpenAI,
        .cohere, .ollama, .lmStudio,
    ])
    func openAICompatibleUsageWorksForEveryProvider(provider: ProviderID) {
        #expect(
            usage(#"{"usage":{"prompt_tokens":3,"completion_tokens":4}}"#, provider)
                == TokenUsage(inputTokens: 3, outputTokens: 4)
        )
    }

    @Test func groqExtraUsageBlock() {
        #expect(
            usage(#"{"x_groq":{"usage":{"prompt_tokens":5,"completion_tokens":6}}}"#, .groq)
                == TokenUsage(inputTokens: 5, outputTokens: 6)
        )
    }

    @Test func geminiAddsThoughtsToOutput() {
        #expect(
            usage(
                #"{"candidates":[],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":20,"thoughtsTokenCount":5,"cachedContentTokenCount":2}}"#,
                .gemini
            ) == TokenUsage(inputTokens: 9, outputTokens: 25, cacheReadTokens: 2, reasoningTokens: 5)
        )
        #expect(
            usage(#"{"usageMetadata":{"promptTokenCount":9}}"#, .gemini) == TokenUsage(inputTokens: 9, outputTokens: 0)
        )
        #expect(usage(#"{"candidates":[]}"#, .gemini) == nil)
    }

    @Test func geminiArrayStreamUsesTheLastReport() {
        #expect(
            usage(
                #"[{"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1}},{"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":20}},{"candidates":[]}]"#,
                .gemini
            ) == TokenUsage(inputTokens: 9, outputTokens: 20)
        )
    }

    @Test func cohereV2PrefersTokensOverBilledUnits() {
        #expect(
            usage(
                #"{"usage":{"billed_units":{"input_tokens":5,"output_tokens":7},"tokens":{"input_tokens":70,"output_tokens":7}}}"#,
                .cohere
            ) == TokenUsage(inputTokens: 70, outputTokens: 7)
        )
    }

    @Test func responsesAPIUsage() {
        #expect(
            usage(
                #"{"object":"response","usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":3},"output_tokens":20,"output_tokens_details":{"reasoning_tokens":6}}}"#,
                .openai
            ) == TokenUsage(inputTokens: 10, outputTokens: 20, cacheReadTokens: 3, reasoningTokens: 6)
        )
    }

    /// An embeddings answer counts its input alone (`prompt_tokens` equal to `total_tokens`, no
    /// `completion_tokens`): no output. A usage missing its output count otherwise stays unknown.
    @Test func embeddingsUsageCountsTheInputAlone() {
        let embeddings = #"{"object":"list","data":[],"model":"m","usage":{"prompt_tokens":8,"total_tokens":8}}"#
        #expect(usage(embeddings, .openai) == TokenUsage(inputTokens: 8, outputTokens: 0))
        // The same read by the whole-document parser (a member name with an escape needs it).
        let escaped = #"{"obj\u0065ct":"list","usage":{"prompt_tokens":8,"total_tokens":8}}"#
        #expect(usage(escaped, .openai) == TokenUsage(inputTokens: 8, outputTokens: 0))
        #expect(usage(#"{"usage":{"total_tokens":8,"prompt_tokens":8}}"#, .azureOpenAI)?.outputTokens == 0)
        #expect(usage(#"{"usage":{"prompt_tokens":8,"total_tokens":20}}"#, .openai) == nil)
        #expect(usage(#"{"usage":{"prompt_tokens":8,"total_tokens":"8"}}"#, .openai) == nil)
    }

    /// Cohere bills an embed (and a v1 chat) in `meta.billed_units`; an embed, its input alone.
    @Test func cohereMetaBilledUnitsAreRead() {
        let embed =
            #"{"id":"e1","embeddings":{"float":[[0.1]]},"texts":["hi"],"meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":5}}}"#
        #expect(usage(embed, .cohere) == TokenUsage(inputTokens: 5, outputTokens: 0))
        let chat = #"{"text":"Hi","meta":{"billed_units":{"input_tokens":7,"output_tokens":3}}}"#
        #expect(usage(chat, .cohere) == TokenUsage(inputTokens: 7, outputTokens: 3))
        // A v2 chat's `usage` is read first; `meta` counts only without it, and only for Cohere.
        let both =
            #"{"usage":{"billed_units":{"input_tokens":7,"output_tokens":3}},"meta":{"billed_units":{"input_tokens":99}}}"#
        #expect(usage(both, .cohere) == TokenUsage(inputTokens: 7, outputTokens: 3))
        #expect(usage(embed, .openai) == nil)
        #expect(usage(#"{"meta":{"billed_units":{"search_units":1}}}"#, .cohere) == nil)
    }

    @Test func unknownShapesAndBadValuesGiveNoUsage() {
        #expect(usage(#"{"object":"list","data":[],"usage":{"prompt_tokens":8}}"#, .openai) == nil)
        #expect(usage("not json", .openai) == nil)
        #expect(usage(#"{"usage":"lots"}"#, .openai) == nil)
        #expect(
            usage(#"{"usage":{"prompt_tokens":-4,"completion_tokens":2.9}}"#, .openai)
                == TokenUsage(inputTokens: 0, outputTokens: 2)
        )
        #expect(
            usage(#"{"usage":{"prompt_tokens":0,"completion_tokens":0}}"#, .openai)
                == TokenUsage(inputTokens: 0, outputTokens: 0)
        )
        #expect(usage(#"{"usage":{"prompt_tokens":128000,"completion_tokens":4096}}"#, .openai)?.totalTokens == 132_096)
    }

    /// Only the top level's usage members are read; the answer's content is skipped, whatever it holds.
    @Test func onlyTopLevelUsageCounts() {
        let decoy =
            #"{"content":[{"type":"text","text":"\"usage\":{\"input_tokens\":999}"},{"usage":{"input_tokens":998,"output_tokens":1}}],"#
        #expect(
            usage(decoy + #""usage":{"input_tokens":4,"output_tokens":2}}"#, .anthropic)
                == TokenUsage(inputTokens: 4, outputTokens: 2)
        )
        #expect(usage(decoy + #""stop_reason":"end_turn"}"#, .anthropic) == nil)
        // Pretty-printed, and the same with a member name the scanner cannot compare (escaped).
        #expect(
            usage("{\n  \"usage\" : {\"prompt_tokens\": 5, \"completion_tokens\": 1}\n}\n", .openai)
                == TokenUsage(inputTokens: 5, outputTokens: 1)
        )
        #expect(
            usage(#"{"us\u0061ge":{"prompt_tokens":5,"completion_tokens":1}}"#, .openai)
                == TokenUsage(inputTokens: 5, outputTokens: 1)
        )
        // A usage member that does not parse gives no usage, as a document that does not parse.
        #expect(usage(#"{"usage":{"prompt_tokens":5,,"completion_tokens":1}}"#, .openai) == nil)
        // Nested usage (Responses API streaming objects, OpenAI deltas) is read as before.
        #expect(
            usage(#"{"type":"response.completed","response":{"usage":{"input_tokens":3,"output_tokens":4}}}"#, .openai)
                == TokenUsage(inputTokens: 3, outputTokens: 4)
        )
    }
}

struct UsageMeterTests {
    static let anthropicStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-6","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":10,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello \\"usage\\": {"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":42}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    static let openAIStream = """
        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":null}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":8}}}

        data: [DONE]


        """

    static let geminiStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"totalTokenCount":11},"modelVersion":"gemini-2.5-pro"}\r
        \r
        data: {"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":20,"thoughtsTokenCount":5,"totalTokenCount":34},"modelVersion":"gemini-2.5-pro"}\r
        \r

        """

    static let cohereStream = """
        event: message-start
        data: {"id":"x","type":"message-start","delta":{"message":{"role":"assistant","content":[]}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi"}}}}

        event: message-end
        data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":7},"tokens":{"input_tokens":70,"output_tokens":7}}}}


        """

    static let responsesStream = """
        event: response.created
        data: {"type":"response.created","response":{"id":"r","status":"in_progress","usage":null}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","delta":"Hi"}

        event: response.completed
        data: {"type":"response.completed","response":{"id":"r","status":"completed","usage":{"input_tokens":10,"output_tokens":20,"total_tokens":30}}}


        """

    struct Case: Sendable, CustomTestStringConvertible {
        let provider: ProviderID
        let stream: String
        let expected: TokenUsage
        var testDescription: String { provider.rawValue }
    }

    static let cases: [Case] = [
        Case(
            provider: .anthropic,
            stream: anthropicStream,
            expected: TokenUsage(inputTokens: 35, outputTokens: 42, cacheReadTokens: 10, cacheWriteTokens: 0)
        ),
        Case(
            provider: .openai,
            stream: openAIStream,
            expected: TokenUsage(inputTokens: 12, outputTokens: 30, cacheReadTokens: 4, reasoningTokens: 8)
        ),
        Case(
            provider: .gemini,
            stream: geminiStream,
            expected: TokenUsage(inputTokens: 9, outputTokens: 25, reasoningTokens: 5)
        ),
        Case(provider: .cohere, stream: cohereStream, expected: TokenUsage(inputTokens: 70, outputTokens: 7)),
        Case(provider: .openai, stream: responsesStream, expected: TokenUsage(inputTokens: 10, outputTokens: 20)),
    ]

    @Test(arguments: cases)
    func readsStreamUsageAtEverySplitPoint(item: Case) {
        let bytes = Array(item.stream.utf8)
        for chunks in ChunkSplits.everySplitPoint(bytes) {
            var meter = UsageMeter(provider: item.provider, contentType: "text/event-stream")
            for chunk in chunks { meter.consume(chunk) }
            #expect(meter.finish() == item.expected, "split at \(chunks[0].count)")
        }
        var sniffing = UsageMeter(provider: item.provider)
        for chunk in ChunkSplits.fixedSize(bytes, size: 7) { sniffing.consume(chunk) }
        #expect(sniffing.finish() == item.expected)
    }

    /// The meter reports a stream's end once its closing event is whole, and not a byte before:
    /// Anthropic `message_stop`, OpenAI `[DONE]`, Cohere `message-end`; never for Gemini or the
    /// Responses API (their streams end with the body).
    @Test(arguments: cases)
    func seesTheClosingEventOnceItIsWhole(item: Case) throws {
        let marker: String? =
            switch item.provider {
            case .anthropic: "event: message_stop"
            case .cohere: "event: message-end"
            case .openai: item.stream.contains("[DONE]") ? "data: [DONE]" : nil
            default: nil
            }
        let bytes = Array(item.stream.utf8)
        var meter = UsageMeter(provider: item.provider, contentType: "text/event-stream")
        var endedAt: Int?
        for (index, byte) in bytes.enumerated() {
            meter.consume([byte])
            if meter.sawStreamEnd, endedAt == nil { endedAt = index + 1 }
        }
        guard let marker else {
            #expect(endedAt == nil)
            return
        }
        let start = try #require(item.stream.range(of: marker)).lowerBound
        let blankLine = try #require(item.stream[start...].range(of: "\n\n")).upperBound
        #expect(endedAt == item.stream.utf8.distance(from: item.stream.startIndex, to: blankLine))
    }

    @Test func aClosingEventWithoutAnEventLineIsKnownByItsType() {
        let cases: [(ProviderID, String, Bool)] = [
            (.anthropic, #"data: {"type":"message_stop"}"#, true),
            (.anthropic, #"data: {"type":"message_stopped"}"#, false),
            (.anthropic, #"data: {"type":"message_delta","usage":{"output_tokens":3}}"#, false),
            (.cohere, #"data: {"type":"message-end","delta":{}}"#, true),
            (.cohere, #"event: content-end\ndata: {"type":"message-end"}"#, false),
            (.groq, "data: [DONE]", true),
            (.openai, "data: [DONE] ", false),
            (.gemini, "data: [DONE]", false),
        ]
        for (provider, event, closes) in cases {
            var meter = UsageMeter(provider: provider, contentType: "text/event-stream")
            meter.consume(Array((event + "\n\n").utf8))
            #expect(meter.sawStreamEnd == closes, "\(provider.rawValue): \(event)")
        }
    }

    @Test func aCancelledAnthropicStreamReportsPartialUsage() {
        let cut = String(
            Self.anthropicStream.prefix(upTo: Self.anthropicStream.range(of: "event: message_delta")!.lowerBound)
        )
        var meter = UsageMeter(provider: .anthropic, contentType: "text/event-stream")
        meter.consume(Array(cut.utf8))
        let usage = meter.finish()
        #expect(usage?.inputTokens == 35)
        #expect(usage?.outputTokens == 1)
        #expect(usage?.isComplete == false)
    }

    @Test func jsonBodiesAreReadAtTheEndAndBounded() {
        var meter = UsageMeter(provider: .openai, contentType: "application/json; charset=utf-8")
        let body = Array(#"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}"#.utf8)
        for chunk in ChunkSplits.fixedSize(body, size: 5) { meter.consume(chunk) }
        #expect(meter.finish() == TokenUsage(inputTokens: 1, outputTokens: 2))

        var bounded = UsageMeter(provider: .openai, contentType: "application/json", maximumJSONBodySize: 10)
        bounded.consume(body)
        #expect(bounded.finish() == nil)
    }

    @Test func streamsWithoutUsageOrOnlyDoneGiveNil() {
        for text in ["data: [DONE]\n\n", "data: {\"choices\":[]}\n\n", "data: {not json\n\n", ""] {
            var meter = UsageMeter(provider: .openai)
            meter.consume(Array(text.utf8))
            #expect(meter.finish() == nil, "\(text)")
        }
    }

    @Test func usageScannerSpotsOnlyUsageObjects() {
        #expect(UsageMeterProbe.mayCarryUsage(#"{"usage": {"a":1}}"#))
        #expect(UsageMeterProbe.mayCarryUsage(#"{"usageMetadata":{"a":1}}"#))
        #expect(!UsageMeterProbe.mayCarryUsage(#"{"usage":null}"#))
        #expect(!UsageMeterProbe.mayCarryUsage(#"{"text":"\"usage\": {"}"#))
    }
}

/// Reaches the meter's internal scanner.
enum UsageMeterProbe {
    static func mayCarryUsage(_ text: String) -> Bool { UsageMeter.mayCarryUsage(Array(text.utf8)) }
}

struct StreamUsageOptionsTests {
    private func inject(_ body: String, _ provider: ProviderID, path: String = "/v1/chat/completions") -> String? {
        StreamUsageOptions.injected(into: Array(body.utf8), provider: provider, path: path).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Only Chat Completions and Completions take `stream_options.include_usage`, under whatever
    /// prefix a provider serves them; the Responses API refuses it, and so do the other endpoints.
    @Test func onlyTheCompletionsEndpointsTakeTheOption() {
        let takers = [
            "/v1/chat/completions", "/chat/completions", "/openai/v1/chat/completions", "/v1/completions",
            "/beta/completions", "/openai/deployments/gpt/chat/completions", "/openai/deployments/gpt/completions",
            "/v1/chat/completions/",
        ]
        let others = [
            "/v1/responses", "/openai/v1/responses", "/v1/responses/resp_1/cancel", "/v1/threads/t_1/runs",
            "/v1/audio/transcriptions", "/v1/embeddings", "/v1/completions/x", "/v1/chat/completionsx", "/", "",
            "/v1/chat/completions/chatcmpl-1/messages",
        ]
        for path in takers {
            #expect(StreamUsageOptions.takesOption(path: path), "\(path)")
            #expect(inject(#"{"stream":true}"#, .openai, path: path) != nil, "\(path)")
        }
        for path in others {
            #expect(!StreamUsageOptions.takesOption(path: path), "\(path)")
            for provider in StreamUsageOptions.providers {
                #expect(inject(#"{"model":"m","stream":true,"input":"Hi"}"#, provider, path: path) == nil, "\(path)")
            }
        }
    }

    @Test(arguments: [ProviderID.openai, .azureOpenAI, .together, .deepseek])
    func addsIncludeUsageToStreamingRequests(provider: ProviderID) {
        #expect(
            inject(#"{"model":"m","stream":true,"seed":9007199254740993}"#, provider)
                == #"{"model":"m","stream":true,"seed":9007199254740993,"stream_options":{"include_usage":true}}"#
        )
    }

    @Test func mergesExistingStreamOptions() throws {
        let result = try #require(inject(#"{"stream":true,"stream_options":{"x":1}}"#, .openai))
        #expect(result.contains(#""include_usage":true"#) && result.contains(#""x":1"#))
    }

    @Test func leavesEverythingElseAlone() {
        #expect(inject(#"{"stream":true,"stream_options":{"include_usage":true}}"#, .openai) == nil)
        #expect(inject(#"{"stream":false}"#, .openai) == nil)
        #expect(inject(#"{"model":"m"}"#, .openai) == nil)
        #expect(inject(#"{"stream":true}"#, .anthropic) == nil)
        #expect(inject(#"{"stream":true}"#, .gemini) == nil)
        #expect(inject("not json", .openai) == nil)
        #expect(inject(#"{"stream":"true"}"#, .openai) == nil)
        #expect(inject(#"{"messages":[{"stream":true}],"stream":false}"#, .openai) == nil)
        #expect(inject(#"{"stream":true,"stream":false}"#, .openai) == nil)
    }

    /// Only the top level counts; the last of a repeated member wins; a member name with an escape
    /// and an existing `stream_options` go through a whole parse with the same outcome.
    @Test func readsOnlyWhatItMust() {
        #expect(
            inject(#"{"messages":[{"content":"\"stream\":false"}],"stream" : true }"#, .openai)
                == #"{"messages":[{"content":"\"stream\":false"}],"stream" : true ,"stream_options":{"include_usage":true}}"#
        )
        #expect(
            inject(#"{"stream":false,"stream":true}"#, .openai)
                == #"{"stream":false,"stream":true,"stream_options":{"include_usage":true}}"#
        )
        #expect(
            inject(#"{"str\u0065am":true}"#, .openai)
                == #"{"str\u0065am":true,"stream_options":{"include_usage":true}}"#
        )
        #expect(inject(#"{"stream":true,"stream_options":null}"#, .openai)?.contains(#""include_usage":true"#) == true)
        #expect(
            inject(#"{"stream":true,"stream_options":{"include_usage":false}}"#, .openai)?.contains(
                #""include_usage":true"#
            ) == true
        )
    }
}

struct ContentTypeTests {
    @Test func recognisesStreamsAndJSONWhateverTheCase() {
        #expect(ContentType.isEventStream("text/event-stream; charset=utf-8"))
        #expect(ContentType.isEventStream("Text/Event-Stream"))
        #expect(!ContentType.isEventStream("text/event-strea"))
        #expect(!ContentType.isEventStream("application/json"))
        #expect(!ContentType.isEventStream(nil))
        #expect(ContentType.isJSON("application/problem+JSON"))
        #expect(ContentType.isJSON("json"))
        #expect(!ContentType.isJSON("text/plain"))
        #expect(!ContentType.isJSON(""))
    }
}

/// Gemini usage in snake_case (proto3 JSON allows it) is metered like camelCase.
@Test func geminiSnakeCaseUsageIsMetered() {
    var meter = UsageMeter(provider: .gemini, contentType: "text/event-stream")
    meter.consume(
        Array(#"data: {"candidates":[],"usage_metadata":{"prompt_token_count":7,"candidates_token_count":3}}"#.utf8)
            + [0x0A, 0x0A]
    )
    let usage = meter.finish()
    #expect(usage?.inputTokens == 7)
    #expect(usage?.outputTokens == 3)
}
