import ByokyStore
import ByokyWallet

/// An account's request log in the vault's database, as the proxy engine writes and reads it.
struct VaultProxyRecords: ProxyRecords {
    let store: VaultStore
    let userID: String

    func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int {
        try await store.tokensUsed(of: userID, app: app, provider: provider, since: since)
    }

    /// Written off the answer's path; the hold on the caps is settled once it is stored (or the
    /// write failed: an unwritten entry must not keep the budget held).
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) {
        let (store, userID) = (self.store, self.userID)
        Task {
            try? await store.insert(entry, of: userID)
            onWritten()
        }
    }

    /// Not kept: a key's last use would bump its version and make devices sync it back and forth.
    func touchCredential(id: String, at time: Int64) async throws {}
}
