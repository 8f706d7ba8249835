import ByokyCore
import NIOCore
import NIOPosix

// `byoky-floor splice`: a proxy that works on bytes, as a request path with no task, no header
// lists and no wallet work would: the request's head is found and read in the received bytes
// (ByokyCore's HTTP/1 byte readers), its lines are copied to the upstream with the `/anthropic`
// prefix cut and the key and `host` lines swapped, its body after them; the answer's head is read
// for its length and the answer's bytes are passed on as they come. One upstream connection per
// client connection, on the same event loop. What such a path costs before any wallet logic (no
// errors answered, no limits, no chunked bodies).

/// Passes an upstream's answers to the client, reading each head for where the answer ends.
final class SplicedAnswers: ClientAnswering {
    typealias InboundIn = ByteBuffer
    let client: ChannelHandlerContext
    private var framing = AnswerFraming()

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        framing.split(&bytes) { piece, _, _ in client.write(NIOAny(piece), promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) { client.flush() }
}

/// Where each answer in an upstream connection's bytes begins and ends (its head read for the
/// body's length), as they arrive.
struct AnswerFraming {
    /// Bytes of the current answer still to come after those read; `nil` while its head has not
    /// been read.
    private var remaining: Int?
    private var head = ByteBuffer()
    private var scanned = 0
    /// The status of the answer being read.
    private var status = 0

    /// Splits `bytes` into pieces of answers, in order, each to be passed on as it is: `piece`
    /// gets each one, how many of its first bytes are an answer's head (0 for the rest of a body),
    /// and, when it ends an answer, that answer's status. A head split over reads is held until
    /// it is whole.
    mutating func split(_ bytes: inout ByteBuffer, piece: (ByteBuffer, _ headBytes: Int, _ endedStatus: Int?) -> Void) {
        while bytes.readableBytes > 0 {
            if let left = remaining {
                let passed = min(left, bytes.readableBytes)
                remaining = left == passed ? nil : left - passed
                piece(bytes.readSlice(length: passed)!, 0, remaining == nil ? status : nil)
                continue
            }
            head.writeBuffer(&bytes)
            guard let end = try? HTTP1Bytes.headEnd(in: head, scanned: &scanned, limit: 64 * 1024) else { return }
            let length = head.withUnsafeReadableBytes { Splice.readHead(in: $0, end: end) } ?? 0
            status = head.withUnsafeReadableBytes { Splice.status(in: $0) }
            var answer = head
            head = ByteBuffer()
            scanned = 0
            let headBytes = end + 4
            let passed = min(headBytes + length, answer.readableBytes)
            remaining = headBytes + length == passed ? nil : headBytes + length - passed
            piece(answer.readSlice(length: passed)!, headBytes, remaining == nil ? status : nil)
            bytes = answer
        }
    }
}

/// Reads the client's requests as bytes and sends each upstream with its key and host swapped.
final class SplicedRequests: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let upstream: UpstreamLink<SplicedAnswers>
    private var requests: Splice.RequestReader

