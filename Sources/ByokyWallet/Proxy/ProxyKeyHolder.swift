public import ByokyCore
public import ByokyStore

/// Whoever holds the keys a ``ProxyEngine`` serves with: the owner's ``Wallet`` on this machine,
/// or a vault account serving an app where no wallet runs.
///
/// The engine asks it, per request, who the app is, how it is routed and capped, and for the key;
/// everything else (URL and header policy, translation, streaming, metering) is the engine's own.
public protocol ProxyKeyHolder: Sendable {
    /// Milliseconds since 1970 (injectable in tests).
    var now: @Sendable () -> Int64 { get }
    /// Where the audit log and the usage the caps count are kept.
    var proxyRecords: any ProxyRecords { get }

    /// The live session behind an app's key, or throws ``ByokyError`` `UNAUTHORIZED` /
    /// `SESSION_EXPIRED`.
    func authenticate(sessionKey: String) async throws -> SessionRecord
    /// The routing group an app (by its session's name) is in.
    func group(forApp app: String) async throws -> GroupRecord?
    /// Every credential (masked).
    func credentials() async throws -> [CredentialRecord]
    /// The owner's token caps on an app.
    func allowances(forApp app: String) async throws -> [AllowanceRecord]
    /// The plain secret of a credential, for the request being sent.
    func secret(of credential: CredentialRecord) throws -> SecretString

    /// Gifts received from others that requests may be routed through.
    func receivedGifts() async throws -> [ReceivedGiftRecord]
    /// The relay token of a received gift.
    func token(of gift: ReceivedGiftRecord) throws -> SecretString
    /// Notes what the giver reported of a received gift.
    func noteReceivedGift(id: String, usedTokens: Int?, endedReason: GiftEndReason?) async

    /// The session behind `sessionKey` (as ``authenticate(sessionKey:)`` finds it, with its
    /// errors) and the records its requests are planned with. By default each is read in turn.
    func planningRecords(sessionKey: String) async throws -> PlanningRecords
}

extension ProxyKeyHolder {
    public func planningRecords(sessionKey: String) async throws -> PlanningRecords {
        try await PlanningRecords.read(sessionKey: sessionKey, from: self)
    }
}

/// The audit log as the proxy engine writes and reads it.
public protocol ProxyRecords: Sendable {
    /// Tokens an app used (of one provider, or all when `provider` is empty) since a time.
    func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int
    /// Stores a log entry off the request's path; `onWritten` runs once it is stored.
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void)
    /// Announces an entry about to be stored (made just after its answer was sent): readers of
    /// the log wait for it. By default nothing (the entry is stored before anyone asks).
    func announceEntry()
    /// ``enqueue(_:onWritten:)`` for an entry announced with ``announceEntry()`` (when `announced`),
    /// which `completing` (when given) finishes before it is stored: off the request's path where
    /// the log has a writer of its own, at once by default.
    func enqueue(
        _ entry: RequestLogRecord,
        announced: Bool,
        completing: (@Sendable (inout RequestLogRecord) -> Void)?,
        onWritten: @escaping @Sendable () -> Void
    )
    /// Withdraws an announcement no entry will follow.
    func withdrawEntry()
    /// Notes when a credential was last used.
    func touchCredential(id: String, at time: Int64) async throws
}

extension ProxyRecords {
    public func announceEntry() {}

    public func withdrawEntry() {}

    public func enqueue(
        _ entry: RequestLogRecord,
        announced: Bool,
        completing: (@Sendable (inout RequestLogRecord) -> Void)?,
        onWritten: @escaping @Sendable () -> Void
    ) {
        var entry = entry
        completing?(&entry)
        enqueue(entry, onWritten: onWritten)
    }
}

extension WalletStore: ProxyRecords {}

extension Wallet: ProxyKeyHolder {
    public var proxyRecords: any ProxyRecords { store }
}
