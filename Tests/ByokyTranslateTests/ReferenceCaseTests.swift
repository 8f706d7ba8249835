import ByokyCore
import Testing

@testable import ByokyTranslate

/// The original engine's unit cases that apply, and one test for each loss its reference lists
/// (fixed, or refused with a clear error).
@Suite struct ReferenceCaseTests {
    // MARK: Requests

    @Test func developerRoleSurvivesAsSystemAndAsDeveloper() throws {
        let body =
            #"{"model":"gpt-5.4","messages":[{"role":"developer","content":"Be terse."},{"role":"user","content":"Hi"}]}"#
        let toClaude = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(toClaude["system"]?.stringValue == "Be terse.")
        let anthropicBody =
            #"{"model":"m","max_tokens":10,"system":"Be terse.","messages":[{"role":"user","content":"Hi"}]}"#
        let toOpenAI = try Translate.request(anthropicBody, from: .anthropic, to: .openai, model: "gpt-5.4").body
        #expect(toOpenAI["messages"]?.arrayValue?.first?["role"]?.stringValue == "system")
        // OpenAI → OpenAI-family target keeps the developer role only where the API has it.
        let request = try OpenAIAdapter.readRequest(try JSONNode.parse(body))
        #expect(request.system == [SystemPart(text: "Be terse.", isDeveloper: true)])
    }

    @Test func nullStopIsIgnored() throws {
        let body = #"{"model":"gpt-5.4","stop":null,"messages":[{"role":"user","content":"Hi"}]}"#
        let translated = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(translated["stop_sequences"] == nil)
        let mixed = #"{"model":"gpt-5.4","stop":["A",null,""],"messages":[{"role":"user","content":"Hi"}]}"#
        #expect(
            try Translate.request(mixed, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body[
                "stop_sequences"
            ] == .array([.string("A")])
        )
    }

    @Test func missingMaxTokensUsesTheTargetModelsLimit() throws {
        let body = #"{"model":"gpt-5.4","messages":[{"role":"user","content":"Hi"}]}"#
        let sonnet = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(sonnet["max_tokens"]?.intValue == 32000)
        let unknown = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-future").body
        #expect(unknown["max_tokens"]?.intValue == 8192)
    }

    @Test func claudeGetsTemperatureOrTopPNotBoth() throws {
        let body = #"{"model":"gpt-5.4","temperature":1.7,"top_p":0.9,"messages":[{"role":"user","content":"Hi"}]}"#
        let (translated, outbound) = try Translate.request(
            body,
            from: .openai,
            to: .anthropic,
            model: "claude-sonnet-4-6"
        )
        #expect(translated["temperature"]?.doubleValue == 1.0)
        #expect(translated["top_p"] == nil)
        #expect(outbound.report.notes.contains { $0.contains("top_p") })
    }

    /// Reasoning models by name, in any ASCII case; names near them are not.
    @Test(arguments: [
        ("o1", true), ("o1-mini", true), ("O3-PRO", true), ("o4-mini-high", true), ("gpt-5", true),
        ("GPT-5.4", true), ("gpt-5-nano", true), ("o", false), ("o2", false), ("gpt-4o", false),
        ("Gpt-5-mini", true), ("gpt-", false), ("xo1", false), ("", false), ("ö1", false), ("gpt\u{2010}5", false),
    ])
    func reasoningModelsAreKnownByTheirNames(model: String, isReasoning: Bool) {
        #expect(OpenAIAdapter.isReasoningModel(model) == isReasoning)
    }

    @Test func reasoningTargetsTakeMaxCompletionTokensAndNoSampling() throws {
        let body =
            #"{"model":"m","max_tokens":256,"temperature":0.7,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"Hi"}]}"#
        let toGPT = try Translate.request(body, from: .anthropic, to: .openai, model: "gpt-5.4").body
        #expect(toGPT["max_completion_tokens"]?.intValue == 256)
        #expect(toGPT["max_tokens"] == nil)
        #expect(toGPT["temperature"] == nil)
        #expect(toGPT["reasoning_effort"]?.stringValue == "medium")
        let toGroq = try Translate.request(body, from: .anthropic, to: .groq, model: "llama-3.3-70b-versatile").body
        #expect(toGroq["max_tokens"]?.intValue == 256)
        #expect(toGroq["temperature"]?.doubleValue == 0.7)
    }