    init(upstreamPort: Int) {
        upstream = UpstreamLink(port: upstreamPort)
        requests = Splice.RequestReader(upstreamPort: upstreamPort)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        while let request = requests.next(after: &bytes, allocator: context.channel.allocator) {
            upstream.send(request.bytes, client: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) { upstream.close() }
}

enum Splice {
    /// A request rewritten for the upstream.
    struct Request {
        var bytes: ByteBuffer
        /// How many bytes at the end of `bytes` are the body.
        var bodyLength: Int
    }

    /// A client connection's bytes read as requests, each rewritten for the upstream.
    struct RequestReader {
        /// The bytes received and not yet taken as a request.
        private var received = ByteBuffer()
        /// How far the current head's end has been searched for.
        private var scanned = 0
        /// The upstream's `host` line and the key's, and the blank line that ends a head.
        private let ending: [UInt8]

        init(upstreamPort: Int) {
            ending = Array("host: 127.0.0.1:\(upstreamPort)\r\nx-api-key: sk-bench-upstream\r\n\r\n".utf8)
        }

        /// Adds `bytes` to those received and takes the next whole request from them, rewritten for
        /// the upstream: the `/anthropic` prefix cut from its target (`path` gets the path left, when
        /// asked), its `host` and `x-api-key` lines left out (`key` gets the key's value, when asked),
        /// the upstream's `host` and key lines after the others, the body last. `nil` until a whole
        /// request is there (call again with no bytes for the next of several).
        mutating func next(
            after bytes: inout ByteBuffer,
            allocator: ByteBufferAllocator,
            path: ((UnsafeRawBufferPointer) -> Void)? = nil,
            key: ((UnsafeRawBufferPointer) -> Void)? = nil
        ) -> Request? {
            received.writeBuffer(&bytes)
            guard let end = try? HTTP1Bytes.headEnd(in: received, scanned: &scanned, limit: 64 * 1024) else {
                return nil
            }
            var out = allocator.buffer(capacity: end + 128)
            var length = 0
            let complete: Bool = received.withUnsafeReadableBytes { all in
                let head = readHead(
                    in: all,
                    end: end,
                    firstLine: { requestLine in
                        let prefix = Array(" /anthropic/".utf8)
                        guard let space = requestLine.firstIndex(of: UInt8(ascii: " ")),
                            requestLine.count > space + prefix.count,
                            requestLine[space..<(space + prefix.count)].elementsEqual(prefix)
                        else {
                            out.writeBytes(requestLine)
                            return
                        }
                        out.writeBytes(requestLine[...space])
                        out.writeBytes(requestLine[(space + prefix.count - 1)...])
                        if let path,
                            let pathEnd = requestLine[(space + prefix.count)...].firstIndex(of: UInt8(ascii: " "))
                        {
                            path(UnsafeRawBufferPointer(rebasing: requestLine[(space + prefix.count - 1)..<pathEnd]))
                        }
                    },
                    field: { line, name in
                        // The key and host lines are the wallet's to write; every other goes as it came.
                        if HeaderText.bytes(name, are: "x-api-key") {
                            if let key {
                                let value = line[(name.count + 1)...].drop { $0 == UInt8(ascii: " ") }.dropLast(2)
                                key(UnsafeRawBufferPointer(rebasing: value))
                            }
                            return
                        }
                        if HeaderText.bytes(name, are: "host") { return }
                        out.writeBytes(line)
                    }
                )
                guard let head else { return false }
                length = head
                return all.count >= end + 4 + length
            }
            guard complete else { return nil }
            out.writeBytes(ending)
            received.moveReaderIndex(forwardBy: end + 4)
            var body = received.readSlice(length: length)!
            out.writeBuffer(&body)
            received.discardReadBytes()
            scanned = 0
            return Request(bytes: out, bodyLength: length)
        }
    }

    /// The status code of the answer head at the start of `bytes` (`HTTP/1.1 200 …`).
    static func status(in bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count >= 12 else { return 0 }
        var code = 0
        for index in 9..<12 { code = code * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
        return code
    }

    /// Reads the head that ends at `end` (the offset of its blank line) at the start of `bytes`:
    /// calls `firstLine` with its first line (CRLF included), then `field` with each field's whole
    /// line and name, and returns the body's declared length (ByokyCore's framing reader); `nil`
    /// when the head is not one.
    static func readHead(
        in bytes: UnsafeRawBufferPointer,
        end: Int,
        firstLine: (_ line: UnsafeRawBufferPointer) -> Void = { _ in },
        field: (_ line: UnsafeRawBufferPointer, _ name: UnsafeRawBufferPointer) -> Void = { _, _ in }
    ) -> Int? {
        let lines = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        guard let firstLineEnd = HTTP1Bytes.find(Array("\r\n".utf8), in: lines, from: 0) else { return nil }
        firstLine(UnsafeRawBufferPointer(rebasing: lines[0..<(firstLineEnd + 2)]))
        let fields = UnsafeRawBufferPointer(rebasing: lines[(firstLineEnd + 2)...])
        var framing = HTTP1FramingFields(minorVersion: 1)
        var lineStart = fields.baseAddress!
        do {
            try HTTP1Bytes.forEachField(in: fields) { name, value, spaceFollows throws(HTTP1MessageError) in
                try framing.note(name: name, value: value, spaceFollows: spaceFollows)
                let lineEnd = value.baseAddress! + value.count
                field(UnsafeRawBufferPointer(start: lineStart, count: lineEnd - lineStart + 2), name)
                lineStart = lineEnd + 2
            }
        } catch {
            return nil
        }
        return framing.length ?? 0
    }
}
