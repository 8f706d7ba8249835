import ByokyCore
import ByokyStore
import HTTPTypes

/// The owner's routing (groups, assignments, caps) synced through the vault as one document:
/// a write names the version it was based on, and loses (`CONFLICT`) when another device wrote since.
struct VaultRoutingSync: Sendable {
    let accounts: VaultAccounts
    let store: VaultStore
    let configuration: VaultConfiguration

    func routing(token: String) async throws -> VaultRouting {
        let (_, user) = try await accounts.authenticate(token: token)
        return try await store.routing(of: user.id)
    }

    func write(_ write: VaultRoutingWrite, token: String) async throws -> VaultRouting {
        let (_, user) = try await accounts.authenticate(token: token)
        try Self.check(write.routing)
        var routing = write.routing
        // The vault's clock orders versions; a later write is always a larger number.
        routing.updatedAt = max(configuration.clock(), write.basedOn + 1)
        guard try await store.writeRouting(routing, of: user.id, basedOn: write.basedOn) else {
            let current = try await store.routing(of: user.id)
            throw VaultError(
                status: .conflict,
                code: "CONFLICT",
                message: "Another device changed the routing (version \(current.updatedAt)) — pull first"
            )
        }
        return routing
    }

    static func check(_ routing: VaultRouting) throws {
        guard routing.groups.count <= 200, routing.assignments.count <= 2000, routing.limits.count <= 2000 else {
            throw VaultError.invalid("At most 200 groups, 2,000 assignments and 2,000 limits")
        }
        let groupIDs = Set(routing.groups.map(\.id))
        guard groupIDs.count == routing.groups.count else { throw VaultError.invalid("Group ids must be unique") }
        for group in routing.groups {
            guard (1...64).contains(group.id.count), (1...100).contains(group.name.count),
                group.name == TerminalText.printable(group.name)
            else { throw VaultError.invalid("A group has an id of 1 to 64 and a name of 1 to 100 characters") }
            guard ProviderRegistry.provider(ProviderID(group.provider)) != nil else {
                throw VaultError.invalid("Unknown provider \"\(TerminalText.printable(group.provider))\"")
            }
            if let model = group.model, model.count > 200 { throw VaultError.invalid("A model name is at most 200") }
            if let key = group.credentialId { try VaultKeys.check(id: key) }
        }
        for assignment in routing.assignments {
            guard (1...200).contains(assignment.app.count), groupIDs.contains(assignment.group) else {
                throw VaultError.invalid("An assignment names an app (1 to 200 characters) and one of the groups")
            }
        }
        for limit in routing.limits {
            guard (1...200).contains(limit.app.count), AllowancePeriod(rawValue: limit.period) != nil,
                limit.tokens >= 0,
                limit.provider.isEmpty || ProviderRegistry.provider(ProviderID(limit.provider)) != nil
            else {
                throw VaultError.invalid(
                    "A limit names an app, a known provider or none, a period (day, month, lifetime) and tokens ≥ 0"
                )
            }
        }
    }
}