    @Test func streamingOpenAITargetAlwaysAsksForUsage() throws {
        let body = #"{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
        let translated = try Translate.request(body, from: .anthropic, to: .openai, model: "gpt-4.1").body
        #expect(translated["stream_options"]?["include_usage"] == .bool(true))
    }

    @Test func thinkingCarriesAcrossFamilies() throws {
        let effort =
            #"{"model":"gpt-5.4","reasoning_effort":"high","max_completion_tokens":40000,"messages":[{"role":"user","content":"Hi"}]}"#
        let toClaude = try Translate.request(effort, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(toClaude["thinking"]?["type"]?.stringValue == "enabled")
        #expect((toClaude["thinking"]?["budget_tokens"]?.intValue ?? 0) >= 1024)
        #expect((toClaude["thinking"]?["budget_tokens"]?.intValue ?? 0) < (toClaude["max_tokens"]?.intValue ?? 0))
        let budget =
            #"{"model":"m","max_tokens":8000,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Hi"}]}"#
        let toGemini = try Translate.request(budget, from: .anthropic, to: .gemini, model: "gemini-2.5-flash").body
        #expect(toGemini["generationConfig"]?["thinkingConfig"]?["thinkingBudget"]?.intValue == 2048)
        #expect(toGemini["generationConfig"]?["thinkingConfig"]?["includeThoughts"] == .bool(true))
    }

    @Test func geminiBudgetZeroTurnsThinkingOffInsteadOfSendingZero() throws {
        let body =
            #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":0}}}"#
        let translated = try Translate.request(body, from: .gemini, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(translated["thinking"] == nil)
    }

    @Test func unsignedThinkingIsNeverSentToClaude() throws {
        let body =
            #"{"model":"gpt-5.4","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello","reasoning_content":"user greets"},{"role":"user","content":"Again"}]}"#
        let (translated, outbound) = try Translate.request(
            body,
            from: .openai,
            to: .anthropic,
            model: "claude-sonnet-4-6"
        )
        #expect(!translated.jsonString.contains("\"thinking\""))
        #expect(outbound.report.notes.contains { $0.contains("thinking dropped") })
    }

    @Test func cohereToolPlanBecomesAssistantText() throws {
        let body = try Fixtures.bytes("cohere/request.json")
        let outbound = try ChatTranslator.translateRequest(
            body,
            path: "/v2/chat",
            from: .cohere,
            to: ProviderRegistry.provider(.anthropic)!,
            model: "claude-sonnet-4-6",
            requestID: "r"
        )
        let assistant = try JSONNode.parse(outbound.body)["messages"]?.arrayValue?[1]["content"]?.arrayValue
        #expect(assistant?.first?["type"]?.stringValue == "text")
        #expect(assistant?.first?["text"]?.stringValue == "I will check both cities.")
    }

    @Test func geminiToolResultsCarryTheFunctionName() throws {
        let body =
            #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":[{"type":"tool_use","id":"fc1","name":"get_weather","input":{"city":"Tokyo"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"fc1","content":"{\"temp\":18}"}]}]}"#
        let translated = try Translate.request(body, from: .anthropic, to: .gemini, model: "gemini-2.5-flash").body
        let response = translated["contents"]?.arrayValue?[2]["parts"]?.arrayValue?.first?["functionResponse"]
        #expect(response?["name"]?.stringValue == "get_weather")
        #expect(response?["id"]?.stringValue == "fc1")
        #expect(response?["response"]?["temp"]?.intValue == 18)
    }

    @Test func toolErrorsReachGeminiAsErrors() throws {
        let body =
            #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"w?"},{"role":"assistant","content":[{"type":"tool_use","id":"fc1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"fc1","content":"boom","is_error":true}]}]}"#
        let translated = try Translate.request(body, from: .anthropic, to: .gemini, model: "gemini-2.5-flash").body
        #expect(
            translated["contents"]?.arrayValue?[2]["parts"]?.arrayValue?.first?["functionResponse"]?["response"]
                == .object(["error": .string("boom")])
        )
    }

    @Test func geminiThreeGetsAThoughtSignatureOnReplayedCalls() throws {
        let body =
            #"{"model":"gpt-5.4","messages":[{"role":"user","content":"w?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"c2","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"a"},{"role":"tool","tool_call_id":"c2","content":"b"}]}"#
        let translated = try Translate.request(body, from: .openai, to: .gemini, model: "gemini-3-pro-preview").body
        let parts = translated["contents"]?.arrayValue?[1]["parts"]?.arrayValue ?? []
        #expect(parts.count == 2)
        #expect(parts.first?["thoughtSignature"]?.stringValue == "skip_thought_signature_validator")
        #expect(parts.last?["thoughtSignature"] == nil)
    }

    @Test func schemasAreAdaptedForGemini() throws {
        let body =
            ##"{"model":"gpt-5.4","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,"properties":{"kind":{"const":"a"},"when":{"type":["string","null"]},"item":{"$ref":"#/$defs/Item"}},"$defs":{"Item":{"type":"object","properties":{"n":{"type":"integer"}}}}}}}]}"##
        let translated = try Translate.request(body, from: .openai, to: .gemini, model: "gemini-2.5-flash").body
        let parameters = try #require(
            translated["tools"]?.arrayValue?.first?["functionDeclarations"]?.arrayValue?.first?["parameters"]
        )
        #expect(parameters["$schema"] == nil)
        #expect(parameters["additionalProperties"] == nil)
        #expect(parameters["$defs"] == nil)
        #expect(parameters["properties"]?["kind"]?["enum"] == .array([.string("a")]))
        #expect(parameters["properties"]?["when"]?["type"]?.stringValue == "string")
        #expect(parameters["properties"]?["when"]?["nullable"] == .bool(true))
        #expect(parameters["properties"]?["item"]?["properties"]?["n"]?["type"]?.stringValue == "integer")
    }

