import ByokyCore
import ByokyStore

extension Wallet {
    /// For each key (by id), the apps whose live sessions it serves now, by the same routing every
    /// request follows (the app's group, its pins, automatic cross-family routes); sorted by name.
    /// An app whose group pins a received gift uses no key of the owner's.
    public func appsByCredential() async throws -> [String: [String]] {
        let credentials = try await store.credentials()
        let now = now()
        var apps: [String: Set<String>] = [:]
        for session in try await store.sessions() where session.revokedAt == nil && session.expiresAt > now {
            let group = try await group(forApp: session.appName)
            if group?.giftID != nil { continue }
            for provider in session.providerIDs {
                guard let route = RouteResolver.resolve(requested: provider, group: group, credentials: credentials)
                else { continue }
                apps[route.credential.id, default: []].insert(session.appName)
            }
        }
        return apps.mapValues { $0.sorted() }
    }

    /// When a session last made a request (Unix ms), or `nil` when it has not.
    public func lastUsed(ofSession id: String) async throws -> Int64? {
        try await store.requestLog(limit: 1, sessionID: id).first?.createdAt
    }
}
