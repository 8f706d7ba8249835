public import ByokyCore
public import ByokyStore

/// The session behind an app's key and the owner's records its requests are planned and capped
/// with, read together: the wallet finds them all in its read cache in one look when they are
/// fresh, so a request does not wait on five separate reads. Held by reference: a request hands
/// them through several layers, and the cache hands the same ones to every request of a session.
public final class PlanningRecords: Sendable {
    /// The live session the key belongs to.
    public let session: SessionRecord
    /// The providers the session was granted, read from it once (the read cache keeps these
    /// records together, so a request does not split the session's list again).
    public let grantedProviders: [ProviderID]
    /// The routing group the session's app is in.
    public let group: GroupRecord?
    /// Every credential (masked).
    public let credentials: [CredentialRecord]
    /// Gifts received from others that requests may be routed through.
    public let receivedGifts: [ReceivedGiftRecord]
    /// The owner's token caps on the session's app.
    public let allowances: [AllowanceRecord]

    public init(
        session: SessionRecord,
        group: GroupRecord?,
        credentials: [CredentialRecord],
        receivedGifts: [ReceivedGiftRecord],
        allowances: [AllowanceRecord]
    ) {
        self.session = session
        grantedProviders = session.providerIDs
        self.group = group
        self.credentials = credentials
        self.receivedGifts = receivedGifts
        self.allowances = allowances
    }

    /// Reads them one by one from `holder`: the session first, then what its app is planned with.
    public static func read(sessionKey: String, from holder: some ProxyKeyHolder) async throws -> PlanningRecords {
        let session = try await holder.authenticate(sessionKey: sessionKey)
        return PlanningRecords(
            session: session,
            group: try await holder.group(forApp: session.appName),
            credentials: try await holder.credentials(),
            receivedGifts: try await holder.receivedGifts(),
            allowances: try await holder.allowances(forApp: session.appName)
        )
    }
}
