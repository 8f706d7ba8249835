import ByokyCore
import ByokyTesting
import Synchronization
import Testing

@testable import ByokyStore
@testable import ByokyWallet

/// A controllable clock for expiry and back-off.
final class TestClock: Sendable {
    private let value = Mutex<Int64>(1_764_000_000_000)
    var now: Int64 { value.withLock { $0 } }
    func advance(milliseconds: Int64) { value.withLock { $0 += milliseconds } }
}

@Suite(.timeLimit(.minutes(3)))
struct WalletTests {
    static let password = "Correct-Horse-Battery-9"

    static func withWallet(
        initialized: Bool = true,
        clock: TestClock = TestClock(),
        _ body: (Wallet, TemporaryFolder) async throws -> Void
    ) async throws {
        try await TemporaryFolder.with { folder in
            let wallet = try await Wallet.open(home: WalletHome(path: folder.path + "/home"), now: { clock.now })
            do {
                if initialized { try await wallet.initialize(password: password, iterations: 100_000) }
                try await body(wallet, folder)
            } catch {
                try? await wallet.close()
                throw error
            }
            try await wallet.close()
        }
    }

    @Test func initializeUnlockAndLock() async throws {
        try await Self.withWallet(initialized: false) { wallet, folder in
            #expect(try await !wallet.isInitialized())
            await #expect(throws: ByokyError(.invalidRequest, "")) { try await wallet.initialize(password: "weak") }
            try await wallet.initialize(password: Self.password, iterations: 100_000)
            #expect(wallet.isUnlocked)
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await wallet.initialize(password: Self.password, iterations: 100_000)
            }
            wallet.lock()
            #expect(!wallet.isUnlocked)
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.unlock(password: "wrong password!!")
            }
            try await wallet.unlock(password: Self.password)
            #expect(wallet.isUnlocked)
        }
    }

    @Test func databaseAndFolderAreOwnerOnly() async throws {
        try await Self.withWallet { wallet, folder in
            #expect(FilePermissionsProbe.mode(of: folder.path + "/home") == 0o700)
            #expect(FilePermissionsProbe.mode(of: wallet.store.path) == 0o600)
            let version = try await wallet.store.schemaVersion()
            #expect(version == WalletStore.latestSchemaVersion)
            #expect(version >= 2)
        }
    }

    @Test func wrongPasswordsBackOffAndTheBackOffSurvivesReopening() async throws {
        let clock = TestClock()
        try await TemporaryFolder.with { folder in
            let home = WalletHome(path: folder.path)
            let wallet = try await Wallet.open(home: home, now: { clock.now })
            try await wallet.initialize(password: Self.password, iterations: 100_000)
            wallet.lock()
            for _ in 0..<5 {
                await #expect(throws: ByokyError(.unauthorized, "")) {
                    try await wallet.unlock(password: "nope nope nope")
                }
            }
            await #expect(throws: ByokyError(.tooManyRequests, "")) { try await wallet.unlock(password: Self.password) }
            try await wallet.close()

            let reopened = try await Wallet.open(home: home, now: { clock.now })
            await #expect(throws: ByokyError(.tooManyRequests, "")) {
                try await reopened.unlock(password: Self.password)
            }
            clock.advance(milliseconds: 61_000)
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await reopened.unlock(password: "still wrong!!")
            }
            clock.advance(milliseconds: 61_000)
            await #expect(throws: ByokyError(.tooManyRequests, "")) {
                try await reopened.unlock(password: Self.password)
            }
            clock.advance(milliseconds: 60_000)
            try await reopened.unlock(password: Self.password)
            reopened.lock()
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await reopened.unlock(password: "wrong again!!")
            }
            try await reopened.unlock(password: Self.password)
            try await reopened.close()
        }
    }

    @Test func changingThePasswordKeepsTheSecrets() async throws {
        try await Self.withWallet { wallet, _ in
            let record = try await wallet.addCredential(provider: .openai, secret: SecretString("sk-proj-keepme"))
            try await wallet.changePassword(from: Self.password, to: "Another-Strong-Pass-7")
            wallet.lock()
            await #expect(throws: ByokyError(.unauthorized, "")) { try await wallet.unlock(password: Self.password) }
            try await wallet.unlock(password: "Another-Strong-Pass-7")
            #expect(try await wallet.credentials().first?.id == record.id)
        }
    }

    @Test func openedSecretsFollowTheStoredSealAndTheLock() async throws {
        try await Self.withWallet { wallet, _ in
            let record = try await wallet.addCredential(provider: .openai, secret: SecretString("sk-proj-opened-1"))
            #expect(try wallet.secret(of: record).exposedValue == "sk-proj-opened-1")
            // The same id with other sealed text is opened again, not answered from memory.
            var damaged = record
            damaged.sealedSecret = String(record.sealedSecret.dropLast(4)) + "AAAA"
            #expect(throws: ByokyError(.decryptFailed, "")) { try wallet.secret(of: damaged) }
            #expect(try wallet.secret(of: record).exposedValue == "sk-proj-opened-1")
            wallet.lock()
            #expect(throws: ByokyError(.walletLocked, "")) { try wallet.secret(of: record) }
            try await wallet.unlock(password: Self.password)
            #expect(try wallet.secret(of: record).exposedValue == "sk-proj-opened-1")
        }
    }

    @Test func credentialsAreSealedMaskedAndNamedUniquely() async throws {
        try await Self.withWallet { wallet, folder in
            let first = try await wallet.addCredential(
                provider: .anthropic,
                secret: SecretString("sk-ant-api03-CANARY-123456")
            )
            let second = try await wallet.addCredential(
                provider: .anthropic,
                secret: SecretString("sk-ant-api03-other-99")
            )
            #expect(first.label == "Anthropic")
            #expect(second.label == "Anthropic 2")
            #expect(first.maskedSecret == "sk-a...3456")
            #expect(first.authMethod == .apiKey)
            let setupToken = try await wallet.addCredential(
                provider: .anthropic,
                secret: SecretString("sk-ant-oat01-token"),
                label: "cc"
            )
            #expect(setupToken.authMethod == .oauth)
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await wallet.addCredential(provider: .openai, secret: SecretString("k"), label: "cc")
            }
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await wallet.addCredential(provider: "acme", secret: SecretString("k"))
            }
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await wallet.addCredential(provider: .openai, secret: SecretString("a\nb"))
            }
            await #expect(throws: ByokyError(.invalidURL, "")) {
                try await wallet.addCredential(provider: .azureOpenAI, secret: SecretString("k"))
            }
            await #expect(throws: ByokyError(.invalidURL, "")) {
                try await wallet.addCredential(
                    provider: .openai,
                    secret: SecretString("k"),
                    baseURL: "http://evil.example"
                )
            }
            let local = try await wallet.addCredential(
                provider: .ollama,
                secret: SecretString(""),
                baseURL: "http://127.0.0.1:11434/"
            )
            #expect(local.baseURL == "http://127.0.0.1:11434")

            try await wallet.renameCredential("Anthropic 2", to: "work")
            try await wallet.removeCredential("cc")
            #expect(try await wallet.credentials().map(\.label) == ["Anthropic", "work", "Ollama (local)"])
            await #expect(throws: ByokyError(.notFound, "")) { try await wallet.removeCredential("cc") }

            wallet.lock()
            await #expect(throws: ByokyError(.walletLocked, "")) {
                try await wallet.addCredential(provider: .openai, secret: SecretString("k"))
            }
            #expect(try await wallet.credentials().count == 3)
            try await wallet.close()
            let canary = Array("CANARY".utf8)
            let files = folder.allFileContents()
            #expect(!files.isEmpty)
            #expect(files.firstRange(of: canary) == nil)
        }
    }

    @Test func sessionLifetimesOutsideAMillisecondToAYearAreRefused() async throws {
        try await Self.withWallet { wallet, _ in
            for lifetime: Int64 in [0, -60_000, Wallet.maximumSessionLifetime + 1, .max] {
                await #expect(throws: ByokyError(.invalidRequest, ""), "\(lifetime)") {
                    try await wallet.createSession(app: AppIdentity(name: "Chat"), lifetime: lifetime)
                }
            }
            let longest = try await wallet.createSession(
                app: AppIdentity(name: "Chat"),
                lifetime: Wallet.maximumSessionLifetime
            )
            #expect(longest.record.expiresAt - longest.record.createdAt == Wallet.maximumSessionLifetime)
            #expect(try await wallet.sessionSummaries().count == 1)
        }
    }

    @Test func sessionsAuthenticateExpireAndRevoke() async throws {
        let clock = TestClock()
        try await Self.withWallet(clock: clock) { wallet, _ in
            try await wallet.addCredential(provider: .openai, secret: SecretString("sk-proj-x"))
            let grant = try await wallet.createSession(app: AppIdentity(name: "Chat"), lifetime: 60_000)
            #expect(grant.key.exposedValue.hasPrefix("byk_"))
            #expect(grant.record.providerIDs == ["openai"])
            #expect(grant.record.keyHash != grant.key.exposedValue)
            #expect(try await wallet.authenticate(sessionKey: grant.key.exposedValue).id == grant.record.id)
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.authenticate(sessionKey: "byk_nope")
            }
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.authenticate(sessionKey: "sk-proj-x")
            }

            clock.advance(milliseconds: 61_000)
            await #expect(throws: ByokyError(.sessionExpired, "")) {
                try await wallet.authenticate(sessionKey: grant.key.exposedValue)
            }
            let other = try await wallet.createSession(app: AppIdentity(name: "Tool"), providers: [.anthropic])
            #expect(other.record.providerIDs == ["anthropic"])
            try await wallet.revokeSession(id: other.record.id)
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.authenticate(sessionKey: other.key.exposedValue)
            }
            await #expect(throws: ByokyError(.notFound, "")) { try await wallet.revokeSession(id: other.record.id) }
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await wallet.createSession(app: AppIdentity(name: "x"), providers: ["acme"])
            }
            let first = try await wallet.createSession(app: AppIdentity(name: "One"))
            let second = try await wallet.createSession(app: AppIdentity(name: "Two"))
            #expect(try await wallet.revokeAllSessions() == 2)
            for grant in [first, second] {
                await #expect(throws: ByokyError(.unauthorized, "")) {
                    try await wallet.authenticate(sessionKey: grant.key.exposedValue)
                }
            }
        }
    }

    /// A request's session and records read together: the same as read one by one, and the
    /// session is checked again on every read, even when it comes from the read cache.
    @Test func planningRecordsMatchTheSingleReadsAndCheckTheSessionEachTime() async throws {
        let clock = TestClock()
        try await Self.withWallet(clock: clock) { wallet, _ in
            try await wallet.addCredential(provider: .openai, secret: SecretString("sk-proj-x"))
            try await wallet.addGroup(name: "cheap", provider: .openai, model: "gpt-5.4-mini")
            try await wallet.assign(app: "Chat", toGroup: "cheap")
            try await wallet.setAllowance(app: "Chat", tokens: 5_000, provider: .openai)
            let grant = try await wallet.createSession(app: AppIdentity(name: "Chat"), lifetime: 60_000)
            let key = grant.key.exposedValue
            // The first read fills the cache one record at a time; the second finds it all there.
            for _ in 0..<2 {
                let records = try await wallet.planningRecords(sessionKey: key)
                #expect(records.session.id == grant.record.id)
                #expect(records.group?.name == "cheap")
                #expect(records.credentials.map(\.id) == (try await wallet.credentials()).map(\.id))
                #expect(records.allowances.map(\.tokenLimit) == [5_000])
                #expect(records.receivedGifts.isEmpty)
            }
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.planningRecords(sessionKey: "sk-proj-x")
            }
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.planningRecords(sessionKey: "byk_nope")
            }
            // Within the cache's second the session is still cached, and has expired meanwhile.
            clock.advance(milliseconds: 61_000)
            await #expect(throws: ByokyError(.sessionExpired, "")) {
                try await wallet.planningRecords(sessionKey: key)
            }
            let other = try await wallet.createSession(app: AppIdentity(name: "Chat"), lifetime: 60_000)
            _ = try await wallet.planningRecords(sessionKey: other.key.exposedValue)
            try await wallet.revokeSession(id: other.record.id)
            await #expect(throws: ByokyError(.unauthorized, "")) {
                try await wallet.planningRecords(sessionKey: other.key.exposedValue)
            }
        }
    }

    /// A connection's memo of its last session key's hash: whatever keys come on it, in any
    /// order, each is hashed as itself (a key one byte off never gets another's hash), and the
    /// session is still looked up and checked on every request.
    @Test func aConnectionsKeyMemoNeverAnswersForAnotherKey() async throws {
        let memo = SessionKeyMemo()
        let a = "byk_" + String(repeating: "a", count: 32)
        let b = "byk_" + String(repeating: "b", count: 32)
        let nearA = "byk_" + String(repeating: "a", count: 31) + "b"
        for key in [a, a, b, a, nearA, nearA, a, "byk_", b] {
            #expect(memo.hash(of: key) == SecureHash.sha256Hex(key), "\(key)")
        }
        try await Self.withWallet { wallet, _ in
            try await wallet.addCredential(provider: .openai, secret: SecretString("sk-proj-x"))
            let first = try await wallet.createSession(app: AppIdentity(name: "One"))
            let second = try await wallet.createSession(app: AppIdentity(name: "Two"))
            let firstKey = first.key.exposedValue
            let offByOne = String(firstKey.dropLast()) + (firstKey.hasSuffix("0") ? "1" : "0")
            try await SessionKeyMemo.$current.withValue(SessionKeyMemo()) {
                for grant in [first, first, second, first] {
                    let records = try await wallet.planningRecords(sessionKey: grant.key.exposedValue)
                    #expect(records.session.id == grant.record.id)
                    #expect(try await wallet.authenticate(sessionKey: grant.key.exposedValue).id == grant.record.id)
                }
                await #expect(throws: ByokyError(.unauthorized, "")) {
                    try await wallet.planningRecords(sessionKey: offByOne)
                }
                _ = try await wallet.planningRecords(sessionKey: firstKey)
                try await wallet.revokeSession(id: first.record.id)
                await #expect(throws: ByokyError(.unauthorized, "")) {
                    try await wallet.planningRecords(sessionKey: firstKey)
                }
            }
        }
    }
}

enum FilePermissionsProbe {
    static func mode(of path: String) -> UInt32? { FilePermissions.mode(of: path) }
}
