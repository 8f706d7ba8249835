import ByokyTesting
import Foundation
import NIOCore
import NIOPosix

/// One TCP connection to the bridge that writes raw bytes and reads whole HTTP/1.1 responses,
/// for what an HTTP client library never does: pipelining, a request cut short, `Connection: close`.
struct RawHTTPConnection {
    struct Response {
        let status: Int
        let headers: [(String, String)]
        /// The body, with chunked framing removed.
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    }

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// When the connection came up and ended, noted on its event loop.
    private let clock: ConnectionClock
    /// Bytes read and not yet part of a returned response.
    private var unread: [UInt8] = []

    /// Connects to `127.0.0.1:port`, sends `opening` as soon as the connection is up (from the
    /// event loop: a test held up on a busy machine cannot make it late, ``OpeningWriter``), runs
    /// `body`, then closes the connection: with a reset (no orderly close the server could still
    /// write to) when `resetting`.
    static func with<Result: Sendable>(
        port: Int,
        opening: String = "",
        resetting: Bool = false,
        _ body: (inout RawHTTPConnection) async throws -> Result
    ) async throws -> Result {
        let clock = ConnectionClock()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                // A zero linger time makes the close a reset.
                let lingering =
                    resetting
                    ? (channel as! any SocketOptionProvider).setSoLinger(linger(l_onoff: 1, l_linger: 0))
                    : channel.eventLoop.makeSucceededVoidFuture()
                return lingering.flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandlers(clock, OpeningWriter(Array(opening.utf8)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawHTTPConnection(iterator: inbound.makeAsyncIterator(), outbound: outbound, clock: clock)
            return try await body(&connection)
        }
    }

    private init(
        iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        clock: ConnectionClock
    ) {
        self.iterator = iterator
        self.outbound = outbound
        self.clock = clock
    }

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Closes the client's side of the connection (a TCP half-close); reading goes on.
    func closeOutput() {
        outbound.finish()
    }

    /// Reads `count` whole responses, in the order they came (fewer if the server closes first).
    /// (The suite's time limit bounds the wait.)
    mutating func read(_ count: Int) async throws -> [Response] {
        try await read(answering: Array(repeating: "GET", count: count))
    }

    /// Reads one whole response per request method, in order: the answer to a `HEAD` ends with
    /// its head, whatever length it announces.
    mutating func read(answering methods: [String]) async throws -> [Response] {
        var responses: [Response] = []
        while responses.count < methods.count {
            if let (response, used) = Self.parse(unread, hasBody: methods[responses.count] != "HEAD") {
                responses.append(response)
                unread.removeFirst(used)
                continue
            }
            guard try await readMore() else { break }
        }
        return responses
    }

    /// Reads to the end of the stream: whether the server closed the connection with nothing
    /// more to say.
    mutating func readsToTheEnd() async throws -> Bool {
        while try await readMore() {}
        return unread.isEmpty
    }

    /// Every byte the server sends until it closes the connection, unparsed.
    mutating func readAll() async throws -> [UInt8] {
        while try await readMore() {}
        defer { unread = [] }
        return unread
    }

    /// Bytes read and not part of a response returned.
    var leftover: Int { unread.count }

    /// Whether the server ends the connection (cleanly or with a reset) once it has nothing more
    /// to say, or, when it closes with unread bytes, at once.
    mutating func isClosedByServer() async throws -> Bool {
        do {
            while try await readMore() {}
        } catch let error as IOError where error.errnoCode == ECONNRESET {
            return true
        }
        return true
    }

    /// Reads until the server ends the connection: when it did, as its event loop saw it (this
    /// task may read the end long after on a busy machine).
    mutating func closedByServerAt() async throws -> ContinuousClock.Instant {
        _ = try await isClosedByServer()
        return try await clock.closed()
    }

    /// Reads one more chunk; `false` at the end of the stream.
    private mutating func readMore() async throws -> Bool {
        guard let next = try await iterator.next(isolation: #isolation) else { return false }
        unread += next.readableBytesView
        return true
    }

    /// One response from the front of `bytes` and how many bytes it took; `nil` while incomplete.
    static func parse(_ bytes: [UInt8], hasBody: Bool = true) -> (Response, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let header = { (name: String) in headers.first { $0.0.lowercased() == name }?.1 }
        var position = headEnd + separator.count
        guard hasBody else { return (Response(status: status, headers: headers, body: []), position) }
        if let length = header("content-length").flatMap({ Int($0) }) {
            guard bytes.count >= position + length else { return nil }
            let body = Array(bytes[position..<position + length])
            return (Response(status: status, headers: headers, body: body), position + length)
        }
        guard header("transfer-encoding")?.lowercased() == "chunked" else {
            return (Response(status: status, headers: headers, body: []), position)
        }
        var body: [UInt8] = []
        while true {
            guard let lineEnd = bytes[position...].indices.first(where: { bytes[$0...].starts(with: [13, 10]) }),
                let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self), radix: 16)
            else { return nil }
            let start = lineEnd + 2
            guard bytes.count >= start + size + 2 else { return nil }
            body += bytes[start..<start + size]
            position = start + size + 2
            if size == 0 { return (Response(status: status, headers: headers, body: body), position) }
        }
    }
}
