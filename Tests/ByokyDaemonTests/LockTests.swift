import ByokyCore
import ByokyTesting
import ByokyWallet
import NIOHTTP1
import Testing

/// A locked wallet keeps no key in memory and serves nothing until the owner unlocks it.
@Suite(.timeLimit(.minutes(3)))
struct LockTests {
    @Test func lockingStopsServingUntilUnlocked() async throws {
        try await BridgeFixture.with { bridge in
            let route = BridgeTests.routes[1]
            let auth = bridge.authHeader(for: .openai)
            // Served once first, so the key has been opened; locking must forget it too.
            #expect(try await bridge.send(.POST, route.path, body: route.body, headers: [auth]).status == 200)
            #expect(try await bridge.control(.POST, "/lock").status == 200)
            #expect(!bridge.wallet.isUnlocked)
            let locked = try await bridge.send(.POST, route.path, body: route.body, headers: [auth])
            #expect(locked.status == 503)
            #expect(locked.header("x-byoky-error-code") == "WALLET_LOCKED")
            #expect(((locked.json["error"] as? [String: Any])?["type"] as? String) == "server_error")
            #expect(try await bridge.send(.GET, "/v1/health").json["locked"] as? Bool == true)

            let wrong = try await bridge.control(.POST, "/unlock", body: #"{"password":"not it at all"}"#)
            #expect(wrong.status == 401)
            let right = try await bridge.control(.POST, "/unlock", body: #"{"password":"Fixture-Password-77"}"#)
            #expect(right.status == 200)
            #expect(try await bridge.send(.POST, route.path, body: route.body, headers: [auth]).status == 200)
        }
    }

    @Test func idleWalletsLockThemselves() async throws {
        try await BridgeFixture.with(autoLockAfter: .milliseconds(400)) { bridge in
            let route = BridgeTests.routes[1]
            let auth = bridge.authHeader(for: .openai)
            let deadline = ContinuousClock.now + .seconds(10)
            while bridge.wallet.isUnlocked, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!bridge.wallet.isUnlocked)
            #expect(try await bridge.send(.POST, route.path, body: route.body, headers: [auth]).status == 503)
        }
    }
}
