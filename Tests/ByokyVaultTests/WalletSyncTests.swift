import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Foundation
import Testing

/// Two wallets syncing through a real vault: the later version of each key wins (renames and new
/// secrets included), removals travel as tombstones both ways, and a key changed on both sides is
/// reported as a conflict.
@Suite(.timeLimit(.minutes(3)))
struct WalletSyncTests {
    /// A wallet on the vault fixture's clock (versions and the vault's `since` must agree).
    static func wallet(in folder: TemporaryFolder, _ name: String, clock vault: VaultFixture) async throws -> Wallet {
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path + "/" + name)) {
            vault.time.withLock { $0 }
        }
        try await wallet.initialize(password: "Wallet-Sync-Password-19", iterations: 100_000)
        return wallet
    }

    @Test func renamesRemovalsAndConflictsTravelBetweenWallets() async throws {
        try await VaultFixture.with { vault in
            try await TemporaryFolder.with { folder in
                let token = SecretString(try #require(try await vault.signUp("two_wallets").json["token"] as? String))
                let client = try VaultClient("http://127.0.0.1:\(vault.port)")
                let first = try await Self.wallet(in: folder, "first", clock: vault)
                let second = try await Self.wallet(in: folder, "second", clock: vault)
                defer {
                    Task {
                        try? await first.close()
                        try? await second.close()
                    }
                }
                let kept = try await first.addCredential(
                    provider: .openai,
                    secret: SecretString("sk-kept-0001"),
                    label: "kept"
                )
                let renamed = try await first.addCredential(
                    provider: .anthropic,
                    secret: SecretString("sk-ant-renamed-0001"),
                    label: "before"
                )
                _ = try await first.addCredential(
                    provider: .gemini,
                    secret: SecretString("gm-removed-0001"),
                    label: "gone"
                )
                #expect(try await first.pushKeys(to: client, token: token).written.count == 3)
                vault.advance(milliseconds: 1000)
                var since = try await second.pullKeys(from: client, token: token, since: 0).serverTime
                #expect(Set(try await second.credentials().map(\.label)) == ["kept", "before", "gone"])

                // A rename and a removal in the first wallet reach the second.
                vault.advance(milliseconds: 1000)
                try await first.renameCredential("before", to: "after")
                try await first.removeCredential("gone")
                let pushed = try await first.pushKeys(to: client, token: token)
                #expect(pushed.written == ["after"] && pushed.removed.count == 1, "\(pushed)")
                vault.advance(milliseconds: 1000)
                let pulled = try await second.pullKeys(from: client, token: token, since: since)
                since = pulled.serverTime
                #expect(pulled.written == ["after"] && pulled.removed == ["gone"], "\(pulled)")
                #expect(Set(try await second.credentials().map(\.label)) == ["kept", "after"])
                #expect(try await second.credentials().first { $0.label == "after" }?.id == renamed.id)

                // Both rename the same key: the later rename wins everywhere, reported as a conflict.
                vault.advance(milliseconds: 1000)
                try await second.renameCredential("kept", to: "second's name")
                vault.advance(milliseconds: 1000)
                try await first.renameCredential("kept", to: "first's name")
                #expect(try await first.pushKeys(to: client, token: token).written.contains("first's name"))
                let secondPush = try await second.pushKeys(to: client, token: token)
                #expect(secondPush.conflicts == ["second's name"], "\(secondPush)")
                vault.advance(milliseconds: 1000)
                let settled = try await second.pullKeys(from: client, token: token, since: since)
                #expect(settled.conflicts == ["first's name"], "\(settled)")
                #expect(try await second.credentials().first { $0.id == kept.id }?.label == "first's name")

                // A removal in the second wallet goes back to the vault, and from there to the first.
                vault.advance(milliseconds: 1000)
                try await second.removeCredential("after")
                #expect(try await second.pushKeys(to: client, token: token).removed == [renamed.id])
                vault.advance(milliseconds: 1000)
                let cleaned = try await first.pullKeys(from: client, token: token, since: 0)
                #expect(cleaned.removed == ["after"], "\(cleaned)")
                #expect(try await first.credentials().map(\.label) == ["first's name"])
                // Nothing is left to send: the tombstone was forgotten once the vault heard of it.
                #expect(try await second.pushKeys(to: client, token: token).removed.isEmpty)
            }
        }
    }
}
