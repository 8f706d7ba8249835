import ByokyCore
import ByokyHTTPServer
import HTTPTypes
import Hummingbird

/// The wallet page's defences, applied to every `/wallet` request: a loopback `Host` (DNS
/// rebinding), the owner's cookie, and for every state change the page's own `Origin` and a CSRF
/// token; every answer carries a strict Content-Security-Policy and cannot be framed.
///
/// Cookies ignore ports, so a page on another loopback port is "same-site" and its requests carry
/// the owner's cookie: `SameSite` alone does not stop it, the origin and CSRF checks do.
enum OwnerGuard {
    static let cookieName = "byoky_owner"
    /// The form field and header that carry the CSRF token.
    static let csrfField = "csrf"
    static let csrfHeader = HTTPField.Name("x-byoky-csrf")!

    /// Headers every wallet page answer carries.
    static func secure(_ headers: inout HTTPFields) {
        PageSecurityHeaders.apply(to: &headers)
    }

    /// Whether `request` comes from the wallet's own pages: a loopback host, the browser's
    /// `Sec-Fetch-Site` (which pages cannot forge) saying same-origin when it is sent, and an
    /// `Origin` that is the request's own. The pages' `Referrer-Policy: no-referrer` makes browsers
    /// send `Origin: null` on their own form posts, so `null` counts only together with
    /// `Sec-Fetch-Site: same-origin`.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let host = request.head.authority, HostCheck.isLoopback(host),
            let origin = request.headers[.origin]
        else { return false }
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        if let site, site != "same-origin" { return false }
        return origin == "http://" + host || (origin == "null" && site == "same-origin")
    }

    /// The owner cookie's value, if the request carries one.
    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, String(parts[0]).trimmingASCIIWhitespace() == cookieName {
                    return String(parts[1]).trimmingASCIIWhitespace()
                }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that logs a browser in (`nil` logs it out).
    static func setCookie(_ value: String?) -> String {
        let base = "\(cookieName)=\(value ?? ""); Path=/wallet; HttpOnly; SameSite=Strict"
        return value == nil ? base + "; Max-Age=0" : base + "; Max-Age=\(OwnerSessions.absoluteLifetime / 1000)"
    }

    /// Whether `submitted` is the session's CSRF token (compared in constant time).
    static func csrfMatches(_ submitted: String?, _ session: OwnerSessions.Session) -> Bool {
        guard let submitted else { return false }
        return ConstantTime.equals(Array(submitted.utf8), Array(session.csrfToken.utf8))
    }
}
