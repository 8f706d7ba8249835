import ByokyCore
import NIOCore
import Testing

@testable import ByokyWallet

/// The wallet waits on a provider's silence as long as the provider's own SDKs do (ten minutes),
/// on every path a request takes: before, it gave up after two, and a long answer that is not
/// streamed, or a model thinking before its first word, failed through the wallet and worked
/// straight against the provider.
struct ProviderPatienceTests {
    @Test func thePatienceIsTheOfficialSDKs() {
        #expect(ServerLimits.providerSilence >= .seconds(600))
    }

    @Test func everyPathOfTheWalletWaitsThatLong() {
        let patience = TimeAmount(ServerLimits.providerSilence)
        // An own key, a gift's giver and a pairing (the engine's answer head), the vault (the same
        // engine configuration), and the body that follows (the upstream client's silence limit).
        #expect(ProxyEngine.Configuration().headTimeout == patience)
        #expect(UpstreamClient.Configuration().readIdleTimeout == patience)
        // A received gift: its giver's answer through the relay.
        #expect(GiftRelayClient().requestTimeout == ServerLimits.providerSilence)
    }
}
