import ByokyCore
import ByokyMockProvider
import ByokyRelayHost
import ByokyServerStore
import ByokyStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Crypto
import Foundation
import Testing

/// Gifts a vault serves while the giving wallet is offline: only once the owner turns a gift on,
/// as the room's fallback sender (the wallet outranks it), on one budget both sides count, and
/// never again once revoked or turned off.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct VaultGiftTests {
    @Test(arguments: TestDatabase.available)
    func theVaultServesAGiftOnlyOnceItsOwnerTurnsItOn(_ database: TestDatabase) async throws {
        try await VaultGiftFixture.with(on: database) { fixture in
            // Not turned on: the vault holds no room, and the wallet is offline.
            await fixture.vaultHost.reconcile()
            #expect(fixture.vaultHost.hostedGiftIDs.isEmpty)
            let before = try await fixture.ask()
            #expect(before.status == 503)
            #expect(before.code == "GIFT_SENDER_OFFLINE")
            #expect(fixture.upstream.withLock { $0.isEmpty })

            let served = try await fixture.giver.serveGiftFromVault(String(fixture.gift.id.prefix(8)))
            #expect(served.servedByVault)
            try await fixture.waitForVault()
            let plain = try await fixture.ask()
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.text.contains(#""type":"message""#))
            let streamed = try await fixture.ask(stream: true)
            #expect(streamed.status == 200)
            #expect(streamed.text.contains("event: message_stop"))
            try await fixture.waitUntil("the vault served both") { fixture.servedByVault == 2 }
            #expect(fixture.servedByGiver == 0)
            #expect(fixture.upstream.withLock { $0.filter(\.carriedKey).count } == 2)
            #expect(!plain.text.contains(VaultGiftFixture.canary) && !streamed.text.contains(VaultGiftFixture.canary))

            // Counted at the vault; a sync brings the count to the wallet.
            try await fixture.waitUntil("the vault counts") { try await fixture.vaultUsed() ?? 0 > 0 }
            #expect(try await fixture.giver.syncServedGifts() == [fixture.gift.id])
            #expect(try await fixture.giverUsed() == fixture.vaultUsed())

            // The relay saw only ciphertext, and the database holds no key, token or room secret.
            let seen = fixture.trace.withLock { $0 }.joined(separator: "\n")
            #expect(seen.contains("relay:response:sealed"))
            #expect(!seen.contains(VaultGiftFixture.canary) && !seen.contains("Hello through a served gift"))
            if case .sqliteFile(path: let path) = fixture.vault.location {
                let bytes = [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
                    .map { String(decoding: $0, as: UTF8.self) }.joined()
                #expect(bytes.contains(fixture.gift.id))
                #expect(!bytes.contains(VaultGiftFixture.canary))
                #expect(!bytes.contains(try #require(fixture.link.authToken)))
            }
        }
    }

    @Test func theWalletOutranksTheVaultAndBothCountOneBudget() async throws {
        try await VaultGiftFixture.with { fixture in
            try await fixture.giver.serveGiftFromVault(fixture.gift.id)
            try await fixture.waitForVault()
            try await fixture.startGiver()

            // Both hold the room: the wallet serves, and the vault hears its count.
            #expect(try await fixture.ask().status == 200)
            try await fixture.waitUntil("the wallet served it") { fixture.servedByGiver == 1 }
            #expect(fixture.servedByVault == 0)
            try await fixture.waitUntil("the giver counts") { try await fixture.giverUsed() > 0 }
            let walletCount = try await fixture.giverUsed()
            try await fixture.waitUntil("the vault hears the wallet's count") {
                try await fixture.vaultUsed() == walletCount
            }

            // The wallet goes offline: the vault serves, counting on from the wallet's total.
            try await fixture.stopGiver()
            #expect(try await fixture.ask().status == 200)
            try await fixture.waitUntil("the vault served it") { fixture.servedByVault == 1 }
            try await fixture.waitUntil("the vault counts on") { try await fixture.vaultUsed() ?? 0 > walletCount }
            let vaultCount = try #require(try await fixture.vaultUsed())

            // Back online, the wallet learns the vault's count from the room, and serves again.
            try await fixture.startGiver()
            try await fixture.waitUntil("the wallet learns the vault's count") {
                try await fixture.giverUsed() == vaultCount
            }
            #expect(try await fixture.ask().status == 200)
            try await fixture.waitUntil("the wallet served it") { fixture.servedByGiver == 2 }
            #expect(fixture.servedByVault == 1)
        }
    }

    @Test func aBudgetUsedUpByTheWalletIsUsedUpAtTheVault() async throws {
        try await VaultGiftFixture.with(budget: 400) { fixture in
            try await fixture.giver.serveGiftFromVault(fixture.gift.id)
            try await fixture.waitForVault()
            try await fixture.startGiver()
            var refused: (status: Int, code: String?, text: String)?
            for _ in 0..<50 {
                let before = try await fixture.giverUsed()
                let answer = try await fixture.ask()
                if answer.status != 200 {
                    refused = answer
                    break
                }
                // An answer's charge is recorded just after it ends, and its hold lasts until then:
                // the next request must see what it left, or a refusal may only mean "not yet".
                try await fixture.waitUntil("the wallet records the answer") { try await fixture.giverUsed() > before }
            }
            #expect(refused?.code == "GIFT_BUDGET_EXHAUSTED")
            let walletCount = try await fixture.giverUsed()
            try await fixture.waitUntil("the vault hears the wallet's count") {
                try await fixture.vaultUsed() == walletCount
            }
            try await fixture.stopGiver()
            let keyed = fixture.upstream.withLock { $0.filter(\.carriedKey).count }
            let atVault = try await fixture.ask()
            #expect(atVault.status == 429)
            #expect(atVault.code == "GIFT_BUDGET_EXHAUSTED")
            #expect(fixture.upstream.withLock { $0.filter(\.carriedKey).count } == keyed)
        }
    }

    @Test func turnedOffOrRevokedGiftsStopAtTheVault() async throws {
        try await VaultGiftFixture.with { fixture in
            try await fixture.giver.serveGiftFromVault(fixture.gift.id)
            try await fixture.waitForVault()
            #expect(try await fixture.ask().status == 200)

            // Turned off: the vault forgets the gift and leaves its room.
            let off = try await fixture.giver.stopServingGiftFromVault(fixture.gift.id)
            #expect(!off.servedByVault)
            #expect(try await fixture.vaultUsed() == nil)
            try await fixture.waitForVault(online: false)
            let offline = try await fixture.ask()
            #expect(offline.status == 503)
            #expect(offline.code == "GIFT_SENDER_OFFLINE")

            // On again, then revoked in the wallet: the vault hears it and answers GIFT_REVOKED.
            try await fixture.giver.serveGiftFromVault(fixture.gift.id)
            try await fixture.waitForVault()
            #expect(try await fixture.ask().status == 200)
            let revoked = try await fixture.giver.revokeGift(fixture.gift.id)
            try await fixture.giver.syncServedGift(revoked)
            let answer = try await fixture.ask()
            #expect(answer.status == 410)
            #expect(answer.code == "GIFT_REVOKED")
            #expect(fixture.servedByGiver == 0)
            // A revoked gift cannot be turned on again.
            await #expect(throws: ByokyError.self) { try await fixture.giver.serveGiftFromVault(fixture.gift.id) }
        }
    }
}
