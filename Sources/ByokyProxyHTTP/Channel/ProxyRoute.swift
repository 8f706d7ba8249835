public import ByokyCore
public import ByokyWallet
public import NIOCore

/// The provider requests a server answers on the connection's channel, ahead of its router
/// (``ProxyHTTP1Channel``): what they are, how much body they may carry, and their answer.
public struct ProxyRoute: Sendable {
    /// The longest request body read; a longer one is answered with the provider's error.
    public var bodyLimit: Int
    /// The provider a request is for, read from its head alone; `nil` leaves it to the router.
    public var provider: @Sendable (ProxyRequestHead) -> Provider?
    /// The answer to a request whose body has been read. The last argument, on the connection's
    /// channel, writes the provider's whole answer as soon as it has arrived: give it to the engine
    /// (``ProxiedRequest/answer(_:fields:body:to:under:sessionKey:engine:wholeAnswerWriter:)``).
    public var respond:
        @Sendable (ProxyRequestHead, Provider, ByteBuffer, (any WholeAnswerWriter)?) async -> ProxyAnswer
    /// Whether any page may read the channel's own refusals (a body over the limit), as a
    /// server whose CORS lets every origin read its answers needs (a vault); the bridge lets
    /// only pages with a session read its answers.
    public var refusalsReadableByAnyPage = false
    /// How long a connection may wait on its client, with no request part arriving: between
    /// requests, and while a request's head or body is being read (a head sent a byte at a time
    /// counts as nothing until it is whole). A connection past it is closed, between one and two
    /// times this after its last part; one whose answer is being written is never closed for it,
    /// unless the client stops reading the answer for as long (``WriteStallHandler``). `nil` waits
    /// forever.
    public var clientIdleTimeout: TimeAmount? = TimeAmount(ServerLimits.clientIdleTimeout)

    public init(
        bodyLimit: Int,
        provider: @escaping @Sendable (ProxyRequestHead) -> Provider?,
        respond:
            @escaping @Sendable (ProxyRequestHead, Provider, ByteBuffer, (any WholeAnswerWriter)?) async -> ProxyAnswer
    ) {
        self.bodyLimit = bodyLimit
        self.provider = provider
        self.respond = respond
    }

    /// The methods a provider route takes (a preflight's `OPTIONS` stays with the router).
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// The registered provider named by the first segment of `head`'s path, when something
    /// follows it (`/anthropic/v1/messages`) and the method is one a provider route takes.
    /// Targets that are not a path (`http://host/…`, `*`) stay with the router.
    public static func provider(named head: ProxyRequestHead) -> Provider? {
        provider(named: head, under: "")
    }

    /// The registered provider named by the segment after `prefix` (a path such as `/proxy`,
    /// without a trailing slash) in `head`'s path, when something follows it
    /// (`/proxy/anthropic/v1/messages`) and the method is one a provider route takes.
    public static func provider(named head: ProxyRequestHead, under prefix: String) -> Provider? {
        guard methods.contains(head.methodName) else { return nil }
        var path = head.path
        var prefix = prefix
        return path.withUTF8 { bytes -> Provider? in
            prefix.withUTF8 { prefix -> Provider? in
                guard bytes.count > prefix.count + 2, bytes.starts(with: prefix) else { return nil }
                let start = prefix.count
                guard bytes[start] == UInt8(ascii: "/"),
                    let slash = bytes[(start + 1)...].firstIndex(of: UInt8(ascii: "/")),
                    slash > start + 1, slash + 1 < bytes.count
                else { return nil }
                return ProviderRegistry.provider(
                    ProviderID(String(decoding: bytes[(start + 1)..<slash], as: UTF8.self))
                )
            }
        }
    }
}
