public import ByokyCore
public import ByokyStore
import Foundation

extension Wallet {
    /// This wallet's routing as a vault keeps it: groups (those pinned to a received gift stay
    /// here: gifts are not synced), which app is in which, and caps.
    public func routingForVault() async throws -> VaultRouting {
        let groups = try await store.groups().filter { $0.giftID == nil }
        let ids = Dictionary(groups.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        return VaultRouting(
            groups: groups.map {
                VaultRouting.Group(
                    id: $0.id,
                    name: $0.name,
                    provider: $0.provider.rawValue,
                    credentialId: $0.credentialID,
                    model: $0.model
                )
            },
            assignments: try await store.assignments().compactMap { assignment in
                ids[assignment.group].map { VaultRouting.Assignment(app: assignment.app, group: $0) }
            },
            limits: try await store.allowances().map {
                VaultRouting.Limit(
                    app: $0.appName,
                    provider: $0.provider,
                    period: $0.period.rawValue,
                    tokens: $0.tokenLimit
                )
            }
        )
    }

    /// Replaces this wallet's groups, assignments and caps with `routing` (pulled from a vault).
    public func applyRouting(_ routing: VaultRouting) async throws {
        guard Set(routing.groups.map(\.name)).count == routing.groups.count else {
            throw ByokyError(.invalidResponse, "The vault's routing names two groups alike")
        }
        let groups = routing.groups.map { $0.record(createdAt: now()) }
        let known = Set(groups.map(\.id))
        try await store.replaceRouting(
            groups: groups,
            assignments: routing.assignments.filter { known.contains($0.group) }.map { ($0.app, $0.group) },
            allowances: routing.limits.compactMap { limit in
                AllowancePeriod(rawValue: limit.period).map {
                    AllowanceRecord(appName: limit.app, provider: limit.provider, period: $0, tokenLimit: limit.tokens)
                }
            }
        )
        cache.invalidate()
    }
}

extension VaultRouting {
    /// The group the app named `app` is in, as the proxy engine knows groups.
    public func group(forApp app: String) -> GroupRecord? {
        guard let assigned = assignments.first(where: { $0.app == app }),
            let group = groups.first(where: { $0.id == assigned.group })
        else { return nil }
        return group.record(createdAt: updatedAt)
    }

    /// A fingerprint of the routing itself (not its version): whether it changed since a sync.
    public var digest: String {
        let canonical = VaultRouting(
            groups: groups.sorted { $0.id < $1.id },
            assignments: assignments.sorted { $0.app < $1.app },
            limits: limits.sorted { ($0.app, $0.provider, $0.period) < ($1.app, $1.provider, $1.period) },
            updatedAt: 0
        )
        // Sorted keys: an encoder's key order may differ from one process to the next.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(canonical)) ?? Data()
        return SecureHash.sha256Hex(String(decoding: bytes, as: UTF8.self))
    }
}

extension Wallet {
    /// Sends this wallet's routing to the vault if it changed here since the last sync; the vault
    /// refuses it (a conflict, nothing overwritten) when another device wrote since, unless `force`.
    public func pushRouting(
        to vault: VaultClient,
        login: inout VaultLoginRecord,
        force: Bool = false
    ) async throws -> VaultSyncReport.RoutingOutcome {
        let local = try await routingForVault()
        if !force, login.routingVersion != nil, local.digest == login.routingDigest { return .unchanged }
        let token = SecretString(login.token)
        let basedOn = force ? try await vault.routing(token: token).updatedAt : login.routingVersion ?? 0
        guard let stored = try await vault.putRouting(local, basedOn: basedOn, token: token) else { return .conflict }
        login.routingVersion = stored.updatedAt
        login.routingDigest = local.digest
        return .pushed
    }

    /// Takes the vault's routing if it changed there since the last sync and not here; when both
    /// changed, keeps this wallet's and says so (unless `force`, which takes the vault's).
    public func pullRouting(
        from vault: VaultClient,
        login: inout VaultLoginRecord,
        force: Bool = false
    ) async throws -> VaultSyncReport.RoutingOutcome {
        let remote = try await vault.routing(token: SecretString(login.token))
        guard remote.updatedAt != 0, remote.updatedAt != login.routingVersion else { return .unchanged }
        let local = try await routingForVault()
        let changedHere =
            login.routingVersion == nil
            ? !(local.groups.isEmpty && local.limits.isEmpty) : local.digest != login.routingDigest
        if local.digest != remote.digest {
            if changedHere, !force { return .conflict }
            try await applyRouting(remote)
        }
        login.routingVersion = remote.updatedAt
        login.routingDigest = remote.digest
        return local.digest == remote.digest ? .unchanged : .pulled
    }
}

extension VaultRouting.Group {
    /// The group as a wallet stores it.
    public func record(createdAt: Int64) -> GroupRecord {
        GroupRecord(
            id: id,
            name: name,
            provider: ProviderID(provider),
            credentialID: credentialId,
            model: model,
            createdAt: createdAt
        )
    }
}
