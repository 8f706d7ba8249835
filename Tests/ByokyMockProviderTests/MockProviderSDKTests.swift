import ByokyCore
import ByokyMockProvider
import ByokyTesting
import Testing

/// The official Python SDKs (anthropic, openai, google-genai, cohere) parse the mock's bodies and
/// streams: the proof that it speaks each family exactly as the real provider does.
@Suite(.enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct MockProviderSDKTests {
    /// What each family's SDK calls its stop reasons.
    static func stopReason(_ family: APIFamily, tools: Bool) -> String {
        switch family {
        case .anthropic: tools ? "tool_use" : "end_turn"
        case .openai: tools ? "tool_calls" : "stop"
        case .gemini: "STOP"
        case .cohere: tools ? "TOOL_CALL" : "COMPLETE"
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: SDKClient.matrix)
    func officialSDKUnderstandsTheMock(item: SDKClient.Case) async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let result = try await SDKClient.run(
                item,
                baseURL: SDKClient.baseURL(root: "http://127.0.0.1:\(port)", family: item.family),
                apiKey: "sk-mock-sdk"
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["stop_reason"] as? String == Self.stopReason(item.family, tools: item.tools))
            if item.tools {
                #expect(result["tool_name"] as? String == "get_weather")
                let arguments = result["tool_args"] as? [String: Any]
                #expect(arguments?["city"] as? String == "mock")
                #expect(arguments?["days"] as? Int == 1)
                #expect(result["output_tokens"] as? Int == 10)
            } else {
                #expect(result["text"] as? String == SDKClient.mockReplyToHelloThere)
                #expect(result["output_tokens"] as? Int == 12)
            }
            #expect((result["input_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: APIFamily.allCases)
    func officialSDKRaisesItsOwnErrorForAWrongKey(family: APIFamily) async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let result = try await SDKClient.run(
                SDKClient.Case(family: family, streaming: false, tools: false),
                baseURL: SDKClient.baseURL(root: "http://127.0.0.1:\(port)", family: family),
                apiKey: "wrong"
            )
            #expect(result["error_status"] as? Int == 401)
            #expect(
                ["AuthenticationError", "ClientError", "UnauthorizedError"].contains(
                    result["error_type"] as? String ?? ""
                )
            )
        }
    }

    /// OpenAI's moderations, parsed by the SDK's own models: every category named, none flagged.
    @Test(.timeLimit(.minutes(2)))
    func officialSDKReadsAModeration() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let result = try await SDKClient.moderations(
                baseURL: "http://127.0.0.1:\(port)/v1",
                apiKey: "sk-mock-sdk",
                prompt: "Is this message fine?"
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["count"] as? Int == 1 && result["flagged"] as? Bool == false, "\(result)")
            #expect(result["categories"] as? Int == 13, "\(result)")
            #expect((result["harassment_score"] as? Double ?? 1) < 0.01)
            #expect(result["model"] as? String == "omni-moderation-2024-09-26")
        }
    }

    /// OpenAI's image generation and edit, parsed by the SDK's own models: the images asked
    /// for, and the GPT Image models' usage (the uploaded image among the input's tokens).
    @Test(.timeLimit(.minutes(2)))
    func officialSDKDrawsAndEditsImages() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let result = try await SDKClient.images(
                baseURL: "http://127.0.0.1:\(port)/v1",
                apiKey: "sk-mock-sdk",
                model: "gpt-image-1"
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["generated"] as? Int == 2 && result["generated_b64"] as? Bool == true, "\(result)")
            #expect((result["generated_total"] as? Int ?? 0) > 2 * MockProvider.drawnImageTokens, "\(result)")
            #expect(result["edited"] as? Int == 1, "\(result)")
            #expect(result["edited_image_tokens"] as? Int == MockProvider.inlineMediaTokens, "\(result)")
        }
    }

    /// What OpenAI keeps, parsed by the SDK's own models: a response and a stored chat
    /// completion read back as they were made (usage and all), a completion's metadata changed, a
    /// conversation made and an item added, a response made in the background and read back.
    @Test(.timeLimit(.minutes(2)))
    func officialSDKReadsBackWhatOpenAIKeeps() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let result = try await SDKClient.stored(
                baseURL: "http://127.0.0.1:\(port)/v1",
                apiKey: "sk-mock-sdk",
                model: "gpt-5.5",
                background: true
            )
            // In the background: queued at once with no usage, read back completed with it.
            let background = try #require(result["background"] as? [String: Any], "\(result)")
            #expect(background["status"] as? String == "queued" && background["usage"] as? Bool == false, "\(result)")
            #expect(background["read_status"] as? String == "completed", "\(result)")
            #expect((background["read_tokens"] as? Int ?? 0) > 0, "\(result)")
            #expect(result["error_status"] == nil && result["worker_error"] == nil, "\(result)")
            let made = try #require(result["response_tokens"] as? Int, "\(result)")
            #expect(made > 0 && result["read_response_tokens"] as? Int == made, "\(result)")
            #expect(result["read_response_text"] as? String == result["response_text"] as? String, "\(result)")
            let completion = try #require(result["completion_tokens"] as? Int, "\(result)")
            #expect(completion > 0 && result["read_completion_tokens"] as? Int == completion, "\(result)")
            #expect((result["updated_metadata"] as? [String: Any])?["topic"] as? String == "the sea", "\(result)")
            #expect((result["conversation"] as? String)?.hasPrefix("conv_") == true, "\(result)")
            #expect(result["items"] as? Int == 1, "\(result)")
        }
    }

    /// Gemini's Files API: the SDK's resumable upload (a start with the key and the upload
    /// protocol's headers, then the bytes to the URL it returns), a read by name, a list and a
    /// delete, all parsed by the SDK.
    @Test(.timeLimit(.minutes(2)))
    func officialSDKUploadsReadsListsAndDeletesAGeminiFile() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let content = "Notes for the model: " + String(repeating: "word ", count: 200)
            let result = try await SDKClient.geminiFiles(
                baseURL: "http://127.0.0.1:\(port)",
                apiKey: "sk-mock-sdk",
                content: content
            )
            #expect(result["error_status"] == nil, "\(result)")
            let name = try #require(result["name"] as? String, "\(result)")
            #expect(name.hasPrefix("files/"))
            #expect(result["size_bytes"] as? Int == content.utf8.count)
            #expect(result["mime_type"] as? String == "text/plain" && result["display_name"] as? String == "notes")
            #expect(result["state"] as? String == "ACTIVE")
            #expect(
                result["fetched_name"] as? String == name && result["fetched_size_bytes"] as? Int == content.utf8.count
            )
            #expect(result["listed"] as? [String] == [name])
        }
    }
}
