import ByokyCore
import Crypto

/// What the wallet holds in memory while unlocked: the data key, and the credentials it has
/// already opened, so the request path does not decrypt the same key on every request.
///
/// Locking drops the whole value. An opened secret is kept together with the sealed text it came
/// from; a credential whose sealed text changed (re-imported, replaced) is opened again.
struct UnlockedVault: Sendable {
    /// The key every secret is sealed under.
    let dataKey: SymmetricKey
    private var opened: [String: OpenedSecret] = [:]

    /// The most credentials kept opened; beyond it the oldest entries are dropped.
    static let capacity = 256

    private struct OpenedSecret: Sendable {
        let sealed: String
        let secret: SecretString
    }

    init(dataKey: SymmetricKey) {
        self.dataKey = dataKey
    }

    /// The secret opened earlier from exactly `sealed` for credential `id`.
    func secret(credentialID id: String, sealed: String) -> SecretString? {
        guard let entry = opened[id], entry.sealed == sealed else { return nil }
        return entry.secret
    }

    /// Remembers `secret`, opened from `sealed`.
    mutating func remember(_ secret: SecretString, credentialID id: String, sealed: String) {
        if opened.count >= Self.capacity, opened[id] == nil { opened.removeAll(keepingCapacity: true) }
        opened[id] = OpenedSecret(sealed: sealed, secret: secret)
    }
}
