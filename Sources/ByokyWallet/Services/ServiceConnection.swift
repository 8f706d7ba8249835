import AsyncHTTPClient
import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP side of the wallet's clients of byoky's servers (a marketplace, a vault): an https
/// base URL (http only on this machine), JSON bodies, bearer tokens, a deadline and a size limit.
/// Each client turns its server's refusals into a ``ByokyError`` (it knows their shape).
struct ServiceConnection: Sendable {
    let baseURL: String
    /// What the server is, for messages ("marketplace", "vault").
    let name: String
    let timeout: TimeAmount
    let maximumAnswer: Int
    /// The error for a non-2xx answer: its status and body.
    let refusal: @Sendable (_ status: UInt, _ body: [UInt8]) -> ByokyError

    /// - Throws: ``ByokyError`` `INVALID_URL` unless `https://`, or `http://` on this machine.
    init(
        _ url: String,
        name: String,
        timeout: TimeAmount,
        maximumAnswer: Int,
        refusal: @escaping @Sendable (UInt, [UInt8]) -> ByokyError
    ) throws {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard ProviderURLPolicy.isAllowedServiceURL(trimmed) else {
            throw ByokyError(.invalidURL, "The \(name) must be an https:// URL (http:// only on this machine)")
        }
        baseURL = trimmed
        self.name = name
        self.timeout = timeout
        self.maximumAnswer = maximumAnswer
        self.refusal = refusal
    }

    /// A path segment, percent-encoded.
    func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.")))
            ?? ""
    }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: Data? = nil,
        token: SecretString? = nil
    )
        async throws -> [UInt8]
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token.exposedValue)") }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: maximumAnswer)
        } catch {
            throw ByokyError(.proxyError, "The \(name) at \(baseURL) did not answer; try again later")
        }
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(response.status.code) else { throw refusal(response.status.code, bytes) }
        return bytes
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8]) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw ByokyError(.invalidResponse, "The \(name) at \(baseURL) answered something unexpected")
        }
    }
}
