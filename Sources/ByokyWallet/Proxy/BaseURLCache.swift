import ByokyCore
import Synchronization

/// The checked base URLs requests go under, by provider and credential base URL, so a request
/// does not parse and check the same base again (``ProviderURLPolicy/baseURL(for:credentialBaseURL:)``
/// is a pure function of the two). Refusals are not kept: they throw each time.
final class BaseURLCache: Sendable {
    private struct Key: Hashable {
        let provider: ProviderID
        let credentialBaseURL: String?
    }

    /// Entries kept before the cache starts over (one per provider and owner-set base in use).
    static let capacity = 64

    private let entries = Mutex<[Key: AbsoluteURL]>([:])

    /// Entries held now.
    var count: Int { entries.withLock(\.count) }

    /// The base URL for `provider` with a credential's own base URL, checked.
    ///
    /// - Throws: what ``ProviderURLPolicy/baseURL(for:credentialBaseURL:)`` throws.
    func baseURL(for provider: Provider, credentialBaseURL: String?) throws -> AbsoluteURL {
        let key = Key(provider: provider.id, credentialBaseURL: credentialBaseURL)
        if let known = entries.withLock({ $0[key] }) { return known }
        let base = try ProviderURLPolicy.baseURL(for: provider, credentialBaseURL: credentialBaseURL)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = base
        }
        return base
    }
}
