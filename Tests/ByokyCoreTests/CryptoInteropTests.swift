import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// Byoky's crypto formats against an independent implementation (Python `cryptography`,
/// `Tests/Interop/crypto_interop.py`): committed vectors it made, and live runs both ways.
struct CryptoInteropTests {
    @Test func opensCiphertextsMadeByTheIndependentImplementation() throws {
        let vectors = try Fixtures.json("crypto/vectors.json")
        let password = try #require(vectors["password"] as? String)
        let cases = try #require(vectors["encrypt"] as? [[String: String]])
        #expect(cases.count == 3)
        for item in cases {
            let ciphertext = try #require(item["ciphertext"])
            #expect(try ExtensionCrypto.decrypt(ciphertext, password: password) == item["plaintext"])
        }
        let hash = try #require(vectors["hash"] as? String)
        #expect(ExtensionCrypto.verifyPassword(password, against: hash))
        #expect(!ExtensionCrypto.verifyPassword(password + "x", against: hash))
    }

    @Test func opensABackupFileMadeByTheIndependentImplementation() throws {
        let vectors = try Fixtures.json("crypto/vectors.json")
        let backupVector = try #require(vectors["backup"] as? [String: Any])
        let file = try #require(backupVector["file"] as? String)
        let password = try #require(backupVector["password"] as? String)
        let backup = try ByokyBackupFile.open(file, password: password)
        #expect(backup.exportedAt == 1_764_000_000_000)
        #expect(backup.credentials.map(\.id) == ["c1", "c2", "c3"])
        #expect(backup.credentials[0].secret.exposedValue == "sk-ant-api03-FIXTUREKEY")
        #expect(backup.credentials[0].authMethod == .apiKey)
        #expect(backup.credentials[1].authMethod == .oauth)
        #expect(backup.credentials[1].secret.exposedValue == "sk-ant-oat01-FIXTURETOKEN")
        #expect(backup.credentials[1].refreshToken?.exposedValue == "refresh-FIXTURE")
        #expect(backup.credentials[1].lastUsedAt == 1_763_500_000_000)
        #expect(backup.credentials[2].baseURL == "https://example.openai.azure.com")
        #expect(backup.credentials[2].provider == .azureOpenAI)
        #expect(backup.gifts.first?.authToken.exposedValue == "gft_0123456789abcdef0123456789abcdef")
        #expect(backup.gifts.first?.usedTokens == 2500)
        #expect(backup.giftedCredentials.first?.senderLabel == "Bo")
        #expect(backup.unreadableRefreshTokens == 0)
        #expect(throws: ByokyError(.decryptFailed, "")) { try ByokyBackupFile.open(file, password: "wrong") }
    }

    @Test(.enabled(if: PythonInterop.isEnabled(needing: ["cryptography"])))
    func independentImplementationOpensOurCiphertextAndWeOpensTheirs() async throws {
        let password = "interop password 🔐 42"
        let plaintext = "sk-proj-ünïcødé-\(SecureRandom.hexToken(byteCount: 8))"
        let ours = try ExtensionCrypto.encrypt(plaintext, password: password)
        let opened = try await python(["op": "decrypt", "password": password, "ciphertext": ours])
        #expect(opened["plaintext"] as? String == plaintext)

        let theirs = try await python(["op": "encrypt", "password": password, "plaintext": plaintext])
        #expect(
            try ExtensionCrypto.decrypt(try #require(theirs["ciphertext"] as? String), password: password) == plaintext
        )

        let ourHash = try ExtensionCrypto.hashPassword(password)
        #expect(try await python(["op": "verify", "password": password, "hash": ourHash])["valid"] as? Bool == true)
        #expect(try await python(["op": "verify", "password": "nope", "hash": ourHash])["valid"] as? Bool == false)
        let theirHash = try #require(try await python(["op": "hash", "password": password])["hash"] as? String)
        #expect(ExtensionCrypto.verifyPassword(password, against: theirHash))
    }

    @Test(.enabled(if: PythonInterop.isEnabled(needing: ["cryptography"])))
    func backupFilesMoveBothWays() async throws {
        let password = "backup-Password#2026"
        let backup = ByokyBackup(
            exportedAt: 1_764_100_000_000,
            credentials: [
                ByokyBackup.Credential(
                    id: "k1",
                    provider: .openai,
                    label: "Personal",
                    authMethod: .apiKey,
                    secret: SecretString("sk-proj-ROUNDTRIP"),
                    createdAt: 1_764_000_000_000
                ),
                ByokyBackup.Credential(
                    id: "k2",
                    provider: .anthropic,
                    label: "Claude Code",
                    authMethod: .oauth,
                    secret: SecretString("sk-ant-oat01-RT"),
                    refreshToken: SecretString("rt-RT"),
                    createdAt: 1_764_000_000_001
                ),
            ],
            giftedCredentials: [
                ByokyBackup.GiftedCredential(
                    id: "r1",
                    giftID: "g1",
                    provider: .gemini,
                    providerName: "Google Gemini",
                    senderLabel: "Cy",
                    authToken: SecretString("gft_rt"),
                    maxTokens: 10,
                    usedTokens: 1,
                    expiresAt: 1_900_000_000_000,
                    relayURL: "wss://relay.byoky.com",
                    createdAt: 1_764_000_000_000
                )
            ]
        )
        let file = try ByokyBackupFile.seal(backup, password: password)
        let imported = try await python(["op": "import", "password": password, "file": file])
        let contents = try #require(imported["backup"] as? [String: Any])
        let credentials = try #require(contents["credentials"] as? [[String: Any]])
        #expect(credentials.map { $0["secret"] as? String } == ["sk-proj-ROUNDTRIP", "sk-ant-oat01-RT"])
        #expect(credentials[1]["refreshToken"] as? String == "rt-RT")
        #expect(credentials[1]["authMethod"] as? String == "oauth")
        let gifted = try #require(contents["giftedCredentials"] as? [[String: Any]])
        #expect(gifted.first?["authToken"] as? String == "gft_rt")

        let exported = try await python([
            "op": "export", "password": password,
            "backup": [
                "exportedAt": 5,
                "credentials": [
                    [
                        "id": "x", "providerId": "mistral", "label": "M", "authMethod": "api_key", "createdAt": 1,
                        "secret": "mistral-KEY",
                    ]
                ],
            ] as [String: Any],
        ])
        let reopened = try ByokyBackupFile.open(try #require(exported["file"] as? String), password: password)
        #expect(reopened.credentials.map(\.secret.exposedValue) == ["mistral-KEY"])
        #expect(reopened.credentials.first?.provider == .mistral)
    }

    private func python(_ request: [String: Any]) async throws -> [String: Any] {
        let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let output = try await PythonInterop.runScript("crypto_interop.py", input: input)
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }
}
