import ByokyCore
import ByokyTesting
import ByokyVault
import NIOHTTP1
import Testing

/// The vault, a server on the internet, closes a connection that waits on its client with nothing
/// arriving, on its router's paths and on `/proxy` (answered on the connection's channel): a
/// client that opens connections and sends nothing, or a head or body a byte at a time, cannot
/// hold them forever. A slow `/proxy` answer is not cut for it.
@Suite(.timeLimit(.minutes(2)))
struct VaultClientIdleTimeoutTests {
    static let openings = [
        "",
        "GET /health HTTP/1.1\r\nhost: vault.test\r\n",
        "POST /proxy/anthropic/v1/messages HTTP/1.1\r\nhost: vault.test\r\ncontent-length: 100\r\n\r\n{\"model\":",
    ]

    @Test(arguments: openings)
    func aStalledConnectionIsClosed(opening: String) async throws {
        let configuration = VaultFixture.configuration { $0.clientIdleTimeout = .seconds(1) }
        try await VaultFixture.with(configuration) { vault in
            let waited = try await StalledConnection.closingTime(
                port: vault.port,
                opening: opening,
                patience: .seconds(10)
            )
            #expect(waited != nil, "the stalled connection was still open after 10 s")
            #expect(waited.map { $0 >= .milliseconds(500) } == true, "closed before the timeout")
        }
    }

    /// A client that stops reading a long `/proxy` answer is closed once its connection has been
    /// back-pressured for the timeout with nothing sent to it; before, it held the connection and
    /// the provider's forever.
    @Test func aClientThatStopsReadingAProxiedAnswerIsClosed() async throws {
        var configuration = VaultConfiguration()
        configuration.clientIdleTimeout = .seconds(1)
        try await VaultProxyFixture.with(configuration) { fixture in
            let key = try await fixture.connect()
            // 13 MB in words of 16 KiB: more than the kernel and the vault hold for a client.
            let body =
                #"{"model":"mock-long-words-800","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
            let request =
                "POST /proxy/anthropic/v1/messages HTTP/1.1\r\nhost: vault.test\r\nx-api-key: \(key)\r\n"
                + "anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
                + "content-length: \(body.utf8.count)\r\n\r\n\(body)"
            let late = try await StalledConnection.readingLate(
                port: fixture.vault.port,
                opening: Array(request.utf8),
                meanwhile: {
                    // Until the request is recorded, which it is once the vault gives up on the
                    // client (filling the buffers takes seconds on a busy machine); at most 15 s.
                    // A poll the vault cuts (its own connection idle past the 1 s timeout on a
                    // loaded machine) is tried again.
                    for _ in 0..<75 {
                        let usage = try? await fixture.vault.send(
                            .GET,
                            "/proxy/v1/session/usage",
                            headers: [("x-api-key", key)]
                        )
                        if usage?.json["requests"] as? Int ?? 0 > 0 { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                },
                patience: .seconds(20)
            )
            let read = try #require(late, "the connection of a client that stopped reading was still open")
            #expect(read.byteCount < 6_000_000, "the client got the whole answer: it was not held")
            #expect(!read.tail.contains("message_stop"))
        }
    }

    @Test func aSlowProxiedAnswerIsNotCut() async throws {
        var configuration = VaultConfiguration()
        configuration.clientIdleTimeout = .seconds(1)
        try await VaultProxyFixture.with(configuration) { fixture in
            let key = try await fixture.connect()
            let started = ContinuousClock.now
            // Events 400 ms apart: the stream outlasts several timeouts.
            let answer = try await fixture.vault.send(
                .POST,
                "/proxy/anthropic/v1/messages",
                json:
                    #"{"model":"mock-paced-400","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                headers: [("x-api-key", key), ("anthropic-version", "2023-06-01")]
            )
            #expect(
                ContinuousClock.now - started > .seconds(3),
                "the answer was not slow: the test proves nothing"
            )
            #expect(answer.status == 200)
            #expect(answer.text.contains("message_stop"))
        }
    }
}
