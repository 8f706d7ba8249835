public import ByokyCore
import Synchronization

/// A connect request waiting for the owner.
public struct PendingApproval: Sendable, Hashable, Codable {
    public let id: String
    public let app: AppIdentity
    public let providers: [ProviderRequirement]
    public let createdAt: Int64
    public let expiresAt: Int64
}

/// Connect requests from apps and the owner's answers, held in the daemon's memory.
///
/// Bounded: at most ``maximumPending`` requests wait at once, and one app may file at most
/// ``maximumPerAppPerMinute`` a minute, so a misbehaving app cannot flood the owner. A web app is
/// counted by its origin (a hostile page cannot dodge the limit by changing its name), a program
/// by its name.
public final class ApprovalBook: Sendable {
    /// How long a request waits for the owner.
    public static let lifetime: Int64 = 120_000
    public static let maximumPending = 50
    public static let maximumPerAppPerMinute = 10

    private struct Entry {
        var approval: PendingApproval
        var status: ConnectStatus
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// Files a request; returns it.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` (no providers, unknown ones, a bad name) or
    ///   `TOO_MANY_REQUESTS`.
    public func submit(_ request: ConnectRequest, now: Int64) throws -> PendingApproval {
        // The name is shown in the owner's terminal: no control characters (escape sequences could
        // rewrite what the owner sees).
        guard !request.app.name.isEmpty, request.app.name.count <= 100,
            !request.app.name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        else { throw ByokyError(.invalidRequest, "The app name must be 1 to 100 printable characters") }
        guard !request.providers.isEmpty, request.providers.count <= 20 else {
            throw ByokyError(.invalidRequest, "Ask for 1 to 20 providers")
        }
        for requirement in request.providers where ProviderRegistry.provider(requirement.id) == nil {
            throw ByokyError(.invalidRequest, "Unknown provider \"\(requirement.id.rawValue)\"")
        }
        let approval = PendingApproval(
            // The id is all it takes to collect the session once approved: unguessable.
            id: SecureRandom.hexToken(byteCount: 16),
            app: request.app,
            providers: request.providers,
            createdAt: now,
            expiresAt: now + Self.lifetime
        )
        try entries.withLock { entries in
            entries = entries.filter { $0.value.approval.expiresAt > now - 600_000 }
            let waiting = entries.values.filter { $0.status.status == .pending && $0.approval.expiresAt > now }
            guard waiting.count < Self.maximumPending else {
                throw ByokyError(.tooManyRequests, "Too many connect requests are waiting for the owner")
            }
            let recent = entries.values.filter {
                Self.rateKey(of: $0.approval.app) == Self.rateKey(of: request.app)
                    && $0.approval.createdAt > now - 60_000
            }
            guard recent.count < Self.maximumPerAppPerMinute else {
                throw ByokyError(.tooManyRequests, "Too many connect requests from this app — wait a minute")
            }
            entries[approval.id] = Entry(
                approval: approval,
                status: ConnectStatus(requestId: approval.id, status: .pending)
            )
        }
        return approval
    }

    /// What the per-app limit counts by: the origin of a web app, else the name.
    private static func rateKey(of app: AppIdentity) -> String {
        app.origin.map { "origin:" + $0 } ?? "name:" + app.name
    }

    /// Whether a page of `origin` may see the request (`nil`: not a browser, which may see any).
    /// A page sees only its own origin's requests, so no other page can collect the session.
    public func isVisible(_ id: String, to origin: String?) -> Bool {
        guard let origin else { return true }
        return entries.withLock { $0[id]?.approval.app.origin == origin }
    }

    /// The requests still waiting, oldest first.
    public func pending(now: Int64) -> [PendingApproval] {
        entries.withLock { entries in
            entries.values.filter { $0.status.status == .pending && $0.approval.expiresAt > now }.map(\.approval)
                .sorted { $0.createdAt < $1.createdAt }
        }
    }

    /// The request with `id`, if it is still waiting.
    public func pendingApproval(_ id: String, now: Int64) -> PendingApproval? {
        pending(now: now).first { $0.id == id }
    }

    /// Where the request stands (expired once its time is up and nobody answered).
    public func status(of id: String, now: Int64) -> ConnectStatus? {
        entries.withLock { entries in
            guard var entry = entries[id] else { return nil }
            if entry.status.status == .pending && entry.approval.expiresAt <= now {
                entry.status = ConnectStatus(
                    requestId: id,
                    status: .expired,
                    error: WireError(
                        code: ByokyError.Code.timeout.rawValue,
                        message: "The owner did not answer in time"
                    )
                )
                entries[id] = entry
            }
            return entry.status
        }
    }

    /// Records the owner's answer. - Returns: `false` when the request is unknown or already answered.
    @discardableResult
    public func decide(_ id: String, _ status: ConnectStatus) -> Bool {
        entries.withLock { entries in
            guard var entry = entries[id], entry.status.status == .pending else { return false }
            entry.status = status
            entries[id] = entry
            return true
        }
    }
}
