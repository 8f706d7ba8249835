import ByokyCore
import ByokyStore
import ByokyWallet
import Logging
import ServiceLifecycle

/// Keeps what others know of this wallet's gifts up to date while it serves: for listed gifts, a
/// heartbeat to their boards for each gift whose relay room the wallet holds, the usage when it
/// grew, and an unlisting once a gift is revoked; for gifts the vault serves, their counts and
/// revocations both ways (``Wallet/syncServedGifts()``). Runs every `interval` and at once when
/// poked (a gift changed); a board or vault that does not answer is tried again next round, and
/// serving never waits for it.
final class GiftReporter: Service, Sendable {
    let wallet: Wallet
    let interval: Duration
    /// The gifts whose relay rooms the wallet holds now.
    let online: @Sendable () -> Set<String>
    private let logger: Logger
    private let pokes: AsyncStream<Void>
    private let poker: AsyncStream<Void>.Continuation

    init(wallet: Wallet, interval: Duration, online: @escaping @Sendable () -> Set<String>, logger: Logger) {
        self.wallet = wallet
        self.interval = interval
        self.online = online
        self.logger = logger
        (pokes, poker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Reports now (a gift was created, listed or revoked).
    func poke() { poker.yield() }

    func run() async throws {
        let pokes = self.pokes
        let interval = self.interval
        await withTaskGroup(of: Void.self) { group in
            // Rounds: the interval's ticks and the pokes, one stream.
            let (rounds, round) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            group.addTask {
                while !Task.isCancelled {
                    round.yield()
                    try? await Task.sleep(for: interval)
                }
            }
            group.addTask {
                for await _ in pokes { round.yield() }
            }
            group.addTask { [self] in
                for await _ in rounds { await reportOnce() }
            }
            await withGracefulShutdownHandler {
                await group.next()
            } onGracefulShutdown: {
                round.finish()
                self.poker.finish()
            }
            group.cancelAll()
        }
    }

    /// One round: the vault's served gifts, then every live listing.
    func reportOnce() async {
        guard wallet.isUnlocked else { return }
        if (try? await wallet.gifts().contains(where: \.servedByVault)) == true {
            do {
                try await wallet.syncServedGifts()
            } catch let error as ByokyError {
                logger.notice(
                    "Vault sync of served gifts failed; trying again next round",
                    metadata: ["code": "\(error.code.rawValue)"]
                )
            } catch {
                logger.notice("Vault sync of served gifts failed; trying again next round")
            }
        }
        guard let listings = try? await wallet.giftListings() else { return }
        let online = online()
        for listing in listings where listing.unlistedAt == nil {
            guard let gift = try? await wallet.gift(listing.giftID) else { continue }
            do {
                if gift.revokedAt != nil {
                    try await wallet.unlistGift(gift.id)
                    continue
                }
                guard gift.expiresAt > wallet.now() else { continue }
                let client = try MarketplaceClient(listing.marketplaceURL)
                let token = try wallet.managementToken(of: listing)
                let used = min(gift.usedTokens, gift.maxTokens)
                if used > listing.reportedTokens {
                    try await client.reportUsage(gift.id, tokensUsed: used, token: token)
                    try await wallet.noteReportedUsage(giftID: gift.id, tokens: used)
                }
                if online.contains(gift.id) { try await client.heartbeat(gift.id, token: token) }
            } catch let error as ByokyError {
                logger.notice(
                    "Marketplace report failed; trying again next round",
                    metadata: ["gift": "\(gift.id.prefix(8))", "code": "\(error.code.rawValue)"]
                )
            } catch {
                logger.notice(
                    "Marketplace report failed; trying again next round",
                    metadata: ["gift": "\(gift.id.prefix(8))"]
                )
            }
        }
    }
}
