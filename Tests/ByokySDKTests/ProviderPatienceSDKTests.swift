import ByokyCore
import Testing

@testable import ByokySDK

/// An app's server (the backend relay) and a paired app wait on the provider's silence as long as
/// the wallet does: ten minutes, the providers' own SDKs' default.
struct ProviderPatienceSDKTests {
    @Test func theBackendRelayAndAPairingWaitAsLongAsTheWallet() {
        #expect(ByokyServer.Configuration().requestTimeout == ServerLimits.providerSilence)
        let link = PairedLink(payload: PairingPayload.generate(relayURL: "ws://127.0.0.1:1", appOrigin: "test"))
        #expect(link.connection.configuration.requestTimeout == ServerLimits.providerSilence)
    }
}
