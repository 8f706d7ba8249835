public import ByokyCore
public import ByokyWallet
public import HTTPTypes
public import Hummingbird
import NIOCore

/// Turns wallet answers into Hummingbird responses.
public enum BridgeResponses {
    /// An error in the family's format (OpenAI-compatible when there is none), with its Byoky code.
    public static func error(_ error: ByokyError, family: APIFamily?) -> Response {
        var headers = HTTPFields()
        for (name, value) in ErrorBody.headers(for: error) { headers[HTTPField.Name(name)!] = value }
        return Response(
            status: .init(code: error.httpStatus),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: ErrorBody.json(for: error, family: family)))
        )
    }

    /// JSON for the wallet API.
    public static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// A proxied response: in one piece when the whole answer is already here, else streamed.
    ///
    /// A page may read an answer its session's origin earned (the engine checked it), and any
    /// error: an app must see why its request failed (a revoked session, a bad URL) to react.
    public static func proxied(_ response: ProxyResponse, requestOrigin: String?) async -> Response {
        var fields: [HTTPField] = []
        fields.reserveCapacity(response.headers.count)
        for (name, value) in response.headers {
            guard let field = HTTPField.Name(name), field != .contentLength else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        // Added at once: HTTPFields adds a field at a time through a generic path.
        var headers = HTTPFields()
        headers.append(contentsOf: fields)
        if let origin = response.readableOrigin(requestOrigin: requestOrigin) {
            BridgeCORS.allow(origin, in: &headers)
        }
        let body = response.body
        if let whole = await body.takeIfComplete() {
            return Response(status: .init(code: response.status), headers: headers, body: .init(byteBuffer: whole))
        }
        return Response(
            status: .init(code: response.status),
            headers: headers,
            // A known length is sent as `content-length`, without chunked framing.
            body: .init(contentLength: body.knownLength) { writer in
                do {
                    for try await chunk in body { try await writer.write(chunk) }
                } catch {
                    await body.abandon()
                    throw error
                }
                try await writer.finish(nil)
            }
        )
    }
}
