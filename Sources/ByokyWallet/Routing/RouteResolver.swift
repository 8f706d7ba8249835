public import ByokyCore
public import ByokyStore

/// Where one request goes: which key serves it, at which provider, and how.
public struct Route: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The provider asked for, maybe with the group's model.
        case direct
        /// Another provider of the same API family (no translation needed).
        case swap
        /// A provider of another API family (needs translation).
        case translate
    }

    public let kind: Kind
    public let credential: CredentialRecord
    /// The provider the request goes to.
    public let target: ProviderID
    /// The model to use instead of the app's, if any.
    public let model: String?
}

/// Decides a route per request, in the original wallet's order: cross-family group route,
/// same-family swap, direct (with the group's pins), and, for apps in no group, an automatic
/// cross-family route to a key the owner has.
public enum RouteResolver {
    public static func resolve(
        requested: ProviderID,
        group: GroupRecord?,
        credentials: [CredentialRecord]
    ) -> Route? {
        if let group, group.provider != requested {
            let target = group.provider
            if let model = group.model, !model.isEmpty, ProviderRegistry.needsTranslation(from: requested, to: target),
                let credential = pinnedOrFirst(group: group, provider: target, in: credentials)
            {
                return Route(kind: .translate, credential: credential, target: target, model: model)
            }
            if ProviderRegistry.areSameFamily(requested, target),
                let credential = pinnedOrFirst(group: group, provider: target, in: credentials)
            {
                let model = group.model.flatMap { $0.isEmpty ? nil : $0 }
                return Route(kind: .swap, credential: credential, target: target, model: model)
            }
        }
        if let group, group.provider == requested {
            guard let credential = pinnedOrFirst(group: group, provider: requested, in: credentials) else { return nil }
            let model = group.model.flatMap { $0.isEmpty ? nil : $0 }
            return Route(kind: .direct, credential: credential, target: requested, model: model)
        }
        if let credential = credentials.first(where: { $0.provider == requested }) {
            return Route(kind: .direct, credential: credential, target: requested, model: nil)
        }
        guard group == nil, ProviderRegistry.provider(requested)?.family != nil else { return nil }
        let candidates = credentials.filter {
            ProviderRegistry.needsTranslation(from: requested, to: $0.provider)
        }.sorted { lhs, rhs in
            let left = (lhs.lastUsedAt ?? 0, -(familyRank(lhs)), lhs.createdAt)
            let right = (rhs.lastUsedAt ?? 0, -(familyRank(rhs)), rhs.createdAt)
            return left > right
        }
        guard let best = candidates.first,
            let targetFamily = ProviderRegistry.provider(best.provider)?.family
        else { return nil }
        return Route(
            kind: .translate,
            credential: best,
            target: best.provider,
            model: ModelCatalog.defaultModel(for: targetFamily)
        )
    }

    /// The original's message for a request no key can serve.
    public static func noCredentialMessage(
        for requested: ProviderID,
        held: [String],
        group: GroupRecord?
    ) -> String {
        if let group, group.provider != requested {
            return "No \(group.provider) API key found. Add a \(group.provider) key to your wallet, "
                + "or assign this app to a provider you already have a key for."
        }
        let distinct = Array(Set(held)).sorted()
        if distinct.isEmpty { return "No API keys in your wallet. Add a key for any provider to get started." }
        return "No \(requested.rawValue) API key found. You have keys for: \(distinct.joined(separator: ", ")). "
            + "Add a \(requested.rawValue) key, or assign this app to one of those providers."
    }

    private static func pinnedOrFirst(
        group: GroupRecord,
        provider: ProviderID,
        in credentials: [CredentialRecord]
    ) -> CredentialRecord? {
        if let pin = group.credentialID {
            return credentials.first { $0.id == pin && $0.provider == provider }
        }
        return credentials.first { $0.provider == provider }
    }

    private static func familyRank(_ credential: CredentialRecord) -> Int {
        ProviderRegistry.provider(credential.provider)?.family?.autoRoutePreference ?? 99
    }
}

extension RouteResolver {
    /// The received gift that serves a request, if one does: the gift the app's group pins, or,
    /// when none of the owner's own keys can serve the provider (`ownRoute`, the request's
    /// ``resolve(requested:group:credentials:)``, is `nil`), a gift for it (a usable one first;
    /// an ended one so the app hears why).
    ///
    /// - Throws: ``ByokyError`` `NO_CREDENTIAL` when the pinned gift is gone,
    ///   `TRANSLATION_NOT_SUPPORTED` when the pinned gift is for another provider than the app asks.
    public static func gift(
        requested: ProviderID,
        group: GroupRecord?,
        ownRoute: Route?,
        gifts: [ReceivedGiftRecord],
        now: Int64
    ) throws -> ReceivedGiftRecord? {
        if let group, let pin = group.giftID {
            guard group.provider == requested else {
                throw ByokyError(
                    .translationNotSupported,
                    "This app's group uses a \(group.provider) gift; gifts serve only their own provider's API"
                )
            }
            guard let gift = gifts.first(where: { $0.id == pin }) else {
                throw ByokyError(.noCredential, "The gift this app's group uses is gone — pin another key or gift")
            }
            return gift
        }
        guard ownRoute == nil, !gifts.isEmpty else { return nil }
        let candidates = gifts.filter { $0.provider == requested }
        return candidates.first { isUsable($0, now: now) } ?? candidates.first
    }

    /// Whether a received gift may still serve, as far as this wallet knows (the giver decides).
    public static func isUsable(_ gift: ReceivedGiftRecord, now: Int64) -> Bool {
        gift.endedReason == nil && !GiftBudget.isExpired(expiresAt: gift.expiresAt, now: now)
            && !GiftBudget.isExhausted(used: gift.usedTokens, max: gift.maxTokens)
    }
}
