import AsyncHTTPClient
import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

/// An app that hangs up mid-stream stops the upstream request and is billed for what it got.
@Suite(.timeLimit(.minutes(3)))
struct CancellationTests {
    @Test func anAppThatHangsUpIsRecordedWithWhatItUsed() async throws {
        try await BridgeFixture.with(upstreamEventDelay: .milliseconds(20)) { bridge in
            let port = bridge.port
            let key = bridge.sessionKey
            // The whole stream would take over half an hour, so only a detected hang-up ends it.
            let reader = Task {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/anthropic/v1/messages")
                request.method = .POST
                request.headers.add(name: "x-api-key", value: key)
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(
                    ByteBuffer(
                        string:
                            #"{"model":"mock-words-100000","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
                    )
                )
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                var chunks = 0
                for try await _ in response.body { chunks += 1 }
                return chunks
            }
            try await Task.sleep(for: .milliseconds(500))
            reader.cancel()
            _ = try? await reader.value

            var entry: RequestLogRecord?
            let deadline = ContinuousClock.now + .seconds(25)
            while entry == nil, ContinuousClock.now < deadline {
                entry = try await bridge.wallet.store.requestLog().first
                if entry == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let record = try #require(entry)
            #expect(record.errorCode == "CLIENT_CLOSED")
            #expect((record.inputTokens ?? 0) > 0)
        }
    }
}
