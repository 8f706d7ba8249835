import ByokyCore
import ByokyTesting
import Foundation
import NIOCore
import Testing

@testable import ByokyWallet

/// A budget's hold covers what the provider may charge: a token for every byte the request
/// carries (text can cost that much), a small image's whole price, input the request names or
/// sends as a document (up to the model's context window), and every answer it asks for.
struct TokenEstimateTests {
    static func estimate(
        _ provider: ProviderID,
        _ path: String,
        _ body: String,
        model: String?,
        servedBy target: ProviderID? = nil
    ) -> TokenEstimate {
        TokenEstimate.worstCase(
            for: ProxyRequest(
                provider: provider,
                method: "POST",
                pathAndQuery: path,
                headers: [("content-type", "application/json")],
                body: ByteBuffer(string: body)
            ),
            model: model,
            servedBy: target ?? provider
        )
    }

    @Test func aRequestThatCarriesItsInputHoldsItsBytesAndItsOutput() {
        let body = #"{"model":"claude-sonnet-4-6","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}"#
        let estimate = Self.estimate(.anthropic, "/v1/messages", body, model: "claude-sonnet-4-6")
        #expect(estimate.tokens == body.utf8.count + 100)
        #expect(estimate.unboundedInput == nil)
        #expect(estimate.refusalExplanation.isEmpty)
    }

    @Test func aRequestThatNamesItsInputHoldsTheModelsContextWindow() throws {
        let body =
            #"{"model":"claude-haiku-4-5-20251001","max_tokens":100,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]}]}"#
        let model = try #require(ModelCatalog.model("claude-haiku-4-5-20251001"))
        let estimate = Self.estimate(.anthropic, "/v1/messages", body, model: model.id)
        #expect(estimate.tokens == model.contextWindow + 100)
        #expect(estimate.unboundedInput == .url)
        #expect(estimate.refusalExplanation.contains("context window"))
    }

    @Test func aModelTheCatalogDoesNotKnowIsHeldAtTheLargestWindow() {
        let body = #"{"model":"gpt-4o","max_tokens":10,"previous_response_id":"resp_1","input":"and?"}"#
        let estimate = Self.estimate(.openai, "/v1/responses", body, model: "gpt-4o")
        #expect(estimate.tokens == TokenEstimate.defaultContextWindow + 10)
        #expect(estimate.unboundedInput == .storedContext)
    }

