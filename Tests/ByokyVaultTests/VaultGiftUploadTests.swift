import ByokyCore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Crypto
import Foundation
import NIOHTTP1
import Testing

/// `PUT|GET|DELETE /gifts…` at the HTTP level: what a vault takes before it serves a gift, whose
/// gifts each account sees, the per-account cap, and a vault without a gift key.
@Suite(.timeLimit(.minutes(2)))
struct VaultGiftUploadTests {
    static let apiKey = "sk-upload-CANARY-4242"

    /// A gift upload that a vault takes (its room proven by its sender key), then `change`d.
    static func upload(
        expiresAt: Int64 = VaultFixture.start + 3_600_000,
        _ change: (inout VaultGiftUpload) -> Void = { _ in }
    ) -> VaultGiftUpload {
        let senderKey = SecureRandom.base64URLToken(byteCount: 32)
        var upload = VaultGiftUpload(
            provider: "anthropic",
            label: "Vera",
            relayUrl: "wss://relay.example.com",
            roomId: RelaySealing.roomID(senderKey: senderKey),
            maxTokens: 10_000,
            usedTokens: 0,
            expiresAt: expiresAt,
            revokedAt: nil,
            secrets: .init(
                apiKey: apiKey,
                authMethod: "api_key",
                baseUrl: nil,
                senderKey: senderKey,
                authToken: SecureRandom.giftToken(),
                privateKey: RelaySealing.generateKeyPair().privateKey
            )
        )
        change(&upload)
        return upload
    }

    static func put(
        _ upload: VaultGiftUpload,
        id: String,
        on vault: VaultFixture,
        token: String?
    ) async throws
        -> LoopbackAnswer
    {
        try await vault.send(
            .PUT,
            "/gifts/\(id)",
            json: String(decoding: WalletAPI.encode(upload), as: UTF8.self),
            token: token
        )
    }

    static func withGiftKey(
        _ adjust: @escaping @Sendable (inout VaultConfiguration) -> Void = { _ in }
    )
        -> VaultConfiguration
    {
        VaultFixture.configuration {
            $0.giftKey = GiftKey(SymmetricKey(size: .bits256))
            adjust(&$0)
        }
    }

    @Test func uploadsAreCheckedBeforeTheVaultServesThem() async throws {
        try await VaultFixture.with(Self.withGiftKey()) { vault in
            let token = try #require(try await vault.signUp("gift_owner").json["token"] as? String)
            let id = SecureRandom.uuid()
            let refused: [(String, VaultGiftUpload, String)] = [
                ("NOT-A-UUID", Self.upload(), "INVALID_INPUT"),
                (
                    id, Self.upload { $0.secrets?.senderKey = SecureRandom.base64URLToken(byteCount: 32) },
                    "INVALID_INPUT"
                ),
                (id, Self.upload { $0.secrets = nil }, "INVALID_INPUT"),
                (id, Self.upload(expiresAt: VaultFixture.start - 1), "INVALID_INPUT"),
                (id, Self.upload(expiresAt: VaultFixture.start + 91 * 86_400_000), "INVALID_INPUT"),
                (id, Self.upload { $0.relayUrl = "ws://relay.example.com" }, "INVALID_INPUT"),
                (id, Self.upload { $0.provider = "nope" }, "INVALID_INPUT"),
                (id, Self.upload { $0.maxTokens = 0 }, "INVALID_INPUT"),
                (id, Self.upload { $0.usedTokens = 20_000 }, "INVALID_INPUT"),
                (id, Self.upload { $0.secrets?.authMethod = "password" }, "INVALID_INPUT"),
                (id, Self.upload { $0.secrets?.baseUrl = "http://10.0.0.8" }, "INVALID_INPUT"),
                (id, Self.upload { $0.revokedAt = VaultFixture.start }, "INVALID_INPUT"),
            ]
            for (giftID, upload, code) in refused {
                let answer = try await Self.put(upload, id: giftID, on: vault, token: token)
                #expect(answer.status == 400, "\(answer.text)")
                #expect(answer.code == code)
            }
            #expect(try await Self.put(Self.upload(), id: id, on: vault, token: nil).status == 401)
            #expect(try await vault.send(.GET, "/gifts", token: token).json["gifts"] as? [Any] != nil)

            // Taken: listed without a secret; later writes without secrets raise the count only.
            let first = Self.upload()
            let stored = try await Self.put(first, id: id, on: vault, token: token)
            #expect(stored.status == 200, "\(stored.text)")
            #expect(!stored.text.contains(Self.apiKey) && !stored.text.contains(first.secrets!.authToken))
            var update = first
            update.secrets = nil
            update.usedTokens = 700
            #expect(try await Self.put(update, id: id, on: vault, token: token).json["usedTokens"] as? Int == 700)
            update.usedTokens = 100
            #expect(try await Self.put(update, id: id, on: vault, token: token).json["usedTokens"] as? Int == 700)
            let listing = try await vault.send(.GET, "/gifts", token: token)
            #expect(listing.text.contains(id) && !listing.text.contains(Self.apiKey))

            // Another account sees none of it and can neither overwrite nor remove it.
            let other = try #require(try await vault.signUp("someone_else").json["token"] as? String)
            #expect(try await Self.put(Self.upload(), id: id, on: vault, token: other).code == "ID_TAKEN")
            #expect(try await vault.send(.DELETE, "/gifts/\(id)", token: other).status == 404)
            #expect(!(try await vault.send(.GET, "/gifts", token: other).text.contains(id)))

            // The owner turns it off.
            #expect(try await vault.send(.DELETE, "/gifts/\(id)", token: token).status == 200)
            #expect(try await vault.send(.DELETE, "/gifts/\(id)", token: token).status == 404)
        }
    }

