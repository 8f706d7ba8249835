import ByokyCore
import ByokyStore
import Synchronization
import Testing

@testable import ByokyWallet

struct RouteResolverTests {
    static func key(_ id: String, _ provider: String, created: Int64 = 1, lastUsed: Int64? = nil) -> CredentialRecord {
        CredentialRecord(
            id: id,
            provider: ProviderID(provider),
            label: id,
            authMethod: .apiKey,
            sealedSecret: "",
            maskedSecret: "",
            baseURL: nil,
            createdAt: created,
            lastUsedAt: lastUsed
        )
    }

    static func group(_ provider: String, model: String? = nil, pin: String? = nil) -> GroupRecord {
        GroupRecord(id: "g", name: "g", provider: ProviderID(provider), credentialID: pin, model: model, createdAt: 1)
    }

    static let anthropicKey = key("a1", "anthropic")
    static let openAIKey = key("o1", "openai")

    @Test func crossFamilyGroupsTranslateToTheGroupsModel() throws {
        let route = try #require(
            RouteResolver.resolve(
                requested: .openai,
                group: Self.group("anthropic", model: "claude-opus-4-7"),
                credentials: [Self.anthropicKey]
            )
        )
        #expect(route.kind == .translate)
        #expect(route.target == .anthropic)
        #expect(route.model == "claude-opus-4-7")
        #expect(
            RouteResolver.resolve(requested: .openai, group: Self.group("anthropic"), credentials: [Self.anthropicKey])
                == nil
        )
    }

    @Test func pinsAreStrict() throws {
        let second = Self.key("a2", "anthropic")
        let pinned = try #require(
            RouteResolver.resolve(
                requested: .anthropic,
                group: Self.group("anthropic", pin: "a2"),
                credentials: [Self.anthropicKey, second]
            )
        )
        #expect(pinned.credential.id == "a2")
        #expect(
            RouteResolver.resolve(
                requested: .anthropic,
                group: Self.group("anthropic", pin: "gone"),
                credentials: [Self.anthropicKey]
            ) == nil
        )
    }

    @Test func sameFamilyGroupsSwapWithOrWithoutAModel() throws {
        let swap = try #require(
            RouteResolver.resolve(requested: .groq, group: Self.group("openai"), credentials: [Self.openAIKey])
        )
        #expect(swap.kind == .swap)
        #expect(swap.target == .openai)
        #expect(swap.model == nil)
        let withModel = try #require(
            RouteResolver.resolve(
                requested: .groq,
                group: Self.group("openai", model: "gpt-5.4"),
                credentials: [Self.openAIKey]
            )
        )
        #expect(withModel.kind == .swap)
        #expect(withModel.model == "gpt-5.4")
        let crossWins = try #require(
            RouteResolver.resolve(
                requested: .openai,
                group: Self.group("anthropic", model: "m"),
                credentials: [Self.anthropicKey, Self.openAIKey]
            )
        )
        #expect(crossWins.kind == .translate)
    }

    @Test func directRoutesUseTheGroupsModelOnlyForTheirOwnProvider() throws {
        let plain = try #require(RouteResolver.resolve(requested: .openai, group: nil, credentials: [Self.openAIKey]))
        #expect(plain.kind == .direct)
        #expect(plain.model == nil)
        let override = try #require(
            RouteResolver.resolve(
                requested: .openai,
                group: Self.group("openai", model: "gpt-5.4-mini"),
                credentials: [Self.openAIKey]
            )
        )
        #expect(override.kind == .direct)
        #expect(override.model == "gpt-5.4-mini")
        #expect(
            RouteResolver.resolve(requested: .openai, group: Self.group("openai"), credentials: [Self.anthropicKey])
                == nil
        )
    }

    @Test func appsInNoGroupFallBackToAKeyOfAnotherFamily() throws {
        let toClaude = try #require(
            RouteResolver.resolve(requested: .openai, group: nil, credentials: [Self.anthropicKey])
        )
        #expect(toClaude.kind == .translate)
        #expect(toClaude.model == "claude-sonnet-4-6")
        let toGPT = try #require(RouteResolver.resolve(requested: .gemini, group: nil, credentials: [Self.openAIKey]))
        #expect(toGPT.model == "gpt-5.5")
        #expect(
            RouteResolver.resolve(requested: .openai, group: nil, credentials: [Self.anthropicKey, Self.openAIKey])?
                .kind == .direct
        )
        #expect(
            RouteResolver.resolve(requested: .gemini, group: Self.group("gemini"), credentials: [Self.openAIKey]) == nil
        )
        #expect(RouteResolver.resolve(requested: .ollama, group: nil, credentials: [Self.openAIKey]) == nil)

        let recent = Self.key("g1", "gemini", lastUsed: 500)
        let older = Self.key("a9", "anthropic", lastUsed: 100)
        #expect(RouteResolver.resolve(requested: .openai, group: nil, credentials: [older, recent])?.target == .gemini)
        let tie = [Self.key("c1", "cohere"), Self.key("g2", "gemini"), Self.key("a3", "anthropic")]
        #expect(RouteResolver.resolve(requested: .openai, group: nil, credentials: tie)?.target == .anthropic)
        let byAge = [Self.key("x1", "anthropic", created: 1), Self.key("x2", "anthropic", created: 9)]
        #expect(RouteResolver.resolve(requested: .openai, group: nil, credentials: byAge)?.credential.id == "x2")
    }

    @Test func noCredentialMessagesMatchTheOriginal() {
        #expect(
            RouteResolver.noCredentialMessage(for: .openai, held: ["openai"], group: Self.group("anthropic"))
                .hasPrefix("No anthropic API key found")
        )
        #expect(
            RouteResolver.noCredentialMessage(for: .anthropic, held: ["openai", "gemini"], group: nil)
                .contains("You have keys for: gemini, openai. Add a anthropic key")
        )
        #expect(
            RouteResolver.noCredentialMessage(for: .anthropic, held: [], group: nil)
                == "No API keys in your wallet. Add a key for any provider to get started."
        )
    }
}

