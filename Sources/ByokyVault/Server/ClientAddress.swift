import Foundation
import HTTPTypes
import Hummingbird

/// Who a request comes from, for the login back-off: the connection's peer, or — only when that
/// peer is a configured trusted proxy — the last address in `X-Forwarded-For` that is not one of
/// the trusted proxies (what a client cannot forge past its first hop).
enum ClientAddress {
    static func of(_ request: Request, peer: String?, trustedProxies: Set<String>) -> String {
        let peer = peer ?? "unknown"
        guard trustedProxies.contains(peer),
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]
        else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last { !trustedProxies.contains($0) && !$0.isEmpty } ?? peer
    }
}
