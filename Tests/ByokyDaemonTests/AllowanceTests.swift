import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite(.timeLimit(.minutes(2)))
struct AllowanceTests {
    static let body = #"{"model":"claude-sonnet-4-6","max_tokens":40,"messages":[{"role":"user","content":"Hi"}]}"#

    /// The test app's Anthropic request with `body`.
    static func ask(_ bridge: BridgeFixture, body: String = body) async throws -> BridgeFixture.Exchange {
        try await bridge.send(
            .POST,
            "/anthropic/v1/messages",
            body: body,
            headers: [bridge.authHeader(for: .anthropic)]
        )
    }

    @Test func sixtyFourConcurrentRequestsNeverOvershootACap() async throws {
        try await BridgeFixture.with { bridge in
            let cap = 600
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: cap, period: .lifetime)
            let statuses = try await withThrowingTaskGroup(of: BridgeFixture.Exchange.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        try await Self.ask(bridge)
                    }
                }
                var exchanges: [BridgeFixture.Exchange] = []
                for try await exchange in group { exchanges.append(exchange) }
                return exchanges
            }
            let served = statuses.filter { $0.status == 200 }
            let refused = statuses.filter { $0.status == 429 }
            #expect(served.count + refused.count == 64)
            #expect(!served.isEmpty)
            #expect(!refused.isEmpty)
            #expect(refused.allSatisfy { $0.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED" })
            #expect(((refused.first?.json["error"] as? [String: Any])?["type"] as? String) == "rate_limit_error")
            let used = try await bridge.wallet.store.tokensUsed(app: "Bridge test", provider: "", since: 0)
            #expect(used <= cap)
            #expect(used > 0)
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == used)
        }
    }

    /// An app cannot shrink its reservation by naming its output limit twice (a provider's
    /// parser may keep either) or spelling it with an escape: the largest counts, and a cap
    /// the larger would overrun refuses the request before it goes upstream.
    @Test func anOutputLimitNamedTwiceCountsAtItsLargest() async throws {
        let messages = #""messages":[{"role":"user","content":"Hi"}]"#
        let spellings = [
            #"{"model":"claude-sonnet-4-6","max_tokens":40,"max_tokens":100000,"# + messages + "}",
            #"{"model":"claude-sonnet-4-6","max_tokens":100000,"max_tokens":40,"# + messages + "}",
            #"{"model":"claude-sonnet-4-6","max_tokens":40,"max_tok\u0065ns":100000,"# + messages + "}",
            #"{"model":"claude-sonnet-4-6","max_tokens":40,"max_output_tokens":100000,"# + messages + "}",
        ]
        try await BridgeFixture.with { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 600, period: .lifetime)
            for body in spellings {
                let refused = try await Self.ask(bridge, body: body)
                #expect(refused.status == 429, "\(body)")
                #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED", "\(body)")
            }
            // A limit that fits, named once, is served.
            let served = try await Self.ask(bridge)
            #expect(served.status == 200)
        }
    }

    /// Requests that spend no tokens (model lists and look-ups, token counts) hold nothing of a
    /// cap and are never refused by one, in every family: their answers carry no usage, and
    /// before, each was charged a whole answer's worth (4,097 tokens for a model list), so an
    /// app with a small cap was refused after listing its models once.
    @Test func requestsThatSpendNoTokensLeaveTheCapWhole() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai, .gemini, .cohere]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 5_000, period: .lifetime)
            let count = #"{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"How long is this?"}]}"#
            let gemini = #"{"contents":[{"role":"user","parts":[{"text":"How long is this?"}]}]}"#
            let costless: [(HTTPMethod, String, String?, ProviderID)] = [
                (.GET, "/anthropic/v1/models", nil, .anthropic),
                (.GET, "/anthropic/v1/models/claude-sonnet-4-6", nil, .anthropic),
                (.POST, "/anthropic/v1/messages/count_tokens", count, .anthropic),
                (.GET, "/openai/v1/models", nil, .openai),
                (.GET, "/gemini/v1beta/models", nil, .gemini),
                (.POST, "/gemini/v1beta/models/gemini-2.5-flash:countTokens", gemini, .gemini),
                (.GET, "/cohere/v1/models", nil, .cohere),
            ]
            for round in 0..<3 {
                for (method, path, body, provider) in costless {
                    let answer = try await bridge.send(
                        method,
                        path,
                        body: body,
                        headers: [bridge.authHeader(for: provider)]
                    )
                    #expect(answer.status == 200, "round \(round) \(path): \(answer.text)")
                    #expect(answer.header("x-byoky-error-code") != "ALLOWANCE_EXCEEDED", "round \(round) \(path)")
                }
            }
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 0)
            // The counts reached the provider and came back.
            let counted = try await bridge.send(
                .POST,
                "/anthropic/v1/messages/count_tokens",
                body: count,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect((counted.json["input_tokens"] as? Int ?? 0) > 0, "\(counted.text)")
            // The whole cap is still there for a chat.
            #expect(try await Self.ask(bridge).status == 200)
        }
    }

    /// OpenAI's moderations are free (their answers carry no usage): they hold nothing of a cap
    /// and are never refused by one. Before, each check was charged its whole hold, its bytes and
    /// an answer's worth: an app capped at 10,000 tokens could check two messages.
    @Test func openAIsFreeModerationsLeaveTheCapWhole() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 10_000, period: .lifetime)
            let bodies = [
                #"{"model":"omni-moderation-latest","input":"Is this message fine?"}"#,
                #"{"input":["one","two"]}"#,
                #"{"model":"omni-moderation-latest","input":[{"type":"text","text":"and this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}"#,
            ]
            for round in 0..<3 {
                for body in bodies {
                    let checked = try await bridge.send(
                        .POST,
                        "/openai/v1/moderations",
                        body: body,
                        headers: [bridge.authHeader(for: .openai)]
                    )
                    #expect(checked.status == 200, "round \(round): \(checked.text)")
                    #expect((checked.json["results"] as? [[String: Any]])?.first?["flagged"] as? Bool == false)
                }
            }
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 0)
            #expect(try await bridge.wallet.log(limit: 20).filter { $0.path.hasSuffix("/moderations") }.count == 9)
        }
    }

    /// A file upload spends no tokens: it holds nothing of a cap and is never refused by one.
    /// Before, it held a token for every four bytes plus a whole answer, and (its answer reporting
    /// no usage) was charged all of it: an app capped at 1,000 tokens could not upload 64 KiB.
    @Test func aFileUploadLeavesTheCapWhole() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 1_000, period: .lifetime)
            let boundary = "byoky-test-boundary"
            let content = String(repeating: #"{"prompt":"a line of a batch file"}"# + "\n", count: 2_000)
            let body =
                "--\(boundary)\r\ncontent-disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--\(boundary)\r\ncontent-disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\n"
                + "content-type: application/jsonl\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
            #expect(content.utf8.count > 64 * 1024)
            for _ in 0..<2 {
                let uploaded = try await bridge.send(
                    .POST,
                    "/openai/v1/files",
                    body: body,
                    headers: [
                        bridge.authHeader(for: .openai),
                        ("content-type", "multipart/form-data; boundary=\(boundary)"),
                    ]
                )
                #expect(uploaded.status == 200, "\(uploaded.text)")
                #expect(uploaded.json["bytes"] as? Int == content.utf8.count, "\(uploaded.text)")
            }
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 0)
            // The whole cap is still there for a chat.
            let answer = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: #"{"model":"gpt-5.5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(answer.status == 200, "\(answer.text)")
        }
    }

    /// Reading back what the provider keeps (a stored response, a stored chat completion),
    /// changing a stored completion's metadata and adding to a conversation spend no tokens: none
    /// holds or is charged anything of a cap, and none adds to the app's usage. Before, each read
    /// of a stored answer was charged that answer's usage again (the provider sends it back with
    /// the answer), and a conversation's items were charged a whole hold.
    @Test func readingBackWhatTheProviderKeepsChargesNothing() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            let openAI = bridge.authHeader(for: .openai)
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 20_000, period: .lifetime)
            let response = try await bridge.send(
                .POST,
                "/openai/v1/responses",
                body: #"{"model":"gpt-5.5","max_output_tokens":64,"input":"Write a line about the sea."}"#,
                headers: [openAI]
            )
            let completion = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: #"{"model":"gpt-5.5","store":true,"max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [openAI]
            )
            #expect(response.status == 200, "\(response.text)")
            #expect(completion.status == 200, "\(completion.text)")
            let responseID = try #require(response.json["id"] as? String)
            let completionID = try #require(completion.json["id"] as? String)
            let spent = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(spent > 0)
            for round in 0..<3 {
                let readResponse = try await bridge.send(.GET, "/openai/v1/responses/\(responseID)", headers: [openAI])
                #expect(readResponse.status == 200, "round \(round): \(readResponse.text)")
                // The provider sends the answer's usage back with it.
                #expect((readResponse.json["usage"] as? [String: Any])?["input_tokens"] as? Int ?? 0 > 0)
                let readCompletion = try await bridge.send(
                    .GET,
                    "/openai/v1/chat/completions/\(completionID)",
                    headers: [openAI]
                )
                #expect(readCompletion.status == 200, "round \(round): \(readCompletion.text)")
                #expect((readCompletion.json["usage"] as? [String: Any])?["prompt_tokens"] as? Int ?? 0 > 0)
                let updated = try await bridge.send(
                    .POST,
                    "/openai/v1/chat/completions/\(completionID)",
                    body: #"{"metadata":{"round":"\#(round)"}}"#,
                    headers: [openAI]
                )
                #expect(updated.status == 200, "round \(round): \(updated.text)")
                #expect((updated.json["metadata"] as? [String: Any])?["round"] as? String == "\(round)")
                #expect((updated.json["usage"] as? [String: Any])?["prompt_tokens"] as? Int ?? 0 > 0)
                let conversation = try await bridge.send(
                    .POST,
                    "/openai/v1/conversations",
                    body: #"{"metadata":{"topic":"the sea"}}"#,
                    headers: [openAI]
                )
                #expect(conversation.status == 200, "round \(round): \(conversation.text)")
                let conversationID = try #require(conversation.json["id"] as? String)
                let items = try await bridge.send(
                    .POST,
                    "/openai/v1/conversations/\(conversationID)/items",
                    body:
                        #"{"items":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello"}]}]}"#,
                    headers: [openAI]
                )
                #expect(items.status == 200, "round \(round): \(items.text)")
                #expect((items.json["data"] as? [[String: Any]])?.count == 1)
            }
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == spent)
            let log = try await bridge.wallet.log(limit: 50)
            let managing = log.filter {
                $0.method == "GET" || $0.path.contains("/conversations") || $0.path.hasSuffix(completionID)
            }
            #expect(managing.count == 15)
            #expect(managing.allSatisfy { $0.inputTokens == nil && $0.outputTokens == nil })
        }
    }

    /// A response run in the background is answered before it runs, queued, with no usage: an
    /// app with no cap has its usage recorded when it first reads the response back finished,
    /// and only then (later reads are reads). Under a cap the creation is charged its hold,
    /// which covers what it may cost, and no read is charged.
    @Test func aBackgroundResponseIsRecordedOnceWhenFirstReadFinished() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            let openAI = bridge.authHeader(for: .openai)
            let body = #"{"model":"gpt-5.5","background":true,"max_output_tokens":64,"input":"A line about the sea."}"#
            func createAndRead() async throws -> (id: String, total: Int) {
                let created = try await bridge.send(.POST, "/openai/v1/responses", body: body, headers: [openAI])
                #expect(created.status == 200, "\(created.text)")
                #expect(created.json["status"] as? String == "queued")
                let id = try #require(created.json["id"] as? String)
                var totals: [Int] = []
                for _ in 0..<3 {
                    let read = try await bridge.send(.GET, "/openai/v1/responses/\(id)", headers: [openAI])
                    #expect(read.status == 200, "\(read.text)")
                    #expect(read.json["status"] as? String == "completed")
                    totals.append((read.json["usage"] as? [String: Any])?["total_tokens"] as? Int ?? 0)
                }
                #expect(totals[0] > 0 && Set(totals).count == 1)
                return (id, totals[0])
            }
            let (uncappedID, total) = try await createAndRead()
            var log = try await bridge.wallet.log(limit: 20)
            #expect(log.count == 4)
            #expect(log.reduce(0) { $0 + ($1.inputTokens ?? 0) + ($1.outputTokens ?? 0) } == total)
            let counted = log.filter { $0.inputTokens != nil }
            #expect(
                counted.count == 1 && counted.first?.method == "GET"
                    && counted.first?.path.hasSuffix(uncappedID) == true
            )
            // The same through an engine that writes no answer early (a vault's, a gift
            // receiver's): the read is metered as it passes, and recorded once too.
            let client = ProxyEngine.makeHTTPClient()
            let engine = ProxyEngine(wallet: bridge.wallet, httpClient: client)
            func call(_ method: String, _ path: String, _ body: String = "") async throws -> [String: Any] {
                let response = await engine.handle(
                    ProxyRequest(
                        provider: .openai,
                        method: method,
                        pathAndQuery: path,
                        headers: [("content-type", "application/json")],
                        body: ByteBuffer(string: body)
                    ),
                    sessionKey: bridge.sessionKey
                )
                let collected = try await response.body.collect(upTo: 1 << 20)
                return (try JSONSerialization.jsonObject(with: Data(collected.readableBytesView)) as? [String: Any])
                    ?? [:]
            }
            let made = try await call("POST", "/v1/responses", body)
            let madeID = try #require(made["id"] as? String)
            for _ in 0..<3 {
                #expect(try await call("GET", "/v1/responses/\(madeID)")["status"] as? String == "completed")
            }
            try await client.shutdown()
            log = try await bridge.wallet.log(limit: 20)
            #expect(log.count == 8)
            #expect(log.filter { $0.path.hasSuffix(madeID) && $0.inputTokens != nil }.count == 1)
            #expect(log.reduce(0) { $0 + ($1.inputTokens ?? 0) + ($1.outputTokens ?? 0) } == 2 * total)

            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 1_000_000, period: .lifetime)
            let before = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(before == 2 * total)
            let created = try await bridge.send(.POST, "/openai/v1/responses", body: body, headers: [openAI])
            let id = try #require(created.json["id"] as? String)
            let charged = try #require(try await bridge.wallet.allowanceStatuses().first?.used) - before
            #expect(charged >= total, "the creation's hold: \(charged)")
            for _ in 0..<3 {
                #expect(try await bridge.send(.GET, "/openai/v1/responses/\(id)", headers: [openAI]).status == 200)
            }
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == before + charged)
        }
    }

    /// The same through the official OpenAI SDK, under a cap: the app is charged the response
    /// and the completion it made, once, however it reads them back or adds to a conversation.
    @Test(.enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
    func theOfficialSDKReadsBackWhatOpenAIKeepsUnderACap() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 20_000, period: .lifetime)
            let result = try await SDKClient.stored(
                baseURL: "http://127.0.0.1:\(bridge.port)/openai/v1",
                apiKey: bridge.sessionKey,
                model: "gpt-5.5"
            )
            #expect(result["error_status"] == nil && result["worker_error"] == nil, "\(result)")
            let response = try #require(result["response_tokens"] as? Int, "\(result)")
            let completion = try #require(result["completion_tokens"] as? Int, "\(result)")
            #expect(result["read_completion_tokens"] as? Int == completion, "\(result)")
            #expect(result["items"] as? Int == 1, "\(result)")
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == response + completion)
        }
    }

    /// Endpoints that spend tokens the wallet cannot meter (a batch, a fine-tuning job) are
    /// refused to an app under a cap, before anything goes upstream, in the provider's error
    /// format; an app with no cap reaches the provider. An endpoint that would hand the app a
    /// credential (a realtime client secret) is refused to every app.
    @Test func unmeterableAndCredentialMintingEndpointsAreRefused() async throws {
        try await BridgeFixture.with(grant: [.openai, .anthropic, .gemini]) { bridge in
            let openAI = bridge.authHeader(for: .openai)
            let batch = #"{"input_file_id":"file-1","endpoint":"/v1/chat/completions","completion_window":"24h"}"#
            let minted = try await bridge.send(
                .POST,
                "/openai/v1/realtime/client_secrets",
                body: #"{"session":{"type":"realtime","model":"gpt-realtime"}}"#,
                headers: [openAI]
            )
            #expect(minted.status == 403, "\(minted.text)")
            #expect(minted.header("x-byoky-error-code") == "PROVIDER_UNAVAILABLE")
            #expect(((minted.json["error"] as? [String: Any])?["message"] as? String)?.contains("credential") == true)
            // No cap: the batch reaches the provider (the mock has no batches: its 404).
            let uncapped = try await bridge.send(.POST, "/openai/v1/batches", body: batch, headers: [openAI])
            #expect(uncapped.status == 404, "\(uncapped.text)")
            #expect(bridge.upstreamRequests.withLock { $0.map(\.path) } == ["/v1/batches"])

            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 100_000, period: .month)
            let anthropicBatch = #"{"requests":[]}"#
            let cache =
                #"{"model":"models/gemini-2.5-flash","contents":[{"role":"user","parts":[{"text":"A long book"}]}],"ttl":"2592000s"}"#
            for (method, path, body, provider): (HTTPMethod, String, String, ProviderID) in [
                (.POST, "/openai/v1/batches", batch, .openai),
                (.POST, "/openai/v1/fine_tuning/jobs", #"{"training_file":"file-1","model":"gpt-5.4-mini"}"#, .openai),
                (.POST, "/anthropic/v1/messages/batches", anthropicBatch, .anthropic),
                (
                    .POST, "/openai/v1/videos", #"{"model":"sora-2","prompt":"A lighthouse at dusk","seconds":"12"}"#,
                    .openai
                ),
                (.POST, "/openai/v1/containers", #"{"name":"sandbox"}"#, .openai),
                (.POST, "/openai/v1/vector_stores", #"{"name":"notes","file_ids":["file-1"]}"#, .openai),
                (.POST, "/openai/v1/vector_stores/vs_1/files", #"{"file_id":"file-1"}"#, .openai),
                (.POST, "/gemini/v1beta/cachedContents", cache, .gemini),
                (.PATCH, "/gemini/v1beta/cachedContents/cache-1", #"{"ttl":"2592000s"}"#, .gemini),
                (.POST, "/gemini/v1beta/fileSearchStores/store-1:importFile", #"{"fileName":"files/f1"}"#, .gemini),
            ] {
                let refused = try await bridge.send(
                    method,
                    path,
                    body: body,
                    headers: [bridge.authHeader(for: provider)]
                )
                #expect(refused.status == 403, "\(path): \(refused.text)")
                #expect(refused.text.contains("token cap"), "\(path): \(refused.text)")
            }
            #expect(bridge.upstreamRequests.withLock { $0.count } == 1)
            // The cap is whole for what the wallet meters.
            #expect(try await Self.ask(bridge).status == 200)
        }
    }

    @Test func perProviderCapsLeaveOtherProvidersAlone() async throws {
        try await BridgeFixture.with { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 0, provider: .anthropic, period: .day)
            let blocked = try await Self.ask(bridge)
            #expect(blocked.status == 429)
            #expect(blocked.text.contains("anthropic, per day"))
            let other = BridgeTests.routes[1]
            let allowed = try await bridge.send(
                .POST,
                other.path,
                body: other.body,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(allowed.status == 200)
            try await bridge.wallet.removeAllowance(app: "Bridge test", provider: .anthropic, period: .day)
            let freed = try await Self.ask(bridge)
            #expect(freed.status == 200)
        }
    }
}

struct AllowancePeriodTests {
    @Test func windowsStartAtUTCDayAndMonthBoundaries() {
        let time: Int64 = 1_795_733_550_498  // 2026-11-26T20:52:30.498Z
        #expect(AllowancePeriod.lifetime.windowStart(containing: time) == 0)
        #expect(AllowancePeriod.day.windowStart(containing: time) == 1_795_651_200_000)  // 2026-11-26T00:00Z
        #expect(AllowancePeriod.month.windowStart(containing: time) == 1_793_491_200_000)  // 2026-11-01T00:00Z
        #expect(AllowancePeriod.month.windowStart(containing: 1_709_251_199_999) == 1_706_745_600_000)  // Feb 2024
        #expect(AllowancePeriod.month.windowStart(containing: 1_709_251_200_000) == 1_709_251_200_000)  // 2024-03-01
    }
}
