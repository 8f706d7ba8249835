import AsyncHTTPClient
import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Apps learn of revocation and of changed providers through `GET /v1/events`.
@Suite(.timeLimit(.minutes(3)))
struct EventStreamTests {
    @Test func reportsChangedProvidersThenRevocationAndEnds() async throws {
        try await BridgeFixture.with { bridge in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/v1/events")
            request.headers.add(name: "x-api-key", value: bridge.sessionKey)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "content-type") == "text/event-stream")

            var decoder = SSEDecoder()
            var events: [ServerSentEvent] = []
            var step = 0
            for try await chunk in response.body {
                events += try decoder.feed(Array(chunk.readableBytesView))
                if step == 0 {
                    step = 1
                    try await bridge.wallet.removeCredential("Cohere")
                }
                if step == 1, events.contains(where: { $0.type == "providers.updated" }) {
                    step = 2
                    let session = try await bridge.wallet.authenticate(sessionKey: bridge.sessionKey)
                    try await bridge.wallet.revokeSession(id: session.id)
                }
            }
            #expect(events.map(\.type) == ["providers.updated", "session.revoked"])
            let update = try JSONDecoder().decode(WalletEvent.self, from: Data(events[0].data))
            #expect(update.providers?["cohere"]?.available == false)
            #expect(update.providers?["anthropic"]?.available == true)
            #expect(try JSONDecoder().decode(WalletEvent.self, from: Data(events[1].data)).type == .sessionRevoked)
        }
    }

    @Test func refusesUnknownSessions() async throws {
        try await BridgeFixture.with { bridge in
            let response = try await bridge.send(.GET, "/v1/events", headers: [("x-api-key", "byk_nope")])
            #expect(response.status == 401)
        }
    }
}