    @Test func geminiUppercaseTypesBecomeJSONSchema() throws {
        let body = try Fixtures.bytes("gemini/request.json")
        let outbound = try ChatTranslator.translateRequest(
            body,
            path: Fixtures.chatPath(.gemini),
            from: .gemini,
            to: ProviderRegistry.provider(.openai)!,
            model: "gpt-4.1",
            requestID: "r"
        )
        let parameters = try JSONNode.parse(outbound.body)["tools"]?.arrayValue?.first?["function"]?["parameters"]
        #expect(parameters?["type"]?.stringValue == "object")
        #expect(parameters?["properties"]?["location"]?["type"]?.stringValue == "string")
    }

    @Test func geminiSourceReadsModelAndStreamingFromTheURL() throws {
        let body = #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"#
        let (translated, outbound) = try Translate.request(
            body,
            from: .gemini,
            to: .anthropic,
            model: "claude-sonnet-4-6",
            path: "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
        )
        #expect(translated["stream"] == .bool(true))
        #expect(outbound.translator.context.sourceModel == "gemini-2.5-pro")
        #expect(outbound.translator.context.isStreaming)
        let toGemini = try Translate.request(
            #"{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#,
            from: .anthropic,
            to: .gemini,
            model: "gemini-2.5-flash"
        ).outbound
        #expect(toGemini.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
    }

