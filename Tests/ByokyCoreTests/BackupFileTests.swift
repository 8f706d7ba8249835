import ByokyCore
import Testing

struct BackupFileTests {
    @Test func sealedBackupOpensWithItsPasswordOnly() throws {
        let backup = ByokyBackup(
            exportedAt: 42,
            credentials: [
                ByokyBackup.Credential(
                    id: "a",
                    provider: .ollama,
                    label: "Local",
                    authMethod: .apiKey,
                    secret: SecretString(""),
                    baseURL: "http://127.0.0.1:11434",
                    createdAt: 1
                )
            ],
            gifts: [
                ByokyBackup.Gift(
                    id: "g",
                    credentialID: "a",
                    provider: .ollama,
                    label: "gift",
                    authToken: SecretString("gft_x"),
                    maxTokens: 100,
                    usedTokens: 5,
                    expiresAt: 9,
                    createdAt: 1,
                    isActive: true,
                    relayURL: "wss://relay.example"
                )
            ]
        )
        let file = try ByokyBackupFile.seal(backup, password: "Backup pass 1234")
        let opened = try ByokyBackupFile.open("\n" + file + "\n", password: "Backup pass 1234")
        #expect(opened == backup)
        #expect(throws: ByokyError(.decryptFailed, "")) { try ByokyBackupFile.open(file, password: "Backup pass 1235") }
    }

    @Test func rejectsDocumentsThatAreNotVersionTwoBackups() throws {
        let password = "Backup pass 1234"
        let notBackup = try ExtensionCrypto.encrypt(#"{"hello":"world"}"#, password: password)
        #expect(throws: ByokyError(.invalidRequest, "")) { try ByokyBackupFile.open(notBackup, password: password) }
        let version3 = try ExtensionCrypto.encrypt(#"{"version":3,"credentials":[]}"#, password: password)
        #expect(throws: ByokyError(.invalidRequest, "")) { try ByokyBackupFile.open(version3, password: password) }
        #expect(throws: ByokyError(.payloadTooLarge, "")) {
            try ByokyBackupFile.open(
                String(repeating: "A", count: ByokyBackupFile.maximumFileLength + 4),
                password: password
            )
        }
    }

    @Test func refreshTokensUnderAnotherPasswordAreCountedNotFatal() throws {
        let password = "Backup pass 1234"
        let key = try ExtensionCrypto.encrypt("sk-a", password: password)
        let refresh = try ExtensionCrypto.encrypt("rt", password: "the old master password")
        let json = """
            {"version":2,"exportedAt":1,"credentials":[{"id":"1","providerId":"anthropic","label":"L",\
            "authMethod":"oauth","createdAt":1,"encryptedAccessToken":"\(key)","encryptedRefreshToken":"\(refresh)"}],\
            "gifts":[],"giftedCredentials":[]}
            """
        let file = try ExtensionCrypto.encrypt(json, password: password)
        let backup = try ByokyBackupFile.open(file, password: password)
        #expect(backup.credentials.first?.secret.exposedValue == "sk-a")
        #expect(backup.credentials.first?.refreshToken == nil)
        #expect(backup.unreadableRefreshTokens == 1)
    }
}
