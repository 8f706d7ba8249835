public import ByokyStore
public import ByokyWallet

/// The giver's wallet as a ``GiftSource``: the room's primary sender, serving with the wallet's
/// own credential through its proxy engine.
public struct WalletGiftSource: GiftSource {
    let wallet: Wallet
    let engine: ProxyEngine

    public init(wallet: Wallet, engine: ProxyEngine) {
        self.wallet = wallet
        self.engine = engine
    }

    public var senderPriority: Int { 1 }

    public func now() -> Int64 { wallet.now() }

    public func giftsToHost() async -> [GiftRecord]? {
        guard wallet.isUnlocked else { return nil }
        return try? await wallet.gifts()
    }

    public func hostingSecrets(of gift: GiftRecord) async throws -> GiftHostingSecrets {
        let secrets = try wallet.hostingSecrets(of: gift)
        return GiftHostingSecrets(senderKey: secrets.senderKey, token: secrets.token, privateKey: secrets.privateKey)
    }

    public func currentGift(_ id: String) async throws -> GiftRecord {
        try await wallet.gift(id)
    }

    public func serve(
        _ request: ProxyRequest,
        gift: GiftRecord,
        onSettled: @escaping @Sendable (Int) -> Void
    ) async -> ProxyResponse {
        await engine.serveGift(request, gift: gift, onSettled: onSettled)
    }

    public func recordUsage(giftID: String, usedTokens: Int) async {
        try? await wallet.recordGiftUsage(id: giftID, usedTokens: usedTokens)
    }
}
