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

    /// Each sealed value takes a key derivation to open, so a file may hold only so many: past the
    /// limit (keys, refresh tokens and gift tokens counted together) it is refused before any is
    /// opened; at the limit every one is opened.
    @Test func aBackupWithMoreSealedValuesThanTheLimitIsRefusedBeforeAnyIsOpened() throws {
        let limit = ByokyBackupFile.maximumSealedValues
        func document(keys: Int, refreshTokens: Int, gifts: Int) -> String {
            let credentials = (0..<keys).map { index in
                let refresh = index < refreshTokens ? #","encryptedRefreshToken":"r\#(index)""# : ""
                return #"{"id":"\#(index)","providerId":"anthropic","label":"L\#(index)","authMethod":"oauth","#
                    + #""createdAt":1,"encryptedAccessToken":"k\#(index)"\#(refresh)}"#
            }
            let giftItems = (0..<gifts).map { index in
                #"{"id":"g\#(index)","credentialId":"0","providerId":"anthropic","label":"G","authToken":"t\#(index)","#
                    + #""maxTokens":10,"usedTokens":0,"expiresAt":9,"createdAt":1,"active":true,"relayUrl":"wss://r"}"#
            }
            return #"{"version":2,"exportedAt":1,"credentials":[\#(credentials.joined(separator: ","))],"#
                + #""gifts":[\#(giftItems.joined(separator: ","))],"giftedCredentials":[]}"#
        }
        for (keys, refreshTokens, gifts) in [(limit + 1, 0, 0), (limit / 2, limit / 2, 1), (limit - 5, 0, 6)] {
            var opened = 0
            #expect(throws: ByokyError(.payloadTooLarge, "")) {
                try ByokyBackupFile.backup(fromJSON: document(keys: keys, refreshTokens: refreshTokens, gifts: gifts)) {
                    opened += 1
                    return SecretString($0)
                }
            }
            #expect(opened == 0, "\(keys) keys, \(refreshTokens) refresh tokens, \(gifts) gifts")
        }
        var opened = 0
        let backup = try ByokyBackupFile.backup(
            fromJSON: document(keys: limit / 2, refreshTokens: limit / 4, gifts: limit / 4)
        ) {
            opened += 1
            return SecretString($0)
        }
        #expect(opened == limit)
        #expect(backup.credentials.count == limit / 2 && backup.gifts.count == limit / 4)
    }
}