    @Test func anAccountServesAtMostItsCapOfLiveGifts() async throws {
        try await VaultFixture.with(Self.withGiftKey { $0.giftsPerAccount = 2 }) { vault in
            let token = try #require(try await vault.signUp("many_gifts").json["token"] as? String)
            let ids = (0..<3).map { _ in SecureRandom.uuid() }
            let uploads = ids.map { _ in Self.upload() }
            #expect(try await Self.put(uploads[0], id: ids[0], on: vault, token: token).status == 200)
            #expect(try await Self.put(uploads[1], id: ids[1], on: vault, token: token).status == 200)
            let third = try await Self.put(uploads[2], id: ids[2], on: vault, token: token)
            #expect(third.status == 429)
            #expect(third.code == "TOO_MANY_GIFTS")
            // A revoked gift no longer counts.
            var revoked = uploads[0]
            revoked.secrets = nil
            revoked.revokedAt = VaultFixture.start
            #expect(try await Self.put(revoked, id: ids[0], on: vault, token: token).json["revokedAt"] as? Int64 != nil)
            #expect(try await Self.put(uploads[2], id: ids[2], on: vault, token: token).status == 200)
        }
    }

    @Test func aVaultWithoutAGiftKeyServesNoGifts() async throws {
        try await VaultFixture.with { vault in
            #expect(vault.giftHost == nil)
            let token = try #require(try await vault.signUp("no_gift_key").json["token"] as? String)
            let answer = try await Self.put(Self.upload(), id: SecureRandom.uuid(), on: vault, token: token)
            #expect(answer.status == 503)
            #expect(answer.code == "SERVICE_UNAVAILABLE")
            #expect(answer.text.contains("--gift-key-file"))
        }
    }

    @Test func theGiftKeyFileIsMadeOnceAndOpensOnlyItsOwnGifts() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path + "/gift.key"
            let (made, created) = try GiftKey.loadOrCreate(path: path)
            #expect(created)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let (again, createdAgain) = try GiftKey.loadOrCreate(path: path)
            #expect(!createdAgain)
            let secrets = try #require(Self.upload().secrets)
            let sealed = try made.seal(secrets, giftID: "gift-1", userID: "user-1")
            #expect(!sealed.contains(Self.apiKey))
            #expect(try again.open(sealed, giftID: "gift-1", userID: "user-1") == secrets)
            // Another gift's row, another owner, another key: nothing opens.
            #expect(throws: ByokyError.self) { try again.open(sealed, giftID: "gift-2", userID: "user-1") }
            #expect(throws: ByokyError.self) { try again.open(sealed, giftID: "gift-1", userID: "user-2") }
            let other = GiftKey(SymmetricKey(size: .bits256))
            #expect(throws: ByokyError.self) { try other.open(sealed, giftID: "gift-1", userID: "user-1") }

            // Instances starting together end with one key, whoever made the file.
            let racing = folder.path + "/racing.key"
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let (key, _) = try GiftKey.loadOrCreate(path: racing)
                        return try key.seal(secrets, giftID: "g", userID: "u")
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let onFile = try GiftKey.loadOrCreate(path: racing).key
            for sealedByOne in keys { #expect(try onFile.open(sealedByOne, giftID: "g", userID: "u") == secrets) }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".new") }.isEmpty
            )

            _ = FileManager.default.createFile(atPath: folder.path + "/bad.key", contents: Data("not a key\n".utf8))
            #expect(throws: ByokyError.self) { try GiftKey.loadOrCreate(path: folder.path + "/bad.key") }
        }
    }
}
