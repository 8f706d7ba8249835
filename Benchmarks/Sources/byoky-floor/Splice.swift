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
    /// Bytes of the current answer still to come after those read; `nil` while its head has not
    /// been read.
    private var remaining: Int?
    private var head = ByteBuffer()
    private var scanned = 0

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        while bytes.readableBytes > 0 {
            if let left = remaining {
                let passed = min(left, bytes.readableBytes)
                client.write(NIOAny(bytes.readSlice(length: passed)!), promise: nil)
                remaining = left - passed == 0 ? nil : left - passed
                continue
            }
            head.writeBuffer(&bytes)
            guard let end = try? HTTP1Bytes.headEnd(in: head, scanned: &scanned, limit: 64 * 1024) else { return }
            let length = head.withUnsafeReadableBytes { Splice.readHead(in: $0, end: end) } ?? 0
            let headBytes = end + 4
            var answer = head
            head = ByteBuffer()
            scanned = 0
            remaining = headBytes + length
            bytes = answer.readSlice(length: answer.readableBytes)!
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { client.flush() }
}

/// Reads the client's requests as bytes and sends each upstream with its key and host swapped.
final class SplicedRequests: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let upstreamPort: Int
    private let upstream: UpstreamLink<SplicedAnswers>
    private var received = ByteBuffer()
    private var scanned = 0
    private lazy var hostLine = Array("host: 127.0.0.1:\(upstreamPort)\r\nx-api-key: sk-bench-upstream\r\n\r\n".utf8)

    init(upstreamPort: Int) {
        self.upstreamPort = upstreamPort
        upstream = UpstreamLink(port: upstreamPort)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        while let request = nextRequest(allocator: context.channel.allocator) {
            upstream.send(request, client: context)
        }
    }

    /// The next whole request in the received bytes, rewritten for the upstream.
    private func nextRequest(allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let end = try? HTTP1Bytes.headEnd(in: received, scanned: &scanned, limit: 64 * 1024) else { return nil }
        var out = allocator.buffer(capacity: end + 128)
        var length = 0
        let complete: Bool = received.withUnsafeReadableBytes { all in
            let head = Splice.readHead(
                in: all,
                end: end,
                firstLine: { requestLine in
                    let prefix = Array(" /anthropic/".utf8)
                    if let space = requestLine.firstIndex(of: UInt8(ascii: " ")),
                        requestLine.count > space + prefix.count,
                        requestLine[space..<(space + prefix.count)].elementsEqual(prefix)
                    {
                        out.writeBytes(requestLine[...space])
                        out.writeBytes(requestLine[(space + prefix.count - 1)...])
                    } else {
                        out.writeBytes(requestLine)
                    }
                },
                field: { line, name in
                    // The key and host lines are the wallet's to write; every other goes as it came.
                    if HeaderText.bytes(name, are: "host") || HeaderText.bytes(name, are: "x-api-key") { return }
                    out.writeBytes(line)
                }
            )
            guard let head else { return false }
            length = head
            return all.count >= end + 4 + length
        }
        guard complete else { return nil }
        out.writeBytes(hostLine)
        received.moveReaderIndex(forwardBy: end + 4)
        var body = received.readSlice(length: length)!
        out.writeBuffer(&body)
        received.discardReadBytes()
        scanned = 0
        return out
    }

    func channelInactive(context: ChannelHandlerContext) { upstream.close() }
}

enum Splice {
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
