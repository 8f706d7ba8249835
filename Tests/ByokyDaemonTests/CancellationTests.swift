import AsyncHTTPClient
import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

/// An app that hangs up mid-stream stops the upstream request and is billed for what it got.
@Suite(.timeLimit(.minutes(1)))
struct CancellationTests {
    @Test func anAppThatHangsUpIsRecordedWithWhatItUsed() async throws {
        try await BridgeFixture.with(upstreamEventDelay: .milliseconds(50)) { bridge in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/anthropic/v1/messages")
            request.method = .POST
            request.headers.add(name: "x-api-key", value: bridge.sessionKey)
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(
                ByteBuffer(
                    string:
                        #"{"model":"mock-words-400","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
                )
            )
            let started = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var chunks = 0
            for try await _ in response.body {
                chunks += 1
                if chunks == 5 { break }
            }
            #expect(chunks == 5)

            // The whole stream would take about 20 s; the record must appear long before that.
            var entry: RequestLogRecord?
            while entry == nil, ContinuousClock.now - started < .seconds(10) {
                entry = try await bridge.wallet.store.requestLog().first
                if entry == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let record = try #require(entry)
            #expect(record.errorCode == "CLIENT_CLOSED")
            #expect((record.inputTokens ?? 0) > 0)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
