import ByokyCore
import ByokyMockProvider
import ByokyRelayHost
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyDaemon

/// A path that percent-decoding would change (`%2e%2e`, `%2f`, `//`, double encoding) is refused
/// before any key is attached, on every path a request can take: direct, routed by a group,
/// translated, through a received gift, at the gift's giver, and through a pairing.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EncodedPathTests {
    /// Each escapes `/anthropic/` (or `/openai/`) towards another API of the same host when decoded.
    static let hostileSuffixes = [
        "/%2e%2e/openai/v1/chat/completions", "/v1/%2E%2e/%2e%2E/v1/models", "/.%2e/v1/models",
        "/%252e%252e/v1/models", "/v1%2f..%2fv1/models", "/v1/..%5c..%5cmodels", "/v1//messages",
        "/v1/messages%00", "/%25252e%25252e/v1/models",
    ]

    enum Path: String, CaseIterable, Sendable { case direct, group, translated }

    @Test(arguments: Path.allCases)
    func theBridgeRefusesEncodedSegmentsBeforeAnyKeyIsAttached(path: Path) async throws {
        try await BridgeFixture.with { bridge in
            switch path {
            case .direct: break
            case .group:
                try await bridge.wallet.addGroup(name: "pinned", provider: .anthropic, model: "claude-opus-4-7")
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "pinned")
            case .translated:
                try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: "gpt-5.5")
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "gpt")
            }
            for suffix in Self.hostileSuffixes {
                let response = try await bridge.send(
                    .POST,
                    "/anthropic" + suffix,
                    body: BridgeTests.routes[0].body,
                    headers: [bridge.authHeader(for: .anthropic)]
                )
                #expect(response.status == 400, "\(suffix): \(response.text)")
                #expect(response.header("x-byoky-error-code") == "INVALID_URL", "\(suffix)")
                #expect(((response.json["error"] as? [String: Any])?["type"] as? String) == "invalid_request_error")
            }
            // The same session still works, and only that request reached the provider.
            let fine = try await bridge.send(
                .POST,
                BridgeTests.routes[0].path,
                body: BridgeTests.routes[0].body,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect(fine.status == 200, "\(fine.text)")
            let seen = bridge.upstreamRequests.withLock { $0 }
            #expect(seen.count == 1)
            #expect(seen.allSatisfy { !$0.path.contains("%") && !$0.path.contains("..") })
        }
    }

    @Test func giftsRefuseEncodedSegmentsAtTheReceiverAndAtTheGiver() async throws {
        try await GiftFixture.with { fixture in
            for suffix in Self.hostileSuffixes {
                let asked = try await fixture.ask(path: suffix)
                #expect(asked.status == 400, "\(suffix): \(asked.text)")
                #expect(asked.code == "INVALID_URL")

                // A tampered receiver that skipped its own check: the giver refuses as well.
                let served = await fixture.giverEngine.serveGift(
                    ProxyRequest(
                        provider: .anthropic,
                        method: "POST",
                        pathAndQuery: suffix,
                        headers: [("content-type", "application/json")],
                        body: ByteBuffer(string: "{}")
                    ),
                    gift: fixture.gift
                ) { _ in }
                #expect(served.status == 400)
                #expect(served.headers.contains { $0.name == ErrorBody.codeHeaderName && $0.value == "INVALID_URL" })
                _ = try await served.body.collect(upTo: 65_536)

                // A relayed request (gift or pairing) naming such a URL never becomes a proxy request.
                let relayed = RelayRequest(
                    requestID: "r1",
                    provider: .anthropic,
                    url: "https://api.anthropic.com" + suffix,
                    method: "POST",
                    headers: [:],
                    bodyBytes: []
                )
                #expect(throws: ByokyError.self) { try RelayResponder.proxyRequest(from: relayed) }
            }
            #expect(fixture.upstreamRequests.withLock { $0 }.isEmpty)
            #expect(try await fixture.giverUsed() == 0)
        }
    }
}
