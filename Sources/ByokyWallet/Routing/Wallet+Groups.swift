public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Creates a routing group.
    ///
    /// - Parameters:
    ///   - name: A unique name.
    ///   - provider: The provider the group's apps are served by.
    ///   - model: The model to use (required for apps that speak another API family).
    ///   - key: A credential (label or id) to pin; by default the provider's first key.
    ///   - gift: A received gift (id or its first characters) to pin instead of a key.
    @discardableResult
    public func addGroup(
        name: String,
        provider: ProviderID,
        model: String? = nil,
        key: String? = nil,
        gift: String? = nil
    ) async throws
        -> GroupRecord
    {
        guard !name.isEmpty, name.count <= 100 else {
            throw ByokyError(.invalidRequest, "A group name must be 1 to 100 characters")
        }
        guard ProviderRegistry.provider(provider) != nil else {
            throw ByokyError(.invalidRequest, "Unknown provider \"\(provider.rawValue)\"")
        }
        var pinned: String?
        if let key {
            guard let credential = try await store.credential(idOrLabel: key) else {
                throw ByokyError(.notFound, "No key named \"\(key)\" — see `byoky key list`")
            }
            guard credential.provider == provider else {
                throw ByokyError(
                    .invalidRequest,
                    "The key \"\(key)\" is for \(credential.provider), not \(provider.rawValue)"
                )
            }
            pinned = credential.id
        }
        var pinnedGift: String?
        if let gift {
            guard key == nil else { throw ByokyError(.invalidRequest, "Pin a key or a gift, not both") }
            let received = try Self.unique(
                try await store.receivedGifts(idPrefix: gift),
                prefix: gift,
                listing: "byoky gift received"
            )
            guard received.provider == provider else {
                throw ByokyError(
                    .invalidRequest,
                    "The gift \"\(gift)\" is for \(received.provider), not \(provider.rawValue); gifts serve only their own provider"
                )
            }
            pinnedGift = received.id
        }
        guard try await store.group(idOrName: name) == nil else {
            throw ByokyError(.invalidRequest, "A group named \"\(name)\" already exists")
        }
        let group = GroupRecord(
            id: SecureRandom.uuid(),
            name: name,
            provider: provider,
            credentialID: pinned,
            model: model.flatMap { $0.isEmpty ? nil : $0 },
            createdAt: now(),
            giftID: pinnedGift
        )
        try await store.insert(group)
        cache.invalidate()
        return group
    }

    /// Creates a group as `request` asks; returns it as listings show it.
    public func addGroup(_ request: GroupCreationRequest) async throws -> GroupSummary {
        let group = try await addGroup(
            name: request.name,
            provider: ProviderID(request.provider),
            model: request.model,
            key: request.key,
            gift: request.gift
        )
        let created = try await groupSummaries().first { $0.name == group.name }
        guard let created else { throw ByokyError(.internalError, "The group \"\(group.name)\" was not stored") }
        return created
    }

    /// Deletes a group; its apps go back to direct routing.
    public func removeGroup(_ name: String) async throws {
        guard let group = try await store.group(idOrName: name) else {
            throw ByokyError(.notFound, "No group named \"\(name)\" — see `byoky group list`")
        }
        try await store.deleteGroup(id: group.id)
        cache.invalidate()
    }

    /// Routes an app (by name) through a group; takes effect on its next request.
    public func assign(app: String, toGroup name: String) async throws {
        guard let group = try await store.group(idOrName: name) else {
            throw ByokyError(.notFound, "No group named \"\(name)\" — see `byoky group list`")
        }
        try await store.assign(app: app, toGroup: group.id)
        cache.invalidate()
    }

    /// Takes an app out of its group; returns whether it was in one.
    public func unassign(app: String) async throws -> Bool {
        let had = try await store.unassign(app: app)
        cache.invalidate()
        return had
    }

    /// Every group with its pinned key's label and its apps.
    public func groupSummaries() async throws -> [GroupSummary] {
        let assignments = try await store.assignments()
        let labels = Dictionary(
            try await credentials().map { ($0.id, $0.label) },
            uniquingKeysWith: { first, _ in first }
        )
        return try await store.groups().map { group in
            GroupSummary(
                name: group.name,
                provider: group.provider.rawValue,
                model: group.model,
                pinnedKey: group.credentialID.flatMap { labels[$0] },
                pinnedGift: group.giftID,
                apps: assignments.filter { $0.group == group.name }.map(\.app)
            )
        }
    }

    /// The group an app is in (cached for the request path).
    public func group(forApp app: String) async throws -> GroupRecord? {
        try await cache.group(forApp: app) { [store] in try await store.group(forApp: app) }
    }
}