    @Test func providerChatPathsAreUsed() throws {
        let body = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"#
        #expect(
            try Translate.request(body, from: .anthropic, to: .groq, model: "x").outbound.path
                == "/openai/v1/chat/completions"
        )
        #expect(
            try Translate.request(body, from: .anthropic, to: .deepseek, model: "x").outbound.path
                == "/chat/completions"
        )
        #expect(try Translate.request(body, from: .anthropic, to: .cohere, model: "x").outbound.path == "/v2/chat")
        #expect(
            try Translate.request(
                #"{"model":"m","messages":[{"role":"user","content":"Hi"}]}"#,
                from: .openai,
                to: .anthropic,
                model: "x"
            ).outbound.path == "/v1/messages"
        )
    }

    @Test func pdfDocumentsGoWhereTheTargetTakesThem() throws {
        let body =
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}},{"type":"text","text":"Summarise"}]}]}"#
        let toOpenAI = try Translate.request(body, from: .anthropic, to: .openai, model: "gpt-4.1").body
        let file = toOpenAI["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first
        #expect(file?["type"]?.stringValue == "file")
        #expect(file?["file"]?["file_data"]?.stringValue == "data:application/pdf;base64,JVBERi0x")
        let toGemini = try Translate.request(body, from: .anthropic, to: .gemini, model: "gemini-2.5-flash").body
        #expect(
            toGemini["contents"]?.arrayValue?.first?["parts"]?.arrayValue?.first?["inlineData"]?["mimeType"]?
                .stringValue == "application/pdf"
        )
        #expect(throws: ByokyError.self) {
            try Translate.request(body, from: .anthropic, to: .cohere, model: "command-a-03-2025")
        }
        // A Gemini PDF is a document, not an image.
        let gemini =
            #"{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0x"}},{"text":"Summarise"}]}]}"#
        let toClaude = try Translate.request(gemini, from: .gemini, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(
            toClaude["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first?["type"]?.stringValue == "document"
        )
    }

    @Test func dataURLsWithParametersAreRead() throws {
        #expect(
            MediaSource.parse(url: "data:image/png;name=x.png;base64,QUJD")
                == .base64(mediaType: "image/png", data: "QUJD")
        )
        #expect(MediaSource.parse(url: "ftp://example.com/x.png") == nil)
    }

    // MARK: Refusals instead of silent loss

    @Test func whatTheTargetCannotExpressIsRefused() throws {
        let cases: [(String, APIFamily, ProviderID, String)] = [
            (#"{"model":"m","n":2,"messages":[{"role":"user","content":"Hi"}]}"#, .openai, .anthropic, "completions"),
            (
                #"{"model":"m","max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"Hi"}]}"#,
                .anthropic, .openai, "web_search"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}}}"#,
                .openai, .cohere, "named tool"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f"}}],"response_format":{"type":"json_object"}}"#,
                .openai, .gemini, "JSON response format"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}"#,
                .openai, .anthropic, "input_audio"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"logprobs":true}"#, .openai, .gemini,
                "logprobs"
            ),
            (
                #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"tools":[{"googleSearch":{}}]}"#, .gemini,
                .anthropic, "googleSearch"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"documents":[{"data":{"text":"x"}}]}"#,
                .cohere, .openai, "RAG"
            ),
            (
                #"{"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]},{"role":"tool","tool_call_id":"c","content":"x"}]}"#,
                .openai, .anthropic, "not a JSON object"
            ),
        ]
        for (body, source, target, phrase) in cases {
            do {
                _ = try Translate.request(body, from: source, to: target, model: "any-model")
                Issue.record("expected a refusal for \(phrase)")
            } catch let error as ByokyError {
                #expect(error.code == .translationNotSupported)
                #expect(error.message.contains(phrase), "\(error.message)")
            }
        }
    }

    /// A refusal names the APIs as people know them ("the OpenAI API"), not by the wallet's ids.
    @Test func refusalsNameTheAPIsByTheirNames() throws {
        let rag = #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"documents":[{"data":{"text":"x"}}]}"#
        do {
            _ = try Translate.request(rag, from: .cohere, to: .openai, model: "any-model")
            Issue.record("expected a refusal for RAG")
        } catch let error as ByokyError {
            #expect(error.message.contains("translates to the OpenAI API"), "\(error.message)")
        }
        let failure = ByokyError.malformedUpstream(.gemini, "no candidates")
        #expect(failure.message.hasPrefix("The Gemini upstream sent"), "\(failure.message)")
    }

    @Test func jsonSchemaReachesClaudeAsStructuredOutput() throws {
        let body =
            #"{"model":"m","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}"#
        let translated = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(translated["output_config"]?["format"]?["type"]?.stringValue == "json_schema")
        #expect(translated["output_config"]?["format"]?["schema"]?["properties"]?["a"] != nil)
    }

    @Test func onlyChatEndpointsTranslate() throws {
        let cases: [(APIFamily, String)] = [
            (.openai, "/v1/embeddings"), (.openai, "/v1/responses"), (.openai, "/v1/models"),
            (.anthropic, "/v1/messages/count_tokens"),
            (.anthropic, "/v1/messages/batches"), (.gemini, "/v1beta/models/gemini-2.5-flash:embedContent"),
            (.gemini, "/v1beta/files"),
            (.cohere, "/v2/embed"),
        ]
        for (family, path) in cases {
            #expect(throws: ByokyError.self) {
                _ = try Translate.request(
                    "{}",
                    from: family,
                    to: family == .anthropic ? .openai : .anthropic,
                    model: "m",
                    path: path
                )
            }
        }
        #expect(
            ChatEndpoint.match(path: "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", family: .gemini)?
                .isStreaming == true
        )
        #expect(ChatEndpoint.match(path: "/openai/v1/chat/completions", family: .openai) != nil)
    }

    /// Each family's chat path is known with or without a prefix or a query, and nothing near it.
    @Test func chatPathsMatchWithAQueryAndNothingNearThem() {
        let chats: [(APIFamily, String)] = [
            (.anthropic, "/v1/messages"), (.openai, "/chat/completions"), (.cohere, "/v2/chat"),
        ]
        for (family, path) in chats {
            for matching in [path, "/proxy" + path, path + "?beta=true", path + "?", "/a" + path + "?x=/v2/other"] {
                #expect(ChatEndpoint.match(path: matching, family: family)?.isStreaming == false, "\(matching)")
            }
            for other in [path + "/", String(path.dropLast()), path + "s", path + "x?q", "?" + path, "", "/"] {
                #expect(ChatEndpoint.match(path: other, family: family) == nil, "\(other)")
            }
        }
        #expect(ChatEndpoint.match(path: "/v1/messages", family: .openai) == nil)
    }

    @Test func badJSONIsAnInvalidRequest() throws {
        do {
            _ = try Translate.request("{\"model\":", from: .openai, to: .anthropic, model: "m")
            Issue.record("expected an error")
        } catch let error as ByokyError {
            #expect(error.code == .invalidRequest)
        }
    }

    // MARK: Responses

    @Test func refusalsAreCarried() throws {
        let openAI =
            #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}"#
        let claude = try Translate.response(openAI, from: .openai, to: .anthropic)
        #expect(claude["stop_reason"]?.stringValue == "refusal")
        #expect(claude["content"]?.arrayValue?.first?["text"]?.stringValue == "I can't help with that.")
        let blocked =
            #"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4},"modelVersion":"gemini-2.5-flash"}"#
        let fromGemini = try Translate.response(blocked, from: .gemini, to: .openai)
        #expect(fromGemini["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "content_filter")
        #expect(
            fromGemini["choices"]?.arrayValue?.first?["message"]?["refusal"]?.stringValue?.contains("SAFETY") == true
        )
    }

    @Test func cacheAndReasoningTokensAreCounted() throws {
        let claude =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":0,"output_tokens":5}}"#
        let openAI = try Translate.response(claude, from: .anthropic, to: .openai)
        #expect(openAI["usage"]?["prompt_tokens"]?.intValue == 100)
        #expect(openAI["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.intValue == 90)
        let gemini =
            #"{"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":100,"totalTokenCount":115}}"#
        let fromGemini = try Translate.response(gemini, from: .gemini, to: .anthropic)
        #expect(fromGemini["usage"]?["output_tokens"]?.intValue == 105)
        let back = try Translate.response(claude, from: .anthropic, to: .anthropic)
        #expect(back["usage"]?["input_tokens"]?.intValue == 10)
        #expect(back["usage"]?["cache_read_input_tokens"]?.intValue == 90)
    }

    @Test func claudeThinkingReachesOpenAIAppsAsReasoningContent() throws {
        let claude =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"Let me think.","signature":"sig"},{"type":"text","text":"42"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}"#
        let openAI = try Translate.response(claude, from: .anthropic, to: .openai)
        #expect(openAI["choices"]?.arrayValue?.first?["message"]?["reasoning_content"]?.stringValue == "Let me think.")
        #expect(openAI["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "42")
        let gemini = try Translate.response(claude, from: .anthropic, to: .gemini)
        #expect(
            gemini["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first?["thought"] == .bool(true)
        )
    }

    @Test func stopReasonTables() throws {
        let openAI: [(String, StopReason)] = [
            ("stop", .endTurn), ("length", .maxTokens), ("tool_calls", .toolUse), ("function_call", .toolUse),
            ("content_filter", .refusal), ("weird", .endTurn),
        ]
        for (value, reason) in openAI { #expect(OpenAIAdapter.stopReason(from: value) == reason) }
        let gemini: [(String, StopReason)] = [
            ("STOP", .endTurn), ("MAX_TOKENS", .maxTokens), ("SAFETY", .refusal), ("RECITATION", .refusal),
            ("BLOCKLIST", .refusal), ("PROHIBITED_CONTENT", .refusal), ("SPII", .refusal),
            ("MALFORMED_FUNCTION_CALL", .error), ("LANGUAGE", .other), ("OTHER", .other),
        ]
        for (value, reason) in gemini { #expect(GeminiAdapter.stopReason(from: value, hadToolCall: false) == reason) }
        #expect(GeminiAdapter.stopReason(from: "STOP", hadToolCall: true) == .toolUse)
        let cohere: [(String, StopReason)] = [
            ("COMPLETE", .endTurn), ("STOP_SEQUENCE", .stopSequence), ("MAX_TOKENS", .maxTokens),
            ("TOOL_CALL", .toolUse), ("ERROR", .error), ("TIMEOUT", .other),
        ]
        for (value, reason) in cohere { #expect(CohereAdapter.stopReason(from: value) == reason) }
        let anthropic: [(String, StopReason)] = [
            ("end_turn", .endTurn), ("max_tokens", .maxTokens), ("stop_sequence", .stopSequence),
            ("tool_use", .toolUse), ("refusal", .refusal), ("pause_turn", .pauseTurn),
            ("model_context_window_exceeded", .contextWindowExceeded),
        ]
        for (value, reason) in anthropic { #expect(AnthropicAdapter.stopReason(from: value) == reason) }
        // Out of the IR every reason has a value in every family.
        for reason in StopReason.allCases {
            #expect(!AnthropicAdapter.stopReasonValue(reason).isEmpty)
            #expect(!OpenAIAdapter.finishReasonValue(reason).isEmpty)
            #expect(!GeminiAdapter.finishReasonValue(reason).isEmpty)
            #expect(!CohereAdapter.finishReasonValue(reason).isEmpty)
        }
        #expect(AnthropicAdapter.stopReasonValue(.contextWindowExceeded) == "model_context_window_exceeded")
        #expect(OpenAIAdapter.finishReasonValue(.maxTokens) == "length")
    }

    @Test func stopSequenceMatchSurvivesClaudeToClaudeShape() throws {
        let claude =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"a"}],"stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":1,"output_tokens":1}}"#
        let back = try Translate.response(claude, from: .anthropic, to: .anthropic)
        #expect(back["stop_sequence"]?.stringValue == "END")
    }

    // MARK: Streams

    @Test func openAIToolCallWithoutIDStillSurfaces() throws {
        let sse = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"x","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"get_weather","arguments":"{\\"city\\":"}}]},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Tokyo\\"}"}}]},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """
        let output = Translate.stream(sse, from: .openai, to: .anthropic)
        #expect(output.contains("\"name\":\"get_weather\""))
        #expect(output.contains("Tokyo"))
        #expect(output.contains("\"stop_reason\":\"tool_use\""))
    }

    @Test func usageChunkOnlyWhenTheAppAskedForIt() throws {
        let sse = String(decoding: try Fixtures.bytes("anthropic/stream-text.sse"), as: UTF8.self)
        let without = Translate.stream(sse, from: .anthropic, to: .openai, includeUsage: false)
        #expect(!without.contains("\"choices\":[]"))
        #expect(without.hasSuffix("data: [DONE]\n\n"))
        let with = Translate.stream(sse, from: .anthropic, to: .openai, includeUsage: true)
        #expect(with.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":15"))
    }

    @Test func claudeStreamSignaturesAndThinkingAreKept() throws {
        let sse = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        var reader = AnthropicStreamReader()
        var events: [StreamEvent] = []
        var decoder = SSEDecoder()
        for event in try decoder.feed(Array(sse.utf8)) { reader.read(event, into: &events) }
        #expect(events.contains(.thinkingSignature(index: 0, signature: "EqQBCgIYAhIM")))
        let openAI = Translate.stream(sse, from: .anthropic, to: .openai)
        #expect(openAI.contains("\"reasoning_content\":\"Hmm.\""))
    }

    @Test func midStreamErrorsReachTheAppInItsFormat() throws {
        let sse = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """
        let openAI = Translate.stream(sse, from: .anthropic, to: .openai)
        #expect(openAI.contains("\"error\":{\"message\":\"Overloaded\""))
        let gemini = Translate.stream(sse, from: .anthropic, to: .gemini)
        #expect(gemini.contains("\"error\":{\"code\":529"))
        let cohere = Translate.stream(sse, from: .anthropic, to: .cohere)
        #expect(cohere.contains("\"finish_reason\":\"ERROR\""))
    }
}

extension ReferenceCaseTests {
    @Test func imageURLsReachGeminiWithAMediaType() throws {
        let body =
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},{"type":"text","text":"What is this?"}]}]}"#
        let translated = try Translate.request(body, from: .openai, to: .gemini, model: "gemini-2.5-flash").body
        let file = translated["contents"]?.arrayValue?.first?["parts"]?.arrayValue?.first?["fileData"]
        #expect(file?["fileUri"]?.stringValue == "https://example.com/cat.png")
        #expect(file?["mimeType"]?.stringValue == "image/png")
        let toClaude = try Translate.request(body, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").body
        #expect(
            toClaude["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first?["source"]?["type"]?.stringValue
                == "url"
        )
    }
}

extension ReferenceCaseTests {
    @Test func remainingListedLosses() throws {
        // Citations cannot be carried, so asking for them is refused.
        let cited =
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The sky is blue."},"citations":{"enabled":true}},{"type":"text","text":"Colour?"}]}]}"#
        #expect(throws: ByokyError.self) {
            try Translate.request(cited, from: .anthropic, to: .openai, model: "gpt-4.1")
        }
        // Images returned by a tool reach Cohere in the next user message.
        let imageResult =
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Draw"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"draw","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"done"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"QUJD"}}]}]}]}"#
        let cohere = try Translate.request(imageResult, from: .anthropic, to: .cohere, model: "command-a-03-2025").body
        #expect(cohere.jsonString.contains("data:image/png;base64,QUJD"))
        let openAI = try Translate.request(imageResult, from: .anthropic, to: .openai, model: "gpt-4.1").body
        #expect(openAI.jsonString.contains("data:image/png;base64,QUJD"))
        // A temperature above Claude's range is lowered, and the owner is told.
        let hot = #"{"model":"gpt-5.4","temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}"#
        #expect(
            try Translate.request(hot, from: .openai, to: .anthropic, model: "claude-sonnet-4-6").outbound.report.notes
                .contains { $0.contains("temperature") }
        )
        // Groq's stream usage under x_groq is read.
        let groq = """
            data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}

            data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}}

            data: [DONE]


            """
        let claude = Translate.stream(groq, from: .openai, to: .anthropic)
        #expect(claude.contains("\"input_tokens\":7,\"output_tokens\":3"))
    }
}
