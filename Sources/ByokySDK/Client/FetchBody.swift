import AsyncHTTPClient
import ByokyCore
public import NIOCore

/// A fetched answer's body, streamed as it arrives — from the local wallet's bridge or over a relay.
public struct FetchBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    enum Source: Sendable {
        case http(HTTPClientResponse.Body)
        case stream(AsyncThrowingStream<ByteBuffer, any Error>)
    }

    let source: Source

    init(_ body: HTTPClientResponse.Body) { source = .http(body) }
    init(_ stream: AsyncThrowingStream<ByteBuffer, any Error>) { source = .stream(stream) }

    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .http(let body): Iterator(http: body.makeAsyncIterator())
        case .stream(let stream): Iterator(stream: stream.makeAsyncIterator())
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        var http: HTTPClientResponse.Body.AsyncIterator?
        var stream: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator?

        init(http: HTTPClientResponse.Body.AsyncIterator) { self.http = http }
        init(stream: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator) { self.stream = stream }

        @concurrent public mutating func next() async throws -> ByteBuffer? {
            if var http {
                let chunk = try await http.next()
                self.http = http
                return chunk
            }
            if var stream {
                let chunk = try await stream.next()
                self.stream = stream
                return chunk
            }
            return nil
        }
    }

    /// The whole body, or `PAYLOAD_TOO_LARGE` past `limit` bytes.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await var chunk in self {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw ByokyError.payloadTooLarge("The response body", limit: limit)
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}
