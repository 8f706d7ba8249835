import ByokyCore
import ByokyStore
import ByokyWallet
import NIOHTTP1
import Testing

/// The owner's control socket sets the log's retention and prunes it; usage stays the same.
@Suite(.timeLimit(.minutes(2)))
struct ControlLogRetentionTests {
    @Test func retentionAndPruneOverTheControlSocket() async throws {
        try await BridgeFixture.with { bridge in
            let route = BridgeTests.routes[0]
            let answer = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect(answer.status == 200)
            let shown = try await bridge.control(.GET, "/log/retention")
            #expect(shown.json["days"] as? Int == 90, "\(shown.text)")
            let set = try await bridge.control(.PUT, "/log/retention", body: #"{"days":14}"#)
            #expect(set.json["days"] as? Int == 14, "\(set.text)")
            #expect(try await bridge.wallet.logRetention().days == 14)
            let usage = try await bridge.wallet.usage(in: .lifetime)
            let pruned = try await bridge.control(.POST, "/log/prune", body: #"{"olderThanDays":1}"#)
            #expect(pruned.status == 200, "\(pruned.text)")
            #expect(pruned.json["removedRows"] as? Int == 0, "today's request stays")
            #expect(try await bridge.wallet.usage(in: .lifetime) == usage)
            let refused = try await bridge.control(.POST, "/log/prune", body: #"{"olderThanDays":0}"#)
            #expect(refused.status == 400, "\(refused.text)")
        }
    }
}
