import SQLiteKit

extension WalletStore {
    // MARK: Settings

    /// The setting `key`, or `nil`.
    public func setting(_ key: String) async throws -> String? {
        struct Row: Decodable { let value: String }
        return try await database.raw("SELECT value FROM wallet_settings WHERE key = \(bind: key)")
            .first(decoding: Row.self)?.value
    }

    /// Sets (or replaces) the setting `key`.
    public func setSetting(_ key: String, to value: String) async throws {
        try await database.raw(
            "INSERT INTO wallet_settings (key, value) VALUES (\(bind: key), \(bind: value)) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ).run()
    }

    /// Inserts `key` only when it is not set yet; returns whether it was inserted.
    public func insertSettingIfAbsent(_ key: String, value: String) async throws -> Bool {
        try await database.raw(
            "INSERT INTO wallet_settings (key, value) VALUES (\(bind: key), \(bind: value)) ON CONFLICT(key) DO NOTHING"
        ).run()
        return try await setting(key) == value
    }

    // MARK: Credentials

    /// Adds a credential. - Throws: when the id or label is taken.
    public func insert(_ credential: CredentialRecord) async throws {
        try await database.insert(into: "credentials").model(credential).run()
    }

    /// Every credential, oldest first.
    public func credentials() async throws -> [CredentialRecord] {
        try await database.raw("SELECT * FROM credentials ORDER BY created_at, rowid").all(
            decoding: CredentialRecord.self
        )
    }

    /// The credential with `id` or `label`.
    public func credential(idOrLabel: String) async throws -> CredentialRecord? {
        try await database.raw(
            "SELECT * FROM credentials WHERE id = \(bind: idOrLabel) OR label = \(bind: idOrLabel) LIMIT 1"
        ).first(decoding: CredentialRecord.self)
    }

    /// Removes a credential; returns whether one was removed. With `removedAt`, the removal is
    /// remembered (a tombstone) until a vault has heard of it.
    public func deleteCredential(id: String, removedAt: Int64? = nil) async throws -> Bool {
        let before = try await credential(idOrLabel: id)
        try await database.raw("DELETE FROM credentials WHERE id = \(bind: id)").run()
        if let removedAt, before != nil {
            try await database.raw(
                """
                INSERT INTO credential_tombstones (id, removed_at) VALUES (\(bind: id), \(bind: removedAt))
                ON CONFLICT (id) DO UPDATE SET removed_at = excluded.removed_at
                """
            ).run()
        }
        return before != nil
    }

    /// Renames a credential; `at` makes it that much newer for syncing.
    public func renameCredential(id: String, to label: String, at time: Int64? = nil) async throws {
        try await database.raw(
            "UPDATE credentials SET label = \(bind: label), updated_at = COALESCE(\(bind: time), updated_at) WHERE id = \(bind: id)"
        ).run()
    }

    /// Replaces a credential's secret (sealed) as of `time`.
    public func replaceSecret(id: String, sealed: String, masked: String, at time: Int64) async throws {
        try await database.raw(
            """
            UPDATE credentials SET sealed_secret = \(bind: sealed), masked_secret = \(bind: masked),
                updated_at = \(bind: time) WHERE id = \(bind: id)
            """
        ).run()
    }

    /// Removals not yet heard of by a vault: (id, when).
    public func credentialTombstones() async throws -> [(id: String, removedAt: Int64)] {
        struct Row: Decodable {
            let id: String
            let removed_at: Int64
        }
        return try await database.raw("SELECT id, removed_at FROM credential_tombstones ORDER BY removed_at")
            .all(decoding: Row.self).map { ($0.id, $0.removed_at) }
    }

    /// Forgets a removal (a vault has heard of it, or the key came back).
    public func forgetTombstone(id: String) async throws {
        try await database.raw("DELETE FROM credential_tombstones WHERE id = \(bind: id)").run()
    }

    /// Marks a credential as used now.
    public func touchCredential(id: String, at time: Int64) async throws {
        try await database.raw("UPDATE credentials SET last_used_at = \(bind: time) WHERE id = \(bind: id)").run()
    }

    // MARK: Sessions

    /// Adds a session.
    public func insert(_ session: SessionRecord) async throws {
        try await database.insert(into: "sessions").model(session).run()
    }

    /// The session whose key hashes to `keyHash`.
    public func session(keyHash: String) async throws -> SessionRecord? {
        try await database.raw("SELECT * FROM sessions WHERE key_hash = \(bind: keyHash)").first(
            decoding: SessionRecord.self
        )
    }

    /// Every session, newest first.
    public func sessions() async throws -> [SessionRecord] {
        try await database.raw("SELECT * FROM sessions ORDER BY created_at DESC, rowid DESC").all(
            decoding: SessionRecord.self
        )
    }

    /// Revokes every active session; returns how many there were.
    public func revokeAllSessions(at time: Int64) async throws -> Int {
        let active = try await sessions().filter { $0.revokedAt == nil && $0.expiresAt > time }.count
        try await database.raw("UPDATE sessions SET revoked_at = \(bind: time) WHERE revoked_at IS NULL").run()
        return active
    }

    /// Whether some unrevoked, unexpired session is bound to the web origin `origin`.
    public func hasLiveSession(origin: String, now: Int64) async throws -> Bool {
        try await database.raw(
            "SELECT * FROM sessions WHERE app_origin = \(bind: origin) AND revoked_at IS NULL AND expires_at > \(bind: now) LIMIT 1"
        ).first(decoding: SessionRecord.self) != nil
    }

    /// Revokes a session (idempotent); returns whether it was active.
    public func revokeSession(id: String, at time: Int64) async throws -> Bool {
        let active = try await database.raw(
            "SELECT * FROM sessions WHERE id = \(bind: id) AND revoked_at IS NULL"
        ).first(decoding: SessionRecord.self)
        try await database.raw(
            "UPDATE sessions SET revoked_at = \(bind: time) WHERE id = \(bind: id) AND revoked_at IS NULL"
        ).run()
        return active != nil
    }

    // MARK: Audit log

    /// Appends to the audit log now.
    public func insert(_ entry: RequestLogRecord) async throws {
        try await database.insert(into: "request_log").model(entry).run()
    }

    /// Appends to the audit log without waiting: entries are written in batches just after the
    /// call; `onWritten` runs once this one is stored. Log queries see every queued entry.
    public func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void = {}) {
        logWriter.enqueue(entry, onWritten: onWritten)
    }

