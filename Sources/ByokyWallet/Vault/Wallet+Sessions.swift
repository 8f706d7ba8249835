public import ByokyCore
public import ByokyStore

/// A newly created session: its record and the key to hand to the app (shown once, never stored).
public struct SessionGrant: Sendable {
    public let record: SessionRecord
    public let key: SecretString
}

extension Wallet {
    /// The default session lifetime: 24 hours.
    public static let defaultSessionLifetime: Int64 = 24 * 60 * 60 * 1000
    /// The longest a session may live, in milliseconds: a year.
    public static let maximumSessionLifetime: Int64 = 365 * 24 * 60 * 60 * 1000

    /// Creates a session for an app.
    ///
    /// - Parameters:
    ///   - app: The app's self-declared identity.
    ///   - providers: The providers granted; empty grants every provider the wallet holds a key for.
    ///   - lifetime: Milliseconds until it expires.
    public func createSession(
        app: AppIdentity,
        providers: [ProviderID] = [],
        lifetime: Int64 = Wallet.defaultSessionLifetime
    ) async throws -> SessionGrant {
        guard !app.name.isEmpty, app.name.count <= 200 else {
            throw ByokyError(.invalidRequest, "An app name must be 1 to 200 characters")
        }
        guard (1...Self.maximumSessionLifetime).contains(lifetime) else {
            throw ByokyError(.invalidRequest, "A session lives 1 millisecond to 365 days")
        }
        for provider in providers where ProviderRegistry.provider(provider) == nil {
            throw ByokyError(.invalidRequest, "Unknown provider \"\(provider.rawValue)\"")
        }
        let granted =
            providers.isEmpty
            ? Array(
                Set(try await store.credentials().map(\.provider))
                    .union(try await store.receivedGifts().map(\.provider))
            ).sorted().map(\.rawValue) : providers.map(\.rawValue)
        let key = SecretString(SecureRandom.sessionKey())
        let created = now()
        let record = SessionRecord(
            id: SecureRandom.uuid(),
            keyHash: SecureHash.sha256Hex(key.exposedValue),
            appName: app.name,
            appOrigin: app.origin,
            providers: granted.joined(separator: ","),
            createdAt: created,
            expiresAt: created + lifetime
        )
        try await store.insert(record)
        return SessionGrant(record: record, key: key)
    }

    /// The live session for `key`.
    ///
    /// - Throws: ``ByokyError`` `UNAUTHORIZED` for an unknown or revoked key, `SESSION_EXPIRED`.
    public func authenticate(sessionKey key: String) async throws -> SessionRecord {
        let keyHash = try Self.sessionKeyHash(key)
        guard
            let record = try await cache.session(
                keyHash: keyHash,
                load: { [store] in try await store.session(keyHash: keyHash) }
            )
        else { throw Self.invalidSessionKey }
        try checkLive(record)
        return record
    }

    /// The live session for `key` and what its requests are planned with: from the read cache in
    /// one look when all of it is fresh, else read in turn (``authenticate(sessionKey:)`` first).
    public func planningRecords(sessionKey key: String) async throws -> PlanningRecords {
        if let cached = cache.planningRecords(keyHash: try Self.sessionKeyHash(key)) {
            try checkLive(cached.session)
            return cached
        }
        return try await PlanningRecords.read(sessionKey: key, from: self)
    }

    private static let invalidSessionKey = ByokyError(
        .unauthorized,
        "Invalid session key — connect the app to your byoky wallet again"
    )

    /// The hash a session's key is stored under (from the connection's ``SessionKeyMemo`` when it
    /// has just hashed the same key); a key that cannot be one is refused here.
    private static func sessionKeyHash(_ key: String) throws -> String {
        guard key.hasPrefix("byk_"), key.utf8.count <= 128 else { throw invalidSessionKey }
        return SessionKeyMemo.current?.hash(of: key) ?? SecureHash.sha256Hex(key)
    }

    /// Refuses a revoked or expired session.
    private func checkLive(_ record: SessionRecord) throws {
        guard record.revokedAt == nil else {
            throw ByokyError(.unauthorized, "This session was revoked — connect the app again")
        }
        guard record.expiresAt > now() else { throw ByokyError.sessionExpired() }
    }

    /// Every session, as listings show it (active first).
    public func sessionSummaries() async throws -> [SessionSummary] {
        try await store.sessions().map(SessionSummary.init)
    }

    /// Revokes every session at once; returns how many were active.
    @discardableResult
    public func revokeAllSessions() async throws -> Int {
        let count = try await store.revokeAllSessions(at: now())
        cache.invalidate()
        return count
    }

    /// Revokes the session with `id`.
    public func revokeSession(id: String) async throws {
        let revoked = try await store.revokeSession(id: id, at: now())
        cache.invalidate()
        guard revoked else { throw ByokyError(.notFound, "No active session \(id)") }
    }
}
