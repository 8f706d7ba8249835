package import HTTPTypes

/// The headers every server-rendered page of byoky carries: scripts and styles only from the
/// server itself (no inline script, nothing from a CDN), no framing, no sniffing, no referrer,
/// nothing cached.
package enum PageSecurityHeaders {
    /// Images from the server itself and `data:` URLs (QR codes).
    package static let ownImages = "'self' data:"

    /// - Parameters:
    ///   - imageSources: the CSP `img-src` list; a page that shows images from elsewhere (app icons)
    ///     widens only this.
    ///   - frameSources: the one origin the page may frame (the wallet page hosting an installed
    ///     app); `nil` frames nothing.
    package static func apply(
        to headers: inout HTTPFields,
        imageSources: String = ownImages,
        frameSources: String? = nil
    ) {
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src \(imageSources); connect-src 'self'; "
            + (frameSources.map { "frame-src \($0); " } ?? "")
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
    }
}