    @Test func everyAnswerAskedForIsHeld() {
        let chat = #"{"model":"gpt-5.5","max_tokens":100,"n":8,"messages":[{"role":"user","content":"Hi"}]}"#
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", chat, model: "gpt-5.5").tokens == chat.utf8.count + 800
        )
        let completion = #"{"model":"gpt-3.5-turbo-instruct","max_tokens":10,"n":2,"best_of":5,"prompt":"Once"}"#
        #expect(
            Self.estimate(.openai, "/v1/completions", completion, model: nil).tokens == completion.utf8.count + 50
        )
        let gemini = #"{"contents":[],"generationConfig":{"maxOutputTokens":1000,"candidateCount":4}}"#
        #expect(
            Self.estimate(.gemini, "/v1beta/models/gemini-2.5-pro:generateContent", gemini, model: "gemini-2.5-pro")
                .tokens
                == gemini.utf8.count + 4000
        )
        let snake = #"{"contents":[],"generation_config":{"max_output_tokens":1000,"candidate_count":3}}"#
        #expect(
            Self.estimate(.gemini, "/v1beta/models/gemini-2.5-pro:generateContent", snake, model: "gemini-2.5-pro")
                .tokens
                == snake.utf8.count + 3000
        )
        // A count that is not a positive number asks for one answer; a huge one is bounded.
        let odd = #"{"model":"gpt-5.5","max_tokens":100,"n":-3,"messages":[]}"#
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", odd, model: "gpt-5.5").tokens == odd.utf8.count + 100
        )
        let huge = #"{"model":"gpt-5.5","max_tokens":1,"n":1e12,"messages":[]}"#
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", huge, model: "gpt-5.5").tokens
                == huge.utf8.count + TokenEstimate.maximumChoices
        )
    }

    /// With no output limit named, a catalogued model is held at its own maximum, and a model the
    /// catalog does not know at the most any catalogued model writes (before, 4,096).
    @Test func anOutputWithNoLimitIsHeldAtTheMostTheModelMayWrite() throws {
        let known = #"{"model":"gemini-2.5-pro","contents":[]}"#
        let model = try #require(ModelCatalog.model("gemini-2.5-pro"))
        let catalogued = Self.estimate(.gemini, "/v1beta/models/gemini-2.5-pro:generateContent", known, model: model.id)
        #expect(catalogued.tokens == known.utf8.count + model.maxOutputTokens)
        #expect(!catalogued.holdsUnlimitedOutput && catalogued.adjustableOutput != nil)
        let unknown = #"{"model":"o3","messages":[{"role":"user","content":"Write a novel"}]}"#
        let estimate = Self.estimate(.openai, "/v1/chat/completions", unknown, model: "o3")
        #expect(TokenEstimate.defaultMaximumOutput == ModelCatalog.all.map(\.maxOutputTokens).max())
        #expect(TokenEstimate.defaultMaximumOutput >= 100_000)
        #expect(estimate.tokens == unknown.utf8.count + TokenEstimate.defaultMaximumOutput)
        #expect(estimate.holdsUnlimitedOutput && estimate.refusalExplanation.contains("max_tokens"))
        let responses = #"{"model":"o3","input":"Write a novel"}"#
        #expect(
            Self.estimate(.openai, "/v1/responses", responses, model: "o3").tokens
                == responses.utf8.count + TokenEstimate.defaultMaximumOutput
        )
        // A request that asks no model to write (a moderation, speech) holds an answer's worth.
        let moderation = #"{"model":"omni-moderation-latest","input":"Is this fine?"}"#
        let other = Self.estimate(.openai, "/v1/moderations", moderation, model: "omni-moderation-latest")
        #expect(other.tokens == moderation.utf8.count + TokenEstimate.otherRequestOutput)
        #expect(!other.holdsUnlimitedOutput)
    }

    /// A token covers at least one byte, so a request never costs more input tokens than its
    /// bytes, whatever its text; nor more than the model's context window (a longer request is
    /// refused at no cost). Inline images are held at what a provider may charge for them.
    @Test func carriedInputIsHeldAtItsBytesImagesAndTheWindow() throws {
        let text = #"{"model":"claude-sonnet-4-6","max_tokens":1,"messages":[{"role":"user","content":"漢字とかな"}]}"#
        #expect(
            Self.estimate(.anthropic, "/v1/messages", text, model: "claude-sonnet-4-6").tokens == text.utf8.count + 1
        )
        let image =
            #"{"model":"gpt-5.5","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}"#
        // The image's text is left out; the image (its header too short to read) holds the most
        // an image may cost.
        let unread = InlineMedia(base64: "iVBORw0KGgo=")
        #expect(unread.kind == .unreadImage)
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", image, model: "gpt-5.5").tokens
                == image.utf8.count - unread.base64Length
                + (unread.worstCaseTokens(pricedBy: .openAI(model: "gpt-5.5")) ?? 0) + 1
        )
        let haiku = try #require(ModelCatalog.model("claude-haiku-4-5-20251001"))
        let long =
            #"{"model":"claude-haiku-4-5-20251001","max_tokens":1,"messages":[{"role":"user","content":""#
            + String(repeating: "a", count: haiku.contextWindow + 10) + #""}]}"#
        #expect(Self.estimate(.anthropic, "/v1/messages", long, model: haiku.id).tokens == haiku.contextWindow + 1)
        let pdf =
            #"{"model":"claude-haiku-4-5-20251001","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}"#
        let document = Self.estimate(.anthropic, "/v1/messages", pdf, model: haiku.id)
        #expect(document.tokens == haiku.contextWindow + 1 && document.unboundedInput == .inlineDocument)
    }

    /// A body too large to parse on the request path is held at the whole window, and its
    /// output limits and answer counts are still read (from its top level, each time named);
    /// limits that cannot be read so are held at the most answers.
    @Test func aBodyTooLargeToParseStillHasItsLimitsRead() throws {
        let model = try #require(ModelCatalog.model("gpt-5.5"))
        let text = String(repeating: "a", count: TokenEstimate.largestReadBody)
        let large =
            #"{"model":"gpt-5.5","n":4,"max_tokens":10,"messages":[{"role":"user","content":""#
            + text + #""}],"max_tokens":100}"#
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", large, model: model.id).tokens
                == model.contextWindow + 4 * 100
        )
        let escaped =
            #"{"model":"gpt-5.5","\u006e":4,"max_tokens":10,"messages":[{"role":"user","content":""# + text + #""}]}"#
        #expect(
            Self.estimate(.openai, "/v1/chat/completions", escaped, model: model.id).tokens
                == model.contextWindow + TokenEstimate.maximumChoices * model.maxOutputTokens
        )
    }

    @Test func anEmbeddingsRequestHoldsItsInputOnly() {
        let body = #"{"model":"text-embedding-3-small","input":"https://example.com/a.png","n":5}"#
        let estimate = Self.estimate(.openai, "/v1/embeddings", body, model: nil)
        #expect(estimate.tokens == body.utf8.count)
        #expect(estimate.unboundedInput == nil)
    }
}

