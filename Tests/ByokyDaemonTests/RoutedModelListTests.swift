import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// An app routed to another provider still starts: its SDK's model listing and look-up (what
/// model pickers and start-up checks call) are answered in its own format, naming the route's
/// model, with nothing sent to any provider; the official SDKs referee the format. Before, they
/// were refused as an endpoint that cannot be translated, and such apps stopped at start.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct RoutedModelListTests {
    struct Pair: Sendable, CustomStringConvertible {
        let app: APIFamily
        let upstream: APIFamily
        var description: String { "\(app.rawValue) app → \(upstream.rawValue)" }
    }

    static let pairs: [Pair] = APIFamily.allCases.flatMap { app in
        APIFamily.allCases.filter { $0 != app }.map { Pair(app: app, upstream: $0) }
    }

    @Test(.timeLimit(.minutes(5)), arguments: pairs)
    func aTranslatedAppListsTheRoutesModelInItsOwnFormat(pair: Pair) async throws {
        try await BridgeFixture.with(grant: [ProviderID(pair.app.rawValue)]) { bridge in
            let upstream = try #require(ProviderRegistry.provider(ProviderID(pair.upstream.rawValue)))
            let model = ModelCatalog.defaultModel(for: pair.upstream)
            try await bridge.wallet.addGroup(name: "moved", provider: upstream.id, model: model)
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "moved")
            let root = "http://127.0.0.1:\(bridge.port)/\(pair.app.rawValue)"
            let result = try await SDKClient.listModels(
                family: pair.app,
                baseURL: SDKClient.baseURL(root: root, family: pair.app),
                apiKey: bridge.sessionKey
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["models"] as? [String] == [model], "\(result)")
            #expect(result["retrieved"] as? String == model, "\(result)")
            #expect(bridge.upstreamRequests.withLock(\.isEmpty), "a model list went to the provider")
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 2)
            #expect(log.allSatisfy { $0.status == 200 && $0.actualProvider == upstream.id.rawValue })
        }
    }

    /// A route to another provider of the app's own family, with no model of its own, passes the
    /// app's listing on to that provider's own list, already in the app's format.
    @Test(.timeLimit(.minutes(5)))
    func aSwappedAppWithoutAModelListsTheTargetsModels() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.addCredential(
                provider: .mistral,
                secret: SecretString(BridgeFixture.canary),
                baseURL: "http://127.0.0.1:\(bridge.mockPort)"
            )
            try await bridge.wallet.addGroup(name: "swapped", provider: .mistral, model: nil)
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "swapped")
            let result = try await SDKClient.listModels(
                family: .openai,
                baseURL: "http://127.0.0.1:\(bridge.port)/openai/v1",
                apiKey: bridge.sessionKey
            )
            #expect(result["error_status"] == nil, "\(result)")
            let models = try #require(result["models"] as? [String], "\(result)")
            #expect(models == ModelCatalog.all.map(\.id))
            #expect(result["retrieved"] as? String == models.first)
            #expect(bridge.upstreamRequests.withLock { $0.map(\.path) } == ["/v1/models", "/v1/models/\(models[0])"])
        }
    }
}
