import AsyncHTTPClient
import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyDaemon

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

            let record = try #require(try await Self.firstLogEntry(of: bridge))
            #expect(record.errorCode == "CLIENT_CLOSED")
            #expect((record.inputTokens ?? 0) > 0)
        }
    }

    /// An app gone before the provider's answer began, by an orderly close or a reset (then the
    /// connection is closed before the head could be written): the answer is stopped and recorded
    /// as cut short, not left running, unrecorded, with its budget held.
    @Test(arguments: [false, true])
    func anAppGoneBeforeTheAnswerBeganIsRecordedAndTheStreamStopped(resetting: Bool) async throws {
        try await BridgeFixture.with(
            upstreamEventDelay: .milliseconds(20),
            upstreamResponseDelay: .milliseconds(700)
        ) { bridge in
            let body =
                #"{"model":"mock-words-100000","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
            try await RawHTTPConnection.with(port: bridge.port, resetting: resetting) { connection in
                try await connection.write(
                    "POST /anthropic/v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: \(bridge.sessionKey)\r\n"
                        + "content-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
                )
                // Gone once the request has surely reached the provider, before its answer.
                try await Task.sleep(for: .milliseconds(300))
            }
            let record = try #require(try await Self.firstLogEntry(of: bridge))
            #expect(record.errorCode == "CLIENT_CLOSED")
        }
    }

    /// A streamed answer its server drops unread (its connection gone before anything could be
    /// written, whichever server took the request): recorded as cut short all the same.
    @Test func aStreamedAnswerDroppedUnreadIsRecorded() async throws {
        try await BridgeFixture.with(upstreamEventDelay: .milliseconds(20)) { bridge in
            let body =
                #"{"model":"mock-words-100000","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
            let request = ProxyRequest(
                provider: .anthropic,
                method: "POST",
                pathAndQuery: "/v1/messages",
                headers: [("content-type", "application/json")],
                body: ByteBuffer(string: body)
            )
            let status = await bridge.daemon.engine.handle(request, sessionKey: bridge.sessionKey).status
            #expect(status == 200)
            let record = try #require(try await Self.firstLogEntry(of: bridge))
            #expect(record.errorCode == "CLIENT_CLOSED")
            #expect(record.status == 200)
        }
    }

    /// The first entry of the bridge's request log, waited for up to 25 seconds.
    static func firstLogEntry(of bridge: BridgeFixture) async throws -> RequestLogRecord? {
        let deadline = ContinuousClock.now + .seconds(25)
        while ContinuousClock.now < deadline {
            if let entry = try await bridge.wallet.store.requestLog().first { return entry }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
