import ByokyCore
import ByokyServerStore
import ByokyTesting
import ByokyVault
import Foundation
import NIOHTTP1
import Testing

/// Keys synced to a vault account over real HTTP, on SQLite and on PostgreSQL: sealed at rest,
/// readable with any login of the account and no other, last write wins, removals as tombstones.
@Suite(.timeLimit(.minutes(3)))
struct VaultCredentialTests {
    static let secret = "sk-ant-vault-SYNC-secret-0001"

    static func upload(
        _ secret: String = VaultCredentialTests.secret,
        provider: String = "anthropic",
        label: String = "Work",
        baseURL: String? = nil,
        at time: Int64
    ) -> String {
        var object: [String: Any] = ["provider": provider, "label": label, "secret": secret, "updatedAt": time]
        if let baseURL { object["baseUrl"] = baseURL }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test(arguments: TestDatabase.available)
    func keysSyncLastWriteWinsAndRemovalsAreTombstones(on database: TestDatabase) async throws {
        try await VaultFixture.with(on: database) { vault in
            let token = try #require(try await vault.signUp("sync_1").json["token"] as? String)
            let now = VaultFixture.start
            let first = try await vault.send(.PUT, "/credentials/key-1", json: Self.upload(at: now - 10), token: token)
            #expect(first.status == 200 && first.json["applied"] as? Bool == true)

            // Listing shows it masked; sync (the owner pulling) gives the key back.
            let listed = try await vault.send(.GET, "/credentials", token: token)
            #expect(!listed.text.contains(Self.secret) && listed.text.contains("key-1"))
            let other = try #require(try await vault.logIn("sync_1").json["token"] as? String)
            let synced = try await vault.send(.GET, "/credentials/sync?since=0", token: other)
            let items = try #require(synced.json["credentials"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["secret"] as? String == Self.secret)
            #expect(synced.json["serverTime"] as? Int64 == now)

            // An older version does not replace a newer one (a conflict the client reports).
            let stale = try await vault.send(
                .PUT,
                "/credentials/key-1",
                json: Self.upload("sk-old", label: "Old", at: now - 20),
                token: token
            )
            #expect(stale.json["applied"] as? Bool == false && stale.json["updatedAt"] as? Int64 == now - 10)
            let newer = try await vault.send(
                .PUT,
                "/credentials/key-1",
                json: Self.upload("sk-newer-version-1", label: "Renamed", at: now - 5),
                token: other
            )
            #expect(newer.json["applied"] as? Bool == true)

            // A removal is a tombstone that sync reports (without a secret); `since` skips what was seen.
            vault.advance(milliseconds: 1_000)
            let removed = try await vault.send(.DELETE, "/credentials/key-1?updatedAt=\(now + 500)", token: token)
            #expect(removed.json["applied"] as? Bool == true)
            let later = try await vault.send(.GET, "/credentials/sync?since=\(now)", token: token)
            let tombstones = try #require(later.json["credentials"] as? [[String: Any]])
            #expect(tombstones.count == 1 && tombstones[0]["deletedAt"] as? Int64 == now + 500)
            #expect(tombstones[0]["secret"] == nil)
            #expect(
                (try await vault.send(.GET, "/credentials", token: token).json["credentials"] as? [Any])?.isEmpty
                    == true
            )
            let none = try await vault.send(.GET, "/credentials/sync?since=\(now + 501)", token: token)
            #expect((none.json["credentials"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anotherAccountNeitherSeesNorOverwritesAKey(on database: TestDatabase) async throws {
        try await VaultFixture.with(on: database) { vault in
            let owner = try #require(try await vault.signUp("owner_1").json["token"] as? String)
            let thief = try #require(try await vault.signUp("thief_1").json["token"] as? String)
            let now = VaultFixture.start
            _ = try await vault.send(.PUT, "/credentials/shared-id", json: Self.upload(at: now), token: owner)
            let overwrite = try await vault.send(
                .PUT,
                "/credentials/shared-id",
                json: Self.upload("sk-thief", at: now + 1),
                token: thief
            )
            #expect(overwrite.status == 409 && overwrite.code == "ID_TAKEN")
            #expect(!(try await vault.send(.GET, "/credentials/sync", token: thief).text.contains("shared-id")))
            #expect(
                try await vault.send(.DELETE, "/credentials/shared-id?updatedAt=\(now + 2)", token: thief).status == 404
            )
            let kept = try await vault.send(.GET, "/credentials/sync", token: owner)
            #expect(kept.text.contains(Self.secret))

            // Logged out: that token reaches nothing.
            _ = try await vault.send(.POST, "/auth/logout", token: owner)
            #expect(try await vault.send(.GET, "/credentials/sync", token: owner).status == 401)
        }
    }

    @Test func badUploadsAreRefusedWithTheReason() async throws {
        try await VaultFixture.with { vault in
            let token = try #require(try await vault.signUp("strict_1").json["token"] as? String)
            let now = VaultFixture.start
            let cases: [(String, String)] = [
                ("bad id!", Self.upload(at: now)),
                ("k1", Self.upload(provider: "nope", at: now)),
                ("k1", Self.upload(baseURL: "http://example.com", at: now)),
                ("k1", Self.upload(at: now + 3_600_000)),
                ("k1", Self.upload("", at: now)),
                ("k1", Self.upload(label: "", at: now)),
            ]
            for (id, body) in cases {
                let id = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
                let answer = try await vault.send(.PUT, "/credentials/\(id)", json: body, token: token)
                #expect(answer.status == 400 && answer.code == "INVALID_INPUT", "\(body): \(answer.text)")
            }
            #expect(try await vault.send(.PUT, "/credentials/k1", json: Self.upload(at: now)).status == 401)
            #expect(try await vault.send(.DELETE, "/credentials/k1", token: token).code == "INVALID_INPUT")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDumpOfTheDatabaseHoldsNoKey(on database: TestDatabase) async throws {
        try await VaultFixture.with(on: database) { vault in
            let token = try #require(try await vault.signUp("dump_2").json["token"] as? String)
            _ = try await vault.send(.PUT, "/credentials/k2", json: Self.upload(at: VaultFixture.start), token: token)
            let store = try await VaultStore.open(vault.location)
            let user = try #require(try await store.user(named: "dump_2"))
            let rows = try await store.credentials(of: user.id)
            try await store.close()
            #expect(rows.count == 1)
            let dump = "\(rows)"
            #expect(!dump.contains(Self.secret) && !dump.contains(token))
            #expect(rows[0].maskedSecret?.contains("0001") == true)
        }
    }
}
