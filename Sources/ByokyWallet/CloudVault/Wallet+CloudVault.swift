public import ByokyCore
import ByokyStore

/// What `byoky vault push` or `pull` did, by key label.
public struct VaultSyncReport: Codable, Sendable, Hashable {
    /// Keys written (to the vault for a push, to this wallet for a pull).
    public var written: [String] = []
    /// Keys removed from this wallet because they were removed elsewhere (pull only).
    public var removed: [String] = []
    /// Keys both sides changed: the other side's version was kept out (reported, never merged).
    public var conflicts: [String] = []
    /// The vault's time, for the next pull.
    public var serverTime: Int64 = 0
    /// What happened to the routing (groups, assignments, caps): `pushed`, `pulled`, `unchanged`,
    /// or `conflict` (both sides changed it since the last sync; neither was overwritten).
    public var routing: RoutingOutcome = .unchanged

    public enum RoutingOutcome: String, Codable, Sendable, Hashable {
        case pushed, pulled, unchanged, conflict
    }

    public init() {}
}

extension Wallet {
    /// Uploads every key of this wallet to the vault account (the later version wins there).
    /// - Throws: ``ByokyError`` `WALLET_LOCKED`, or the vault's refusal.
    public func pushKeys(to vault: VaultClient, token: SecretString) async throws -> VaultSyncReport {
        var report = VaultSyncReport()
        for record in try await credentials() {
            let upload = VaultCredentialUpload(
                provider: record.provider.rawValue,
                label: record.label,
                secret: try secret(of: record).exposedValue,
                baseUrl: record.baseURL,
                updatedAt: record.createdAt,
                authMethod: record.authMethod.rawValue
            )
            let written = try await vault.put(upload, id: record.id, token: token)
            if written.applied {
                report.written.append(record.label)
            } else if written.updatedAt > record.createdAt {
                report.conflicts.append(record.label)
            }
        }
        return report
    }

    /// Brings the vault account's changes since `since` into this wallet: new keys are added under
    /// their own ids, keys removed elsewhere are removed here, and a key changed on both sides keeps
    /// this wallet's version (reported as a conflict).
    public func pullKeys(from vault: VaultClient, token: SecretString, since: Int64) async throws -> VaultSyncReport {
        let sync = try await vault.sync(since: since, token: token)
        var report = VaultSyncReport()
        report.serverTime = sync.serverTime
        let local = Dictionary(uniqueKeysWithValues: try await credentials().map { ($0.id, $0) })
        let labels = Set(local.values.map(\.label))
        for item in sync.credentials {
            if let deletedAt = item.deletedAt {
                if let mine = local[item.id], mine.createdAt <= deletedAt {
                    try await removeCredential(mine.id)
                    report.removed.append(mine.label)
                }
                continue
            }
            guard let secret = item.secret else { continue }
            if let mine = local[item.id] {
                let same = mine.label == item.label && mine.maskedSecret == maskKey(secret)
                if !same && item.updatedAt > mine.createdAt { report.conflicts.append(mine.label) }
                continue
            }
            let label = labels.contains(item.label) ? item.label + " (vault)" : item.label
            let added = try await addCredential(
                provider: ProviderID(item.provider),
                secret: SecretString(secret),
                label: label,
                baseURL: item.baseUrl,
                authMethod: item.authMethod.flatMap(AuthMethod.init(rawValue:)),
                id: item.id
            )
            report.written.append(added.label)
        }
        return report
    }
}
