public import ByokyCore
public import ByokyStore
public import ByokyWallet

/// What a ``GiftHost`` serves gifts from: the giver's own wallet, or a vault holding the gifts its
/// owners chose to have served while their wallets are offline.
public protocol GiftSource: Sendable {
    /// The relay sender priority: 1 for the giver's wallet, 0 for a fallback (a vault), which the
    /// relay sends requests to only while no priority 1 sender holds the room.
    var senderPriority: Int { get }

    /// The time now (Unix ms).
    func now() -> Int64

    /// Every gift to host now, ended ones included (they answer with their reason for
    /// ``GiftHost/lingering``); `nil` when none can be read (a locked wallet).
    func giftsToHost() async -> [GiftRecord]?

    /// The secrets that hold a gift's room and open its requests.
    func hostingSecrets(of gift: GiftRecord) async throws -> GiftHostingSecrets

    /// The gift as it stands now; read for every request, so a revocation takes effect at once.
    func currentGift(_ id: String) async throws -> GiftRecord

    /// Serves one request with the gift; `onSettled` hears the gift's new total of used tokens.
    func serve(
        _ request: ProxyRequest,
        gift: GiftRecord,
        onSettled: @escaping @Sendable (Int) -> Void
    ) async -> ProxyResponse

    /// Records a gift's total of used tokens, never lowering it: after this host served a request,
    /// or when another sender of the room reported its own total.
    func recordUsage(giftID: String, usedTokens: Int) async
}

/// The secrets that hold a gift's relay room: the sender key that proves the room, the
/// recipients' token and the private key requests are sealed to.
public struct GiftHostingSecrets: Sendable {
    public var senderKey: SecretString
    public var token: SecretString
    public var privateKey: SecretString

    public init(senderKey: SecretString, token: SecretString, privateKey: SecretString) {
        self.senderKey = senderKey
        self.token = token
        self.privateKey = privateKey
    }
}
