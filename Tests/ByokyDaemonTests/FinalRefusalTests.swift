import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// The wallet's refusals that a retry cannot change (a spent cap, a locked wallet) tell the
/// official SDKs so (`x-should-retry: false`). They travel as 429 and 503, which the Anthropic and
/// OpenAI SDKs otherwise retry twice with back-off: the app saw the reason only after seconds,
/// and the log held three refusals for one call. (Cohere's SDK retries such statuses whatever the
/// answer says; Gemini's does not retry unless asked.)
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct FinalRefusalTests {
    enum Refusal: CaseIterable, CustomStringConvertible {
        case spentCap, lockedWallet

        var code: ByokyError.Code { self == .spentCap ? .allowanceExceeded : .walletLocked }
        var status: Int { code.httpStatus }
        var description: String { self == .spentCap ? "a spent cap" : "a locked wallet" }
    }

    @Test(.timeLimit(.minutes(3)), arguments: [APIFamily.anthropic, .openai], Refusal.allCases)
    func theSDKSendsARefusedCallOnce(family: APIFamily, refusal: Refusal) async throws {
        let provider: ProviderID = family == .anthropic ? .anthropic : .openai
        try await BridgeFixture.with(grant: [provider]) { bridge in
            switch refusal {
            case .spentCap: try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 5, period: .lifetime)
            case .lockedWallet: bridge.wallet.lock()
            }
            let result = try await SDKClient.run(
                SDKClient.Case(family: family, streaming: false, tools: false),
                baseURL: SDKClient.baseURL(
                    root: "http://127.0.0.1:\(bridge.port)/\(provider.rawValue)",
                    family: family
                ),
                apiKey: bridge.sessionKey,
                // The SDKs' own default.
                maxRetries: 2
            )
            #expect(result["error_status"] as? Int == refusal.status, "\(result)")
            let refused = try await bridge.wallet.store.requestLog().filter { $0.errorCode == refusal.code.rawValue }
            #expect(refused.count == 1, "\(family), \(refusal): \(refused.count) refusals logged for one call")
            #expect(bridge.upstreamRequests.withLock { $0.isEmpty })
        }
    }
}
