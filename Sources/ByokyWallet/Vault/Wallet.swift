public import ByokyCore
public import ByokyStore
import Crypto
import Synchronization

/// The owner's wallet: an encrypted store of provider credentials plus the sessions apps use.
///
/// Secrets are sealed under a random data key; the data key is wrapped under a key derived from
/// the master password (see ``WrappedDataKey``). The data key lives only in memory, and only
/// while the wallet is unlocked.
public final class Wallet: Sendable {
    /// The database.
    public let store: WalletStore
    /// Unix milliseconds now; injectable for tests of expiry and back-off.
    public let now: @Sendable () -> Int64
    private let vault = Mutex<UnlockedVault?>(nil)
    /// Recently read records for the request path.
    let cache = ReadCache()

    static let wrappedKeySetting = "vault.wrapped_data_key"

    init(store: WalletStore, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.now = now
    }

    /// Opens the wallet in `home` (creating the database, but not a vault, if needed).
    public static func open(
        home: WalletHome,
        now: @escaping @Sendable () -> Int64 = { WallClock.nowMilliseconds() }
    ) async throws -> Wallet {
        Wallet(store: try await WalletStore.open(at: home.databasePath), now: now)
    }

    /// Closes the database; the wallet locks.
    public func close() async throws {
        lock()
        try await store.close()
    }

    /// Whether ``initialize(password:iterations:)`` has run.
    public func isInitialized() async throws -> Bool {
        try await store.setting(Self.wrappedKeySetting) != nil
    }

    /// Sets the wallet up with `password` and leaves it unlocked.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` when the wallet already has a vault or the password
    ///   is too weak.
    public func initialize(password: String, iterations: Int = KeyDerivation.defaultIterations) async throws {
        let strength = PasswordStrength(password)
        guard strength.isAcceptable else {
            throw ByokyError(
                .invalidRequest,
                "The master password is too weak (\(strength.label)): \(strength.feedback.joined(separator: "; "))"
            )
        }
        let (wrapped, key) = try await KeyDerivationWork.run {
            try WrappedDataKey.create(password: password, iterations: iterations)
        }
        let text = try JSONCoding.encodeString(wrapped)
        guard try await store.insertSettingIfAbsent(Self.wrappedKeySetting, value: text) else {
            throw ByokyError(.invalidRequest, "This wallet is already set up; use `byoky unlock`")
        }
        setDataKey(key)
    }

    /// Drops every cached read, e.g. after another process changed the store.
    public func invalidateCaches() {
        cache.invalidate()
    }

    /// Whether the wallet is unlocked.
    public var isUnlocked: Bool { vault.withLock { $0 != nil } }

    /// Forgets the data key and every opened secret.
    public func lock() {
        vault.withLock { $0 = nil }
    }

    func setDataKey(_ key: SymmetricKey) {
        vault.withLock { $0 = UnlockedVault(dataKey: key) }
    }

    /// The data key, or `WALLET_LOCKED`.
    func requireDataKey() throws -> SymmetricKey {
        guard let key = vault.withLock({ $0?.dataKey }) else {
            throw ByokyError(.walletLocked, "The wallet is locked — run `byoky unlock` or start `byoky serve`")
        }
        return key
    }

    /// The secret of credential `id` sealed as `sealed`: the one opened before, or `open(dataKey)`
    /// remembered for next time. `WALLET_LOCKED` when locked.
    func openedSecret(
        credentialID id: String,
        sealed: String,
        open: (SymmetricKey) throws -> SecretString
    ) throws -> SecretString {
        if let hit = vault.withLock({ $0?.secret(credentialID: id, sealed: sealed) }) { return hit }
        let key = try requireDataKey()
        let secret = try open(key)
        vault.withLock { vault in
            // Only into the vault the key came from: a lock and unlock in between started a new one.
            guard vault?.dataKey == key else { return }
            vault?.remember(secret, credentialID: id, sealed: sealed)
        }
        return secret
    }
}
