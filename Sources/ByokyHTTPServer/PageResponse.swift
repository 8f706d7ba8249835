package import HTTPTypes
package import Hummingbird
import NIOCore

/// Answers of byoky's server-rendered pages (the wallet page, the token board), all with
/// ``PageSecurityHeaders``.
package enum PageResponse {
    /// A whole page.
    package static func html(
        _ page: HTML,
        status: HTTPResponse.Status = .ok,
        imageSources: String = PageSecurityHeaders.ownImages,
        frameSources: String? = nil
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        PageSecurityHeaders.apply(to: &headers, imageSources: imageSources, frameSources: frameSources)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.description)))
    }

    /// One of the page's own files (its script, its styles).
    package static func file(_ bytes: [UInt8], contentType: String, entityTag: String) -> Response {
        var headers = HTTPFields()
        PageSecurityHeaders.apply(to: &headers)
        headers[.contentType] = contentType
        headers[.eTag] = entityTag
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
