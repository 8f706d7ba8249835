import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A token budget's hold covers what the provider may charge, not only what the request carries.
/// Before, an app under a cap (or a stranger with a gift) could name a stored file, a document at
/// a URL or an earlier response in a request of a few hundred bytes, or ask for many answers at
/// once: the hold was the request's bytes and one answer's output, the provider charged the
/// document's tokens or every answer's, and concurrent requests overran the cap together. Now
/// such a request holds the model's context window (and every answer's output): refused under a
/// budget that cannot hold it, served and settled to what the provider counted under one that
/// can. The mock charges each named document 50,000 tokens, as a provider reads it.
@Suite(.timeLimit(.minutes(2)))
struct UnboundedInputHoldTests {
    static let app = "Bridge test"

    /// A request that names its input, and the same request carrying it.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let provider: ProviderID
        let path: String
        let named: String
        let carried: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "an Anthropic document at a URL",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            named:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://example.com/report.pdf"}},{"type":"text","text":"Summarize"}]}]}"#,
            carried:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The report."}},{"type":"text","text":"Summarize"}]}]}"#
        ),
        Case(
            name: "an Anthropic file by id",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            named:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"file_011"}},{"type":"text","text":"Summarize"}]}]}"#,
            carried:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":"Summarize the report."}]}"#
        ),
        Case(
            name: "an OpenAI earlier response",
            provider: .openai,
            path: "/openai/v1/responses",
            named:
                #"{"model":"gpt-5.5","max_output_tokens":40,"previous_response_id":"resp_mock_1","input":"And then?"}"#,
            carried: #"{"model":"gpt-5.5","max_output_tokens":40,"input":"And then?"}"#
        ),
        Case(
            name: "a Gemini file by URI",
            provider: .gemini,
            path: "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
            named:
                #"{"contents":[{"role":"user","parts":[{"file_data":{"file_uri":"https://www.youtube.com/watch?v=mock","mime_type":"video/mp4"}},{"text":"Summarize"}]}],"generationConfig":{"maxOutputTokens":40}}"#,
            carried:
                #"{"contents":[{"role":"user","parts":[{"text":"Summarize the video's transcript."}]}],"generationConfig":{"maxOutputTokens":40}}"#
        ),
        Case(
            name: "an Anthropic PDF sent inline",
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            named:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}},{"type":"text","text":"Summarize"}]}]}"#,
            carried:
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":"Summarize the report."}]}"#
        ),
        Case(
            name: "a Gemini video sent inline",
            provider: .gemini,
            path: "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
            named:
                #"{"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"video/mp4","data":"AAAAIGZ0eXA="}},{"text":"Summarize"}]}],"generationConfig":{"maxOutputTokens":40}}"#,
            carried:
                #"{"contents":[{"role":"user","parts":[{"text":"Summarize the video's transcript."}]}],"generationConfig":{"maxOutputTokens":40}}"#
        ),
        Case(
            name: "a Cohere image at a URL",
            provider: .cohere,
            path: "/cohere/v2/chat",
            named:
                #"{"model":"command-a-03-2025","max_tokens":40,"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#,
            carried:
                #"{"model":"command-a-03-2025","max_tokens":40,"messages":[{"role":"user","content":"What is this?"}]}"#
        ),
    ]

    static func chats(_ bridge: BridgeFixture) -> Int {
        bridge.upstreamRequests.withLock { requests in
            requests.filter { $0.method == "POST" && !$0.path.hasSuffix("/models") }.count
        }
    }

    @Test(arguments: cases)
    func aCapThatCannotHoldTheNamedInputRefusesTheRequest(_ check: Case) async throws {
        try await BridgeFixture.with(grant: [check.provider]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let auth = bridge.authHeader(for: check.provider)
            let refused = try await bridge.send(.POST, check.path, body: check.named, headers: [auth])
            #expect(refused.status == 429, "\(check): \(refused.text)")
            #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED", "\(check)")
            #expect(refused.text.contains("context window"), "\(check): \(refused.text)")
            #expect(Self.chats(bridge) == 0, "\(check): the provider was reached")
            // The same request carrying its input is served, within the cap.
            let served = try await bridge.send(.POST, check.path, body: check.carried, headers: [auth])
            #expect(served.status == 200, "\(check): \(served.text)")
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            // Its text, and an image it carries at the mock's price for one.
            #expect(used > 0 && used < 1_000 + MockProvider.inlineMediaTokens, "\(check): \(used)")
        }
    }

    /// A token covers at least one byte, and text can cost that much (ordinary text costs about a
    /// token for four bytes): carried input is held at its bytes. Before, a hostile app's dense
    /// text under a cap was held at a quarter of what it could cost.
    @Test func carriedTextIsHeldAtATokenPerByte() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 10_000, period: .lifetime)
            let auth = bridge.authHeader(for: .anthropic)
            func ask(_ characters: Int) -> String {
                #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":""#
                    + String(repeating: "漢", count: characters) + #""}]}"#
            }
            let dense = try await bridge.send(.POST, "/anthropic/v1/messages", body: ask(4_000), headers: [auth])
            #expect(dense.status == 429, "\(dense.text)")
            #expect(dense.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(Self.chats(bridge) == 0)
            let fits = try await bridge.send(.POST, "/anthropic/v1/messages", body: ask(2_000), headers: [auth])
            #expect(fits.status == 200, "\(fits.text)")
        }
    }

    /// Under a cap that can hold it, the request is served and charged what the provider counted
    /// (the named document's tokens too), and its hold is given back.
    @Test func aCapThatCanHoldTheNamedInputIsChargedWhatTheProviderCounted() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let check = Self.cases[0]
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 5_000_000, period: .lifetime)
            let auth = bridge.authHeader(for: .anthropic)
            let served = try await bridge.send(.POST, check.path, body: check.named, headers: [auth])
            #expect(served.status == 200, "\(served.text)")
            let usage = try #require(served.json["usage"] as? [String: Any])
            let counted = (usage["input_tokens"] as? Int ?? 0) + (usage["output_tokens"] as? Int ?? 0)
            #expect(counted > MockProvider.referencedDocumentTokens)
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == counted)
            // Three more at once: each holds a context window, and 5M holds all three.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await bridge.send(.POST, check.path, body: check.named, headers: [auth]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == [200, 200, 200])
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 4 * counted)
        }
    }

    /// An app routed by a group to another family is held at the target model's window when the
    /// target prices what the request names without bound (Gemini, an image at a URL: 258 tokens
    /// a tile of whatever size it is).
    @Test func aRoutedRequestIsHeldAtTheTargetModelsWindow() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .gemini]) { bridge in
            try await bridge.wallet.addGroup(name: "flash", provider: .gemini, model: "gemini-2.5-flash")
            try await bridge.wallet.assign(app: Self.app, toGroup: "flash")
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let auth = bridge.authHeader(for: .anthropic)
            let refused = try await bridge.send(.POST, Self.cases[0].path, body: Self.claudeImageAtURL, headers: [auth])
            #expect(refused.status == 429, "\(refused.text)")
            #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(refused.text.contains("context window"), "\(refused.text)")
            #expect(Self.chats(bridge) == 0)
            let text = #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":"Hi"}]}"#
            let served = try await bridge.send(.POST, Self.cases[0].path, body: text, headers: [auth])
            #expect(served.status == 200, "\(served.text)")
        }
    }

    static let claudeImageAtURL =
        #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"text","text":"What is this?"}]}]}"#

    /// An image the provider fetches from a URL is held at the most an image costs where it is
    /// served: OpenAI's largest (30,000 patches at up to 2.46 tokens), Anthropic's (6,700). Before,
    /// it held the model's whole context window, so no app with a cap below a window (400,000
    /// for gpt-5.5) could send a picture by its URL.
    @Test func anImageAtAURLIsHeldAtTheMostItsProviderChargesForOne() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            let gpt =
                #"{"model":"gpt-5.5","max_tokens":40,"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#
            let auth = bridge.authHeader(for: .openai)
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let refused = try await bridge.send(.POST, "/openai/v1/chat/completions", body: gpt, headers: [auth])
            #expect(refused.status == 429, "\(refused.text)")
            #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(!refused.text.contains("context window"), "\(refused.text)")
            #expect(Self.chats(bridge) == 0)
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let served = try await bridge.send(.POST, "/openai/v1/chat/completions", body: gpt, headers: [auth])
            #expect(served.status == 200, "\(served.text)")
            // Charged what the provider counted: the text and the image at the mock's price.
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used > MockProvider.inlineMediaTokens && used < 2 * MockProvider.inlineMediaTokens, "\(used)")
        }
        try await BridgeFixture.with(grant: [.anthropic, .openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 10_000, period: .lifetime)
            let auth = bridge.authHeader(for: .anthropic)
            let served = try await bridge.send(
                .POST,
                "/anthropic/v1/messages",
                body: Self.claudeImageAtURL,
                headers: [auth]
            )
            #expect(served.status == 200, "\(served.text)")
            // The same request routed to OpenAI is priced there: more than 10,000 may be charged.
            try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: "gpt-5.5")
            try await bridge.wallet.assign(app: Self.app, toGroup: "gpt")
            let before = Self.chats(bridge)
            let refused = try await bridge.send(
                .POST,
                "/anthropic/v1/messages",
                body: Self.claudeImageAtURL,
                headers: [auth]
            )
            #expect(refused.status == 429, "\(refused.text)")
            #expect(Self.chats(bridge) == before)
        }
    }

    /// Gemini 3 and later price an image by its media resolution, at most 2,240 tokens whatever
    /// its size: an image file it reads holds that much (before, the model's whole context
    /// window, refused under any cap below a million tokens). Gemini 2.5 counts tiles of the
    /// image as sent, however large: such a file still holds the window there.
    @Test func anImageFileIsHeldAtWhatGemini3ChargesForOne() async throws {
        try await BridgeFixture.with(grant: [.gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 20_000, period: .lifetime)
            let body =
                #"{"contents":[{"role":"user","parts":[{"file_data":{"file_uri":"https://generativelanguage.googleapis.com/v1beta/files/photo","mime_type":"image/jpeg"}},{"text":"What is this?"}]}],"generationConfig":{"maxOutputTokens":40}}"#
            let auth = bridge.authHeader(for: .gemini)
            let older = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                body: body,
                headers: [auth]
            )
            #expect(older.status == 429 && older.text.contains("context window"), "\(older.text)")
            let served = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/gemini-3-flash-preview:generateContent",
                body: body,
                headers: [auth]
            )
            #expect(served.status == 200, "\(served.text)")
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used > MockProvider.inlineMediaTokens && used < 2 * MockProvider.inlineMediaTokens, "\(used)")
        }
    }

    /// What the newest models count for an image is held for it: gpt-5.4 and later count a
    /// large photo's patches up to 10,000 (30,000 for gpt-5.6), where holds stopped at 1,536
    /// (3,779 tokens); Gemini 3 prices every image at up to 2,240 however small, where a small
    /// image held 258. A cap would have let such requests spend past it.
    @Test func anImageIsHeldAtWhatTheNewestModelsCountForIt() async throws {
        try await BridgeFixture.with(grant: [.openai, .gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 20_000, period: .lifetime)
            let photo = TestImage.png(width: 4000, height: 3000, size: 5_000)
            let large =
                #"{"model":"gpt-5.5","max_tokens":40,"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,"#
                + photo + #""}}]}]}"#
            let refused = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: large,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(refused.status == 429, "\(refused.text)")
            let small = TestImage.png(width: 64, height: 64, size: 200)
            let part = #"{"inline_data":{"mime_type":"image/png","data":""# + small + #""}}"#
            let many =
                #"{"contents":[{"role":"user","parts":["# + Array(repeating: part, count: 10).joined(separator: ",")
                + #",{"text":"What are these?"}]}],"generationConfig":{"maxOutputTokens":40}}"#
            let gemini = "/gemini/v1beta/models/gemini-3-flash-preview:generateContent"
            let auth = bridge.authHeader(for: .gemini)
            #expect(try await bridge.send(.POST, gemini, body: many, headers: [auth]).status == 429)
            #expect(Self.chats(bridge) == 0)
            // Within what they may cost, both are served.
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            #expect(try await bridge.send(.POST, gemini, body: many, headers: [auth]).status == 200)
            let served = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: large,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(served.status == 200, "\(served.text)")
        }
    }

    /// Several answers each write up to the output limit: `n` and Gemini's `candidateCount` are
    /// held for all of them.
    @Test func everyAnswerARequestAsksForIsHeld() async throws {
        try await BridgeFixture.with(grant: [.openai, .gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 5_000, period: .lifetime)
            let many: [(ProviderID, String, String)] = [
                (
                    .openai, "/openai/v1/chat/completions",
                    #"{"model":"gpt-5.5","max_tokens":100,"n":64,"messages":[{"role":"user","content":"Hi"}]}"#
                ),
                (
                    .gemini, "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                    #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":1000,"candidateCount":8}}"#
                ),
            ]
            for (provider, path, body) in many {
                let refused = try await bridge.send(
                    .POST,
                    path,
                    body: body,
                    headers: [bridge.authHeader(for: provider)]
                )
                #expect(refused.status == 429, "\(path): \(refused.text)")
                #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED", "\(path)")
            }
            #expect(Self.chats(bridge) == 0)
            let one = #"{"model":"gpt-5.5","max_tokens":100,"n":1,"messages":[{"role":"user","content":"Hi"}]}"#
            let served = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: one,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(served.status == 200, "\(served.text)")
        }
    }

    /// A model the wallet does not know, asked with no output limit, may write as much as any
    /// model: that much is held (before, 4,096 tokens, while such a model could write 100,000).
    /// Under a cap that holds it the request goes as it is; under one a token smaller, it is sent
    /// with the output the cap has left (``FittedOutputTests``).
    @Test func anUnlimitedOutputOfAnUnknownModelIsHeldInFull() async throws {
        let unlimited = #"{"model":"mock-unknown-model","messages":[{"role":"user","content":"Write a novel"}]}"#
        // The most a catalogued model writes.
        let most = try #require(ModelCatalog.all.map(\.maxOutputTokens).max())
        let whole = unlimited.utf8.count + most
        // A token less, and the answer gets half of what is left after the input.
        for (cap, fitted) in [(whole, nil), (whole - 1, (most - 1) / 2)] {
            try await BridgeFixture.with(grant: [.openai]) { bridge in
                try await bridge.wallet.setAllowance(app: Self.app, tokens: cap, period: .lifetime)
                let served = try await bridge.send(
                    .POST,
                    "/openai/v1/chat/completions",
                    body: unlimited,
                    headers: [bridge.authHeader(for: .openai)]
                )
                #expect(served.status == 200, "\(served.text)")
                #expect(served.header("x-byoky-output-limit") == fitted.map(String.init), "cap \(cap)")
            }
        }
    }

    /// An image sent inline is held at what its size may cost, not at its base64 text: a vision
    /// app under a cap of 100,000 tokens could not send one screenshot (its megabyte of text held
    /// a million), and now it can, in every family; gpt-4o-mini's priced images are held at its
    /// price (2,833 + 5,667 a tile), so ten small ones do not fit a cap of 50,000.
    @Test func anInlineImageIsHeldAtWhatItsSizeMayCost() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai, .gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let screenshot = TestImage.png(width: 1920, height: 1080, size: 1_000_000)
            let requests: [(ProviderID, String, String)] = [
                (
                    .anthropic, "/anthropic/v1/messages",
                    #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""#
                        + screenshot + #""}},{"type":"text","text":"What is this?"}]}]}"#
                ),
                (
                    .openai, "/openai/v1/chat/completions",
                    #"{"model":"gpt-5.5","max_tokens":40,"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,"#
                        + screenshot + #""}}]}]}"#
                ),
                (
                    .gemini, "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                    #"{"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"image/png","data":""#
                        + screenshot + #""}},{"text":"What is this?"}]}],"generationConfig":{"maxOutputTokens":40}}"#
                ),
            ]
            for (provider, path, body) in requests {
                let served = try await bridge.send(.POST, path, body: body, headers: [bridge.authHeader(for: provider)])
                #expect(served.status == 200, "\(provider): \(served.text.prefix(300))")
            }
        }
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let small = TestImage.png(width: 64, height: 64, size: 200)
            let part = #"{"type":"image_url","image_url":{"url":"data:image/png;base64,"# + small + #""}}"#
            func ask(_ model: String) -> String {
                #"{"model":""# + model + #"","max_tokens":10,"messages":[{"role":"user","content":["#
                    + Array(repeating: part, count: 10).joined(separator: ",") + "]}]}"
            }
            let auth = bridge.authHeader(for: .openai)
            let refused = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: ask("gpt-4o-mini"),
                headers: [auth]
            )
            #expect(refused.status == 429, "\(refused.text)")
            #expect(Self.chats(bridge) == 0)
            let served = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: ask("gpt-5.5"),
                headers: [auth]
            )
            #expect(served.status == 200, "\(served.text)")
        }
        // A phone's photo (HEIC, which Gemini takes) is held at its size's price; before, its
        // size went unread and two megabytes of it held half a million tokens.
        try await BridgeFixture.with(grant: [.gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let photo = Data(TestImage.heif(brand: "heic", width: 4032, height: 3024, size: 2_000_000))
            let body =
                #"{"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"image/heic","data":""#
                + photo.base64EncodedString()
                + #""}},{"text":"What is this?"}]}],"generationConfig":{"maxOutputTokens":40}}"#
            let served = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                body: body,
                headers: [bridge.authHeader(for: .gemini)]
            )
            #expect(served.status == 200, "\(served.text.prefix(300))")
        }
    }

    /// An audio file uploaded for transcription holds a token for 16 of its bytes (before, one a
    /// byte: a minute of audio could not be transcribed under a cap of 100,000), and whisper's
    /// answer, billed by the audio's length, is charged 32 tokens a second of it (before, its
    /// whole hold); a format with no usage is charged the hold.
    @Test func aTranscriptionIsHeldByItsAudioAndChargedByItsLength() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let audio = 960_000  // a minute at 128 kbit/s, as the mock reads it
            func upload(format: String?) -> String {
                var fields = [("model", "whisper-1")]
                if let format { fields.append(("response_format", format)) }
                var body = ""
                for (name, value) in fields {
                    body += "--mockboundary\r\ncontent-disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--mockboundary\r\ncontent-disposition: form-data; name=\"file\"; filename=\"talk.mp3\"\r\n"
                body += "content-type: audio/mpeg\r\n\r\n" + String(repeating: "a", count: audio)
                return body + "\r\n--mockboundary--\r\n"
            }
            let headers = [
                bridge.authHeader(for: .openai), ("content-type", "multipart/form-data; boundary=mockboundary"),
            ]
            let path = "/openai/v1/audio/transcriptions"
            let json = try await bridge.send(.POST, path, body: upload(format: nil), headers: headers)
            #expect(json.status == 200, "\(json.text)")
            #expect(json.json["text"] as? String == "Mock transcript of 60 seconds.")
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 60 * 32)
            let text = upload(format: "text")
            let plain = try await bridge.send(.POST, path, body: text, headers: headers)
            #expect(plain.status == 200, "\(plain.text)")
            let used = try await bridge.wallet.allowanceStatuses().first?.used
            #expect(used == 60 * 32 + text.utf8.count / 16 + 1 + 4_096, "\(String(describing: used))")
        }
    }

    /// An upload whose headers tell its length as a decoder reads it (WAV, MP3) holds by that length, and a
    /// transcript with no usage is charged it: a minute of WAV (1.9 MB) as plain text is charged
    /// its minute at 32 tokens a second; before, it held 124,000 tokens by its bytes (refused
    /// under a cap of 100,000) and would have been charged all of them.
    @Test func aTranscriptIsChargedByItsAudiosLengthWhenItReportsNoUsage() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            func upload(_ audio: [UInt8], model: String, filename: String) -> [UInt8] {
                var body: [UInt8] = []
                for (name, value) in [("model", model), ("response_format", "text")] {
                    body += Array("--b\r\ncontent-disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
                }
                body += Array(
                    "--b\r\ncontent-disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n\r\n".utf8
                )
                return body + audio + Array("\r\n--b--\r\n".utf8)
            }
            let headers = [bridge.authHeader(for: .openai), ("content-type", "multipart/form-data; boundary=b")]
            let fields = "whisper-1".utf8.count + "text".utf8.count
            var charged = 0
            for (audio, filename) in [
                (TestAudio.wav(seconds: 60), "talk.wav"), (TestAudio.mp3(frames: 2_297), "talk.mp3"),
                (TestAudio.ogg(seconds: 60), "note.ogg"), (TestAudio.webm(seconds: 60), "recording.webm"),
            ] {
                let plain = try await bridge.send(
                    .POST,
                    "/openai/v1/audio/transcriptions",
                    bytes: upload(audio, model: "whisper-1", filename: filename),
                    headers: headers
                )
                #expect(plain.status == 200, "\(filename): \(plain.text)")
                // 2,297 MP3 frames are 60.003 seconds: 61 whole ones; the Ogg's granule counts
                // its encoder's pre-skip too (60.0065 seconds). Opus is read packet by packet: a
                // browser's recording (WebM) and a voice note (Ogg) were held by their bytes,
                // four times their length's worth at these bitrates.
                let seconds = filename.hasSuffix(".mp3") || filename.hasSuffix(".ogg") ? 61 : 60
                let reading = AudioDuration.seconds(of: audio)
                #expect(reading.map { Int($0.rounded(.up)) } == seconds, "\(filename)")
                #expect(audio.count / 16 > 2 * seconds * 32, "\(filename): the bytes' hold is larger")
                charged += fields + seconds * 32 + 1
                let used = try await bridge.wallet.allowanceStatuses().first?.used
                #expect(used == charged, "\(filename): \(String(describing: used))")
            }
            // A hostile app that states a length a decoder ignores (a WAV's byte rate of a
            // megabyte a second: a decoder plays by its sample rate) is held by its bytes: the
            // minute is refused under this cap rather than charged two seconds.
            var forged = TestAudio.wav(seconds: 60)
            forged[28..<32] = [0x00, 0x00, 0x10, 0x00]
            let refused = try await bridge.send(
                .POST,
                "/openai/v1/audio/transcriptions",
                bytes: upload(forged, model: "whisper-1", filename: "forged.wav"),
                headers: headers
            )
            #expect(refused.status == 429, "\(refused.text)")
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == charged)
        }
    }

    /// The official OpenAI SDK sends a browser's recording (Chromium's `MediaRecorder`: a live
    /// WebM of Opus, 2.46 seconds) for a plain-text transcript, which reports no usage, through
    /// the bridge under a cap: it is charged its length (three whole seconds at 32 tokens, and
    /// its fields), not its bytes.
    @Test(.enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
    func theOfficialSDKsTranscriptOfABrowserRecordingIsChargedItsLength() async throws {
        let recording = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ByokyCoreTests/Fixtures/audio/chromium-mediarecorder.webm")
        let bytes = [UInt8](try Data(contentsOf: recording))
        let seconds = try #require(AudioDuration.seconds(of: bytes))
        #expect(Int(seconds.rounded(.up)) == 3)
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let result = try await SDKClient.transcribe(
                baseURL: "http://127.0.0.1:\(bridge.port)/openai/v1",
                apiKey: bridge.sessionKey,
                model: "whisper-1",
                path: recording.path,
                filename: "recording.webm"
            )
            #expect(result["error_status"] == nil && result["worker_error"] == nil, "\(result)")
            #expect((result["text"] as? String)?.hasPrefix("Mock transcript") == true, "\(result)")
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            let fields = "whisper-1".utf8.count + "text".utf8.count
            #expect(used == fields + 3 * 32 + 1, "\(used)")
            #expect(used < bytes.count / 16)
        }
    }

    /// Speech holds by the text it reads aloud, and its answer (audio, no usage) is charged that
    /// hold: ten words fit a cap of 10,000 (before, each held and was charged 4,096 and more, so
    /// two did).
    @Test func speechIsChargedByTheTextItReadsAloud() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 10_000, period: .lifetime)
            let body = #"{"model":"gpt-4o-mini-tts","voice":"alloy","input":"Hello"}"#
            for _ in 0..<10 {
                let spoken = try await bridge.send(
                    .POST,
                    "/openai/v1/audio/speech",
                    body: body,
                    headers: [bridge.authHeader(for: .openai)]
                )
                #expect(spoken.status == 200 && spoken.header("content-type") == "audio/mpeg", "\(spoken.text)")
                #expect(spoken.body.count == 5_000)
            }
            let used = try await bridge.wallet.allowanceStatuses().first?.used
            #expect(used == 10 * (body.utf8.count + 5 * 4), "\(String(describing: used))")
        }
    }

    /// A gift's budget is held the same way by the giver: a stranger cannot spend past it by
    /// naming a document.
    @Test func aGiftThatCannotHoldTheNamedInputRefusesTheRequest() async throws {
        try await GiftFixture.with(budget: 100_000) { fixture in
            let check = Self.cases[0]
            let refused = await fixture.receiverCall(.anthropic, "/v1/messages", body: check.named)
            let text = String(buffer: try await refused.body.collect(upTo: 1_048_576))
            #expect(refused.status == 429, "\(text)")
            #expect(
                refused.headers.first { $0.name == "x-byoky-error-code" }?.value == "GIFT_BUDGET_EXHAUSTED",
                "\(text)"
            )
            #expect(text.contains("context window"), "\(text)")
            #expect(fixture.upstreamRequests.withLock { $0.isEmpty })
            let served = await fixture.receiverCall(.anthropic, "/v1/messages", body: check.carried)
            _ = try await served.body.collect(upTo: 1_048_576)
            #expect(served.status == 200)
            #expect(try await fixture.giverUsedOnceCounted() > 0)
        }
    }

    /// An image at a URL sent through a gift is held against its budget at the most an image
    /// costs at the gift's provider (before, the whole context window: refused under any budget
    /// smaller than one), and charged what the provider counted.
    @Test func aGiftHoldsAnImageAtAURLAtTheMostOneCosts() async throws {
        try await GiftFixture.with(budget: 20_000) { fixture in
            let served = await fixture.receiverCall(.anthropic, "/v1/messages", body: Self.claudeImageAtURL)
            let text = String(buffer: try await served.body.collect(upTo: 1_048_576))
            #expect(served.status == 200, "\(text)")
            let used = try await fixture.giverUsedOnceCounted()
            #expect(used > MockProvider.inlineMediaTokens && used < 2 * MockProvider.inlineMediaTokens, "\(used)")
        }
    }
}
