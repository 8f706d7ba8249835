import AsyncHTTPClient
import Foundation
package import NIOCore
package import NIOHTTP1

/// An answer of a server under test.
package struct LoopbackAnswer: Sendable {
    package let status: Int
    package let headers: [(String, String)]
    package let body: [UInt8]
    package var text: String { String(decoding: body, as: UTF8.self) }
    package var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
    package func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
}

/// One request to a server under test on a loopback port: a JSON body and a bearer token when given;
/// the whole exchange is bounded by `timeout`.
package enum LoopbackHTTP {
    /// A client that keeps a connection for the next request only a quarter of a second: servers
    /// under test close connections idle for a second or more (tests shorten their client idle
    /// timeout to that), and a request sent on a connection the server has just closed fails.
    /// Back-to-back requests still share one.
    private static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(connectionPool: .init(idleTimeout: .milliseconds(250)))
    )

    package static func send(
        port: Int,
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(30)
    ) async throws -> LoopbackAnswer {
        try await send(
            url: "http://127.0.0.1:\(port)\(path)",
            method,
            json: json,
            token: token,
            headers: headers,
            timeout: timeout
        )
    }

    /// The same request to a whole URL (a server on `::1`, say).
    package static func send(
        url: String,
        _ method: HTTPMethod,
        json: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(30)
    ) async throws -> LoopbackAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch  where isClosedBeforeAnswer(error) {
            // A pooled connection the server closed (idle) just as the request went out on it:
            // the server never read the request. Sent once more (that connection has left the
            // pool); a server that closes every connection fails again.
            response = try await client.execute(request, timeout: timeout)
        }
        let collected = try await response.body.collect(upTo: 8 * 1024 * 1024)
        return LoopbackAnswer(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView)
        )
    }

    /// Whether `error` is a connection closed by the server before any answer came: a reset,
    /// a broken pipe, an early close, or a write on a connection that had already seen the
    /// server's close (the pool had not let it go yet: the request never left).
    private static func isClosedBeforeAnswer(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        return false
    }
}
