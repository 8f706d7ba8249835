import ByokyCore
import Synchronization

/// The checked base URLs requests go under, by provider and credential base URL, and the checked
/// request URLs under them, so a request does not parse and check the same base or URL again
/// (``ProviderURLPolicy/baseURL(for:credentialBaseURL:)`` is a pure function of the two, and
/// ``ProviderURLPolicy/validate(_:under:provider:)`` of the URL and its base). Refusals are not
/// kept: they throw each time.
final class BaseURLCache: Sendable {
    private struct Key: Hashable {
        let provider: ProviderID
        let credentialBaseURL: String?
    }

    /// Entries kept before the cache starts over (one per provider and owner-set base in use).
    static let capacity = 64
    /// Request URLs kept before that cache starts over (paths and queries vary more than bases).
    static let requestURLCapacity = 512
    /// The longest request URL kept (so the cache stays within about a megabyte).
    static let longestCachedRequestURL = 1024

    private let entries = Mutex<[Key: AbsoluteURL]>([:])
    /// A request URL's text → the base it was checked under and the parsed URL.
    private let requestURLs = Mutex<[String: (base: AbsoluteURL, url: AbsoluteURL)]>([:])

    /// Entries held now.
    var count: Int { entries.withLock(\.count) }

    /// Request URLs held now.
    var requestURLCount: Int { requestURLs.withLock(\.count) }

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

    /// `text` parsed and checked to stay under `base` (a base from ``baseURL(for:credentialBaseURL:)``).
    ///
    /// - Throws: what ``ProviderURLPolicy/validate(_:under:provider:)`` throws.
    func requestURL(_ text: String, under base: AbsoluteURL, provider: Provider) throws -> AbsoluteURL {
        if let known = requestURLs.withLock({ $0[text] }), known.base == base { return known.url }
        let url = try ProviderURLPolicy.validate(text, under: base, provider: provider)
        guard text.utf8.count <= Self.longestCachedRequestURL else { return url }
        requestURLs.withLock { entries in
            if entries.count >= Self.requestURLCapacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = (base, url)
        }
        return url
    }
}