/// A request that names no output limit and does not fit its budget is sent with the output that
/// fits, instead of being refused: its hold is fitted (``TokenEstimate/fitted(within:)``).
struct FittedTokenEstimateTests {
    @Test func aHoldThatFitsIsKeptWhole() throws {
        let body = #"{"model":"mock-unknown","messages":[{"role":"user","content":"Hi"}]}"#
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "mock-unknown")
        let kept = try #require(estimate.fitted(within: estimate.tokens))
        #expect(kept == estimate)
        #expect(kept.fittedOutputLimit == nil)
    }

    @Test func aRequestWithNoLimitIsFittedToTheRoomLeft() throws {
        let body = #"{"model":"mock-unknown","messages":[{"role":"user","content":"Hi"}]}"#
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "mock-unknown")
        #expect(estimate.tokens == body.utf8.count + TokenEstimate.defaultMaximumOutput)
        // Half of what is left after the input.
        let fitted = try #require(estimate.fitted(within: 10_000))
        let half = (10_000 - body.utf8.count) / 2
        #expect(fitted.fittedOutputLimit == half)
        #expect(fitted.tokens == body.utf8.count + half)
        // A known model's own maximum is fitted the same way.
        let known = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Hi"}]}"#
        let held = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", known, model: "gpt-5.5")
        #expect(try #require(held.fitted(within: 5_000)).fittedOutputLimit == (5_000 - known.utf8.count) / 2)
    }

    @Test func everyAnswerGetsAnEqualShare() throws {
        let body = #"{"model":"mock-unknown","n":4,"messages":[{"role":"user","content":"Hi"}]}"#
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "mock-unknown")
        let fitted = try #require(estimate.fitted(within: 10_000))
        let perAnswer = (10_000 - body.utf8.count) / 2 / 4
        #expect(fitted.fittedOutputLimit == perAnswer)
        #expect(fitted.tokens == body.utf8.count + perAnswer * 4)
        let gemini = #"{"contents":[],"generationConfig":{"candidateCount":2}}"#
        let geminiEstimate = TokenEstimateTests.estimate(
            .gemini,
            "/v1beta/models/mock-unknown:generateContent",
            gemini,
            model: "mock-unknown"
        )
        #expect(
            try #require(geminiEstimate.fitted(within: 4_000)).fittedOutputLimit == (4_000 - gemini.utf8.count) / 2 / 2
        )
    }

    @Test func tooLittleRoomForAnAnswerIsRefused() {
        let body = #"{"model":"mock-unknown","messages":[{"role":"user","content":"Hi"}]}"#
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "mock-unknown")
        let least = body.utf8.count + TokenEstimate.minimumFittedOutput
        #expect(estimate.fitted(within: least)?.fittedOutputLimit == TokenEstimate.minimumFittedOutput)
        // Half of what is left, unless that is under the least an answer gets.
        #expect(estimate.fitted(within: least + 200)?.fittedOutputLimit == TokenEstimate.minimumFittedOutput)
        #expect(
            estimate.fitted(within: least + 1_000)?.fittedOutputLimit == (TokenEstimate.minimumFittedOutput + 1_000) / 2
        )
        #expect(estimate.fitted(within: least - 1) == nil)
        #expect(estimate.fitted(within: -5) == nil)
        #expect(estimate.refusalExplanation.contains("fewer than \(TokenEstimate.minimumFittedOutput) tokens"))
    }

    @Test func aNamedLimitOrAnEndpointThatWritesNothingIsNeverFitted() {
        let named = #"{"model":"mock-unknown","max_tokens":50000,"messages":[{"role":"user","content":"Hi"}]}"#
        let limited = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", named, model: "mock-unknown")
        #expect(limited.adjustableOutput == nil)
        #expect(limited.fitted(within: 10_000) == nil)
        let geminiNamed = #"{"contents":[],"generation_config":{"max_output_tokens":90000}}"#
        let gemini = TokenEstimateTests.estimate(
            .gemini,
            "/v1beta/models/mock-unknown:generateContent",
            geminiNamed,
            model: "mock-unknown"
        )
        #expect(gemini.fitted(within: 10_000) == nil)
        let speech = #"{"model":"tts-1","input":"Hello","voice":"alloy"}"#
        let audio = TokenEstimateTests.estimate(.openai, "/v1/audio/speech", speech, model: "tts-1")
        #expect(audio.adjustableOutput == nil)
        // OpenAI's legacy completions write 16 tokens when no limit is named: never raised.
        let legacy = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Once upon a time"}"#
        let completion = TokenEstimateTests.estimate(.openai, "/v1/completions", legacy, model: nil)
        #expect(completion.adjustableOutput == nil && completion.fitted(within: 10_000) == nil)
        // A body that is not JSON cannot take a limit.
        let broken = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", "{not json", model: nil)
        #expect(broken.fitted(within: 1_000) == nil)
    }
}