    /// Announces an entry that is about to be queued: log queries wait for it as for a queued one
    /// (for an entry made just after the answer it records has been sent). Each announcement must
    /// be followed at once by ``enqueue(_:announced:completing:onWritten:)``.
    public func announceEntry() {
        logWriter.announce()
    }

    /// Withdraws an announcement (``announceEntry()``) that no entry will follow: log queries stop
    /// waiting for it.
    public func withdrawEntry() {
        logWriter.withdrawAnnouncement()
    }

    /// ``enqueue(_:onWritten:)`` for an entry announced with ``announceEntry()`` (when
    /// `announced`), which `completing` (when given) finishes on the log writer's thread just
    /// before it is stored (log queries, which wait for queued entries, see it finished): work that
    /// need not delay the request, such as reading its usage.
    public func enqueue(
        _ entry: RequestLogRecord,
        announced: Bool,
        completing: (@Sendable (inout RequestLogRecord) -> Void)? = nil,
        onWritten: @escaping @Sendable () -> Void
    ) {
        logWriter.enqueue(entry, announced: announced, completing: completing, onWritten: onWritten)
    }

    /// How many audit-log rows are stored right now, without waiting for queued ones (tests of the
    /// writer).
    func storedLogEntryCount() async throws -> Int {
        try await database.raw("SELECT COUNT(*) AS n FROM request_log").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Returns once every audit-log entry queued so far is written.
    public func waitForQueuedLogEntries() async {
        await logWriter.waitUntilWritten()
    }

    /// The newest `limit` entries, newest first, optionally only for one session, app or provider.
    public func requestLog(
        limit: Int = 100,
        sessionID: String? = nil,
        app: String? = nil,
        provider: String? = nil
    ) async throws -> [RequestLogRecord] {
        await logWriter.waitUntilWritten()
        var query = database.select().column("*").from("request_log")
        if let sessionID { query = query.where("session_id", .equal, sessionID) }
        if let app { query = query.where("app_name", .equal, app) }
        if let provider { query = query.where("provider", .equal, provider) }
        return try await query.orderBy("created_at", .descending).orderBy("rowid", .descending).limit(limit)
            .all(decoding: RequestLogRecord.self)
    }
}