struct ThrottledWritesTests {
    @Test func letsOneWritePerIntervalPerKey() {
        let writes = ThrottledWrites(interval: 1000)
        #expect(writes.shouldWrite("a", now: 0))
        #expect(!writes.shouldWrite("a", now: 999))
        #expect(writes.shouldWrite("b", now: 999))
        #expect(writes.shouldWrite("a", now: 1000))
    }
}

struct ReadCacheTests {
    @Test func servesFromMemoryUntilExpiryOrInvalidation() async throws {
        let clock = ManualClock()
        let cache = ReadCache(lifetime: .milliseconds(200), now: clock.now)
        let loads = LoadCounter()
        let load: @Sendable () async throws -> [CredentialRecord] = {
            loads.increment()
            return []
        }
        _ = try await cache.credentials(load: load)
        _ = try await cache.credentials(load: load)
        #expect(loads.count == 1)
        cache.invalidate()
        _ = try await cache.credentials(load: load)
        #expect(loads.count == 2)
        clock.advance(by: .milliseconds(250))
        _ = try await cache.credentials(load: load)
        #expect(loads.count == 3)
        #expect(try await cache.session(keyHash: "h", load: { nil }) == nil)
    }
}

/// The one-look read of a request's records: only when every one of them is cached and fresh.
struct ReadCachePlanningRecordsTests {
    static let session = SessionRecord(
        id: "s1",
        keyHash: "h1",
        appName: "Chat",
        appOrigin: nil,
        providers: "openai",
        createdAt: 0,
        expiresAt: 1
    )
    static let cap = AllowanceRecord(appName: "Chat", provider: "", period: .month, tokenLimit: 10)

    /// Caches the session and, except the one named by `leaving`, the records of its app.
    static func fill(_ cache: ReadCache, leaving missing: String? = nil) async throws {
        _ = try await cache.session(keyHash: "h1", load: { session })
        if missing != "group" { _ = try await cache.group(forApp: "Chat", load: { nil }) }
        if missing != "credentials" { _ = try await cache.credentials(load: { [] }) }
        if missing != "gifts" { _ = try await cache.receivedGifts(load: { [] }) }
        if missing != "allowances" { _ = try await cache.allowances(forApp: "Chat", load: { [cap] }) }
    }

    @Test func foundOnlyWhenEveryRecordIsCachedAndFresh() async throws {
        let clock = ManualClock()
        let cache = ReadCache(lifetime: .seconds(1), now: clock.now)
        #expect(cache.planningRecords(keyHash: "h1") == nil)
        try await Self.fill(cache)
        let found = try #require(cache.planningRecords(keyHash: "h1"))
        #expect(found.session.id == "s1")
        #expect(found.group == nil)
        #expect(found.allowances.map(\.tokenLimit) == [10])
        #expect(cache.planningRecords(keyHash: "h2") == nil)
        cache.invalidate()
        #expect(cache.planningRecords(keyHash: "h1") == nil)
        for missing in ["group", "credentials", "gifts", "allowances"] {
            let partial = ReadCache(lifetime: .seconds(1), now: clock.now)
            try await Self.fill(partial, leaving: missing)
            #expect(partial.planningRecords(keyHash: "h1") == nil, "without \(missing)")
        }
        try await Self.fill(cache)
        clock.advance(by: .milliseconds(1_100))
        #expect(cache.planningRecords(keyHash: "h1") == nil)
    }

    /// The records put together for a session are never older than their oldest part: once it
    /// expires they do too, and what is read again replaces them.
    @Test func recordsPutTogetherExpireWithTheirOldestPart() async throws {
        let clock = ManualClock()
        let cache = ReadCache(lifetime: .seconds(3), now: clock.now)
        _ = try await cache.allowances(forApp: "Chat", load: { [Self.cap] })
        clock.advance(by: .milliseconds(1_500))
        _ = try await cache.session(keyHash: "h1", load: { Self.session })
        _ = try await cache.group(forApp: "Chat", load: { nil })
        _ = try await cache.credentials(load: { [] })
        _ = try await cache.receivedGifts(load: { [] })
        #expect(try #require(cache.planningRecords(keyHash: "h1")).allowances.map(\.tokenLimit) == [10])
        // The caps were read 1.5 s before the rest: 2 s later they, and the whole, are stale.
        clock.advance(by: .seconds(2))
        #expect(cache.planningRecords(keyHash: "h1") == nil)
        let raised = AllowanceRecord(appName: "Chat", provider: "", period: .month, tokenLimit: 99)
        _ = try await cache.allowances(forApp: "Chat", load: { [raised] })
        #expect(try #require(cache.planningRecords(keyHash: "h1")).allowances.map(\.tokenLimit) == [99])
    }
}

/// A time that moves only when the test moves it: expiry is tested without sleeping, so a
/// loaded machine's pauses between steps change nothing.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: @Sendable () -> ContinuousClock.Instant {
        { self.instant.withLock { $0 } }
    }

    func advance(by duration: Duration) {
        instant.withLock { $0 += duration }
    }
}

final class LoadCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func increment() { value.withLock { $0 += 1 } }
}
