import ByokyCore
public import ByokyWallet
import Foundation

/// How a vault runs: its limits, clock and which proxies it believes about client addresses.
public struct VaultConfiguration: Sendable {
    /// How long a login session lasts (ms).
    public var loginLifetime: Int64 = 7 * 24 * 60 * 60 * 1000
    /// PBKDF2-SHA256 rounds for new accounts' password keys.
    public var passwordIterations = KeyDerivation.defaultIterations
    /// Failed logins an account takes before it must wait.
    public var accountFailuresAllowed = 5
    /// Failed logins a client address takes (over every account it tries) before it must wait.
    public var addressFailuresAllowed = 20
    /// The first wait, doubled for each failure past the allowance, up to ``longestWait`` (ms).
    public var firstWait: Int64 = 60_000
    public var longestWait: Int64 = 15 * 60_000
    /// Peers whose `X-Forwarded-For` names the client (a reverse proxy's address); nobody else's.
    public var trustedProxies: Set<String> = []
    /// The largest request body read (bytes).
    public var maximumBodySize = 64 * 1024
    /// Live app sessions one account may hold (a login making sessions in a loop stops here).
    public var appSessionsPerAccount = 5_000
    /// How long an app session lasts (ms).
    public var appSessionLifetime: Int64 = 24 * 60 * 60 * 1000
    /// How often an app's event stream checks that its session still stands.
    public var eventPollInterval: Duration = .seconds(5)
    /// The operator's key for served gifts; `nil`: this vault serves no gifts.
    public var giftKey: GiftKey?
    /// Live served gifts one account may have (the original's limit).
    public var giftsPerAccount = 50
    /// How often the served gifts are read again (other instances' uploads, ended gifts).
    public var giftPollInterval: Duration = .seconds(30)
    /// How long a connection may wait on its client with nothing arriving before it is closed
    /// (idle between requests, or a stalled head or body); `nil` waits forever.
    public var clientIdleTimeout: Duration? = ServerLimits.clientIdleTimeout
    /// The proxy's limits (request body size, upstream head timeout), as the bridge's.
    public var proxy = ProxyEngine.Configuration()
    /// The time (Unix ms); tests move it.
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public init() {}
}