/// Images and audio sent as base64 are held at what they may cost, not at their text: a
/// screenshot's megabyte of base64 held a million tokens, and no capped app could send one.
struct InlineMediaHoldTests {
    @Test func aLargeScreenshotHoldsWhatItsSizeMayCostNotItsBytes() throws {
        let data = TestImage.png(width: 1920, height: 1080, size: 1_000_000)
        let body =
            #"{"model":"claude-sonnet-4-6","max_tokens":100,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""#
            + data + #""}},{"type":"text","text":"What is this?"}]}]}"#
        let estimate = TokenEstimateTests.estimate(.anthropic, "/v1/messages", body, model: "claude-sonnet-4-6")
        let image = InlineMedia(base64: data)
        #expect(image.kind == .image(width: 1920, height: 1080))
        #expect(
            estimate.tokens == body.utf8.count - data.utf8.count + (image.worstCaseTokens(pricedBy: .anthropic) ?? 0)
                + 100
        )
        #expect(estimate.tokens < 60_000, "\(estimate.tokens)")
    }

    @Test func gpt4oMinisPricedImagesAreHeldAtItsPrice() throws {
        let data = TestImage.png(width: 64, height: 64, size: 200)
        let part = #"{"type":"image_url","image_url":{"url":"data:image/png;base64,"# + data + #""}}"#
        let body =
            #"{"model":"gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":["#
            + Array(repeating: part, count: 10).joined(separator: ",") + "]}]}"
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "gpt-4o-mini")
        // gpt-4o-mini charges 2,833 + 5,667 a tile: 8,500 for a small image, ten of them.
        #expect(estimate.tokens >= 85_000, "\(estimate.tokens)")
        let other = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "gpt-5.5")
        #expect(other.tokens < 50_000, "\(other.tokens)")
    }

    /// Azure OpenAI names an image model by its deployment, in the path: a deployment of DALL·E
    /// holds an answer's worth an image; any other is held as a GPT Image model (the body names
    /// no model there, and DALL·E would be the guess that could be overspent).
    @Test func anAzureDeploymentNamesTheImageModel() {
        let body = #"{"prompt":"a lighthouse","size":"1024x1024","n":2}"#
        func hold(_ deployment: String) -> Int {
            TokenEstimateTests.estimate(
                .azureOpenAI,
                "/openai/deployments/\(deployment)/images/generations",
                body,
                model: nil
            ).tokens
        }
        #expect(hold("dall-e-3") == body.utf8.count + 2 * TokenEstimate.otherRequestOutput)
        #expect(hold("images-prod") == body.utf8.count + 2 * 7_024)
        // OpenAI itself: no model named is DALL·E 2, its default.
        #expect(
            TokenEstimateTests.estimate(.openai, "/v1/images/generations", body, model: nil).tokens
                == body.utf8.count + 2 * TokenEstimate.otherRequestOutput
        )
    }

    /// An Imagen prediction draws `sampleCount` images, each billed: each holds an answer's worth.
    @Test func eachImageAnImagenPredictionDrawsIsHeld() {
        let body = #"{"instances":[{"prompt":"a lighthouse"}],"parameters":{"sampleCount":4}}"#
        let estimate = TokenEstimateTests.estimate(
            .gemini,
            "/v1beta/models/imagen-4.0-generate-001:predict",
            body,
            model: "imagen-4.0-generate-001"
        )
        #expect(estimate.tokens == body.utf8.count + 4 * TokenEstimate.otherRequestOutput)
    }

    /// Speech holds (and, its answer reporting no usage, is charged) by the text it reads aloud,
    /// not an answer's worth whatever its length.
    @Test func speechIsHeldByTheTextItReadsAloud() {
        let word = #"{"model":"gpt-4o-mini-tts","voice":"alloy","input":"Hello"}"#
        #expect(
            TokenEstimateTests.estimate(.openai, "/v1/audio/speech", word, model: "gpt-4o-mini-tts").tokens
                == word.utf8.count + 5 * TokenEstimate.speechTokensPerCharacter
        )
        let page = String(repeating: "Read this aloud. ", count: 200)
        let long = #"{"model":"tts-1","voice":"alloy","input":""# + page + #""}"#
        #expect(
            TokenEstimateTests.estimate(.openai, "/v1/audio/speech", long, model: "tts-1").tokens
                == long.utf8.count + page.count * TokenEstimate.speechTokensPerCharacter
        )
    }

    @Test func audioIsHeldByItsLengthNotItsText() {
        let audio = Data(count: 480_000).base64EncodedString()
        let body =
            #"{"model":"gpt-4o-audio-preview","max_tokens":10,"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"format":"wav","data":""#
            + audio + #""}}]}]}"#
        let estimate = TokenEstimateTests.estimate(.openai, "/v1/chat/completions", body, model: "gpt-4o-audio-preview")
        #expect(estimate.tokens == body.utf8.count - audio.utf8.count + 480_000 / 16 + 1 + 10)
        let gemini =
            #"{"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"audio/mp3","data":""#
            + audio + #""}}]}],"generationConfig":{"maxOutputTokens":10}}"#
        let geminiEstimate = TokenEstimateTests.estimate(
            .gemini,
            "/v1beta/models/gemini-2.5-flash:generateContent",
            gemini,
            model: "gemini-2.5-flash"
        )
        #expect(geminiEstimate.tokens == gemini.utf8.count - audio.utf8.count + 480_000 / 16 + 1 + 10)
        // An audio file uploaded to be transcribed: multipart, held by its bytes' length too.
        let upload = TokenEstimate.worstCase(
            for: ProxyRequest(
                provider: .openai,
                method: "POST",
                pathAndQuery: "/v1/audio/transcriptions",
                headers: [("content-type", "multipart/form-data; boundary=x")],
                body: ByteBuffer(repeating: 7, count: 1_600_000)
            ),
            model: nil,
            servedBy: .openai
        )
        #expect(upload.tokens == 1_600_000 / 16 + 1 + TokenEstimate.otherRequestOutput)
    }
}
