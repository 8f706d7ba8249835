import Foundation

/// How a marketplace behaves: limits, the online window, whom to trust for client addresses.
public struct MarketplaceConfiguration: Sendable {
    /// A gift counts as online when its giver's last heartbeat is this recent (ms).
    public var onlineWindow: Int64 = 5 * 60_000
    /// Per client address per minute.
    public var listingsPerMinute = 10
    public var redeemsPerMinute = 10
    public var heartbeatsPerMinute = 120
    public var submissionsPerMinute = 5
    /// SHA-256 (hex) of the reviewers' admin token; review is off without one.
    public var adminTokenHash: String?
    /// Take app manifests whose address is `http://127.0.0.1` or `localhost` (a catalogue for
    /// local development only).
    public var allowsLoopbackApps = false
    /// Read the client's address from `X-Forwarded-For` (the address the proxy saw, its last
    /// entry) — only behind a proxy that sets it; otherwise anyone could pick their own bucket.
    public var trustForwardedFor = false
    /// The largest request body read.
    public var maximumBodySize = 16 * 1024
    /// The time (Unix ms); tests move it.
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public init() {}
}
