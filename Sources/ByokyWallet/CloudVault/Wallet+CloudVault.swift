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
    /// Gifts the vault serves that were brought up to date (usage and revocations, both ways).
    public var gifts: [String] = []
    /// Keys of the vault not added here, each with the reason (a pull: a key this wallet cannot
    /// take, such as one stored with a space in it by an older version).
    public var skipped: [String] = []

    public enum RoutingOutcome: String, Codable, Sendable, Hashable {
        case pushed, pulled, unchanged, conflict
    }

    public init() {}
}

extension Wallet {
    /// Uploads every key of this wallet to the vault account, and the removals made here since the
    /// last push. Each goes in only if it is later than the vault's version; a vault version that is
    /// later is reported as a conflict (the next pull brings it).
    /// - Throws: ``ByokyError`` `WALLET_LOCKED`, or the vault's refusal.
    public func pushKeys(to vault: VaultClient, token: SecretString) async throws -> VaultSyncReport {
        var report = VaultSyncReport()
        for record in try await credentials() {
            let upload = VaultCredentialUpload(
                provider: record.provider.rawValue,
                label: record.label,
                secret: try secret(of: record).exposedValue,
                baseUrl: record.baseURL,
                updatedAt: record.version,
                authMethod: record.authMethod.rawValue
            )
            let written = try await vault.put(upload, id: record.id, token: token)
            if written.applied {
                report.written.append(record.label)
            } else if written.updatedAt > record.version {
                report.conflicts.append(record.label)
            }
        }
        for tombstone in try await store.credentialTombstones() {
            if let answer = try await vault.remove(id: tombstone.id, at: tombstone.removedAt, token: token) {
                if answer.applied {
                    report.removed.append(tombstone.id)
                } else if answer.updatedAt > tombstone.removedAt {
                    // Changed in the vault after it was removed here: the next pull brings it back.
                    report.conflicts.append(tombstone.id)
                }
            }
            try await store.forgetTombstone(id: tombstone.id)
        }
        return report
    }

    /// Brings the vault account's changes since `since` into this wallet, the later version of each
    /// key winning: new keys are added under their own ids, renamed or replaced keys take the
    /// vault's label and secret, keys removed elsewhere are removed here. A key changed on both sides
    /// since the last pull keeps the later version and is reported as a conflict.
    public func pullKeys(from vault: VaultClient, token: SecretString, since: Int64) async throws -> VaultSyncReport {
        let sync = try await vault.sync(since: since, token: token)
        var report = VaultSyncReport()
        report.serverTime = sync.serverTime
        let local = Dictionary(uniqueKeysWithValues: try await credentials().map { ($0.id, $0) })
        var labels = Set(local.values.map(\.label))
        let removedHere = Dictionary(
            try await store.credentialTombstones().map { ($0.id, $0.removedAt) },
            uniquingKeysWith: { first, _ in first }
        )
        for item in sync.credentials {
            if let deletedAt = item.deletedAt {
                guard let mine = local[item.id] else { continue }
                if mine.version <= deletedAt {
                    _ = try await store.deleteCredential(id: mine.id)
                    cache.invalidate()
                    report.removed.append(mine.label)
                } else {
                    // Changed here after it was removed there: kept, and the next push restores it.
                    report.conflicts.append(mine.label)
                }
                continue
            }
            guard let secret = item.secret else { continue }
            guard let mine = local[item.id] else {
                if let removed = removedHere[item.id], removed >= item.updatedAt { continue }
                let label = labels.contains(item.label) ? item.label + " (vault)" : item.label
                do {
                    let added = try await addCredential(
                        provider: ProviderID(item.provider),
                        secret: SecretString(secret),
                        label: label,
                        baseURL: item.baseUrl,
                        authMethod: item.authMethod.flatMap(AuthMethod.init(rawValue:)),
                        id: item.id,
                        version: item.updatedAt
                    )
                    labels.insert(added.label)
                    report.written.append(added.label)
                } catch let error as ByokyError where error.code == .invalidRequest || error.code == .invalidURL {
                    // One key this wallet cannot take does not stop the others.
                    report.skipped.append("\(item.label): \(error.message)")
                }
                continue
            }
            let same = mine.label == item.label && mine.maskedSecret == maskKey(secret)
            guard !same, item.updatedAt != mine.version else { continue }
            let changedHere = mine.version > since
            if item.updatedAt > mine.version {
                var label = item.label
                if label != mine.label, labels.contains(label) { label += " (vault)" }
                try await adoptVersion(of: mine, label: label, secret: SecretString(secret), version: item.updatedAt)
                labels.remove(mine.label)
                labels.insert(label)
                report.written.append(label)
                if changedHere { report.conflicts.append(label) }
            } else {
                // This wallet's version is later: kept (the next push sends it).
                report.conflicts.append(mine.label)
            }
        }
        return report
    }
}
