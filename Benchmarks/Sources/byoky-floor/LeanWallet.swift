import ByokyCore
import ByokyStore
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// `byoky-floor lean-wallet`: the splice floor (Splice.swift) plus the work a wallet cannot skip
// for an own-key passthrough request, done on the event loop in the turn that reads the bytes,
// with the project's own pieces and no task: the session key is read from the head's bytes,
// hashed (`SecureHash.sha256Hex`) and looked up in a locked table of live sessions (as the
// wallet's read cache keeps them); the model is read from the body (`JSONTopLevelScanner`); the
// head goes on with the credential's key line; the answer is passed on as it comes and, once
// whole and written, metered (`UsageExtractor`) and logged (a `RequestLogRecord` enqueued to a
// real `WalletStore`, whose writer puts it into the wallet's SQLite audit log on its own thread).
// How near the goals a wallet built as a splice could come; not a usable proxy (no errors
// answered, no limits, no chunked bodies, one session). `FLOOR_LEAN_SKIP=log` leaves the log
// entry out (metered, not stored); `FLOOR_LEAN_SKIP=record` leaves out metering and logging;
// Benchmarks/Bridge/floors.sh measures the three side by side.

/// What the floor leaves out of its work (`FLOOR_LEAN_SKIP`), to see what each part costs.
enum LeanSkip: String {
    case nothing, log, record

    static let configured = getenv("FLOOR_LEAN_SKIP").flatMap { LeanSkip(rawValue: String(cString: $0)) } ?? .nothing
}

/// The sessions the floor serves, by key hash, as the wallet's read cache holds them.
enum LeanSessions {
    struct Session {
        let id: String
        let appName: String
        let expiresAt: Int64
    }

    /// The one session key the floor accepts (run.sh's `nio-lean-wallet` lane sends it).
    static let benchKey = "byk_bench-floor-session-0123456789abcdef"

    static let table = Mutex<[String: Session]>([
        SecureHash.sha256Hex(benchKey): Session(id: "session-floor", appName: "floor", expiresAt: .max)
    ])

    /// The live session `key` opens, if any.
    static func session(forKey key: String) -> Session? {
        guard key.hasPrefix("byk_"), key.utf8.count <= 128 else { return nil }
        let hash = SecureHash.sha256Hex(key)
        guard let session = table.withLock({ $0[hash] }), session.expiresAt > WallClock.nowMilliseconds() else {
            return nil
        }
        return session
    }
}

/// The audit log the floor writes: a throw-away wallet store, opened once.
enum LeanLog {
    nonisolated(unsafe) static var store: WalletStore!
    private static let counter = Atomic<Int>(0)

    static func open(in directory: String) async throws {
        store = try await WalletStore.open(at: directory + "/wallet.sqlite")
    }

    static func nextID() -> String {
        "log-floor-" + String(counter.add(1, ordering: .relaxed).newValue)
    }
}

/// What a request sent upstream waits for: its answer, to be metered and logged.
struct LeanPending {
    let session: LeanSessions.Session
    let model: String?
    let path: String
    let started: ContinuousClock.Instant
    let createdAt: Int64
}

/// Passes an upstream's answers to the client as they come, keeping each whole answer's body to
/// meter once it is written.
final class LeanAnswers: ClientAnswering {
    typealias InboundIn = ByteBuffer
    let client: ChannelHandlerContext
    private var remaining: Int?
    private var head = ByteBuffer()
    private var scanned = 0
    private var status = 0
    private var body = ByteBuffer()
    /// Answers written to the client since the last flush: their status and body.
    private var ended: [(status: Int, body: ByteBuffer)] = []

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        while bytes.readableBytes > 0 {
            if let left = remaining {
                let passed = min(left, bytes.readableBytes)
                var slice = bytes.readSlice(length: passed)!
                client.write(NIOAny(slice), promise: nil)
                // The body is kept as well as passed on (no copy when it came in one read).
                if body.readableBytes == 0 { body = slice } else { body.writeBuffer(&slice) }
                remaining = left - passed
                if remaining == 0 { endAnswer() }
                continue
            }
            head.writeBuffer(&bytes)
            guard let end = try? HTTP1Bytes.headEnd(in: head, scanned: &scanned, limit: 64 * 1024) else { return }
            let length = head.withUnsafeReadableBytes { Splice.readHead(in: $0, end: end) } ?? 0
            status = head.withUnsafeReadableBytes { Self.status(in: $0) }
            var answer = head
            head = ByteBuffer()
            scanned = 0
            client.write(NIOAny(answer.readSlice(length: end + 4)!), promise: nil)
            body = ByteBuffer()
            remaining = length
            if length == 0 { endAnswer() }
            bytes = answer
        }
    }

    private func endAnswer() {
        remaining = nil
        ended.append((status, body))
        body = ByteBuffer()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.flush()
        guard !ended.isEmpty else { return }
        let answers = ended
        ended = []
        // Metered and logged once written, as the bridge does.
        for answer in answers {
            (client.handler as? LeanRequests)?.answered(status: answer.status, body: answer.body)
        }
    }

    /// The status code of the answer head at the start of `bytes` (`HTTP/1.1 200 …`).
    static func status(in bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count >= 12 else { return 0 }
        var code = 0
        for index in 9..<12 { code = code * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
        return code
    }
}

/// Reads the client's requests as bytes, checks each one's session and sends it upstream with
/// the credential's key line; logs each answer.
final class LeanRequests: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let upstreamPort: Int
    private let upstream: UpstreamLink<LeanAnswers>
    private var received = ByteBuffer()
    private var scanned = 0
    private var pending = CircularBuffer<LeanPending>()
    private lazy var hostLine = Array("host: 127.0.0.1:\(upstreamPort)\r\nx-api-key: sk-bench-upstream\r\n\r\n".utf8)

    init(upstreamPort: Int) {
        self.upstreamPort = upstreamPort
        upstream = UpstreamLink(port: upstreamPort)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        while let request = nextRequest(allocator: context.channel.allocator) {
            guard let request else {
                context.close(promise: nil)
                return
            }
            upstream.send(request, client: context)
        }
    }

    /// Meters and logs the oldest request's answer.
    func answered(status: Int, body: ByteBuffer) {
        guard let request = pending.popFirst(), LeanSkip.configured != .record else { return }
        let usage = body.withUnsafeReadableBytes { UsageExtractor.usage(fromJSON: $0, provider: .anthropic) }
        let record = RequestLogRecord(
            id: LeanLog.nextID(),
            sessionID: request.session.id,
            appName: request.session.appName,
            provider: "anthropic",
            actualProvider: "anthropic",
            model: request.model,
            method: "POST",
            path: request.path,
            status: status,
            inputTokens: usage?.inputTokens,
            outputTokens: usage?.outputTokens,
            latencyMilliseconds: Int((ContinuousClock.now - request.started) / .milliseconds(1)),
            errorCode: nil,
            createdAt: request.createdAt
        )
        guard LeanSkip.configured != .log else { return }
        LeanLog.store.enqueue(record)
    }

    /// The next whole request in the received bytes, checked and rewritten for the upstream;
    /// `.some(nil)` for one that may not go on.
    private func nextRequest(allocator: ByteBufferAllocator) -> ByteBuffer?? {
        let started = ContinuousClock.now
        guard let end = try? HTTP1Bytes.headEnd(in: received, scanned: &scanned, limit: 64 * 1024) else { return nil }
        var out = allocator.buffer(capacity: end + 128)
        var length = 0
        var key: String?
        var path = ""
        let complete: Bool = received.withUnsafeReadableBytes { all in
            let head = Splice.readHead(
                in: all,
                end: end,
                firstLine: { requestLine in
                    let prefix = Array(" /anthropic/".utf8)
                    guard let space = requestLine.firstIndex(of: UInt8(ascii: " ")),
                        requestLine.count > space + prefix.count,
                        requestLine[space..<(space + prefix.count)].elementsEqual(prefix),
                        let pathEnd = requestLine[(space + 1)...].firstIndex(of: UInt8(ascii: " "))
                    else { return }
                    out.writeBytes(requestLine[...space])
                    out.writeBytes(requestLine[(space + prefix.count - 1)...])
                    path = String(decoding: requestLine[(space + prefix.count - 1)..<pathEnd], as: UTF8.self)
                },
                field: { line, name in
                    if HeaderText.bytes(name, are: "x-api-key") {
                        let value = line[(name.count + 1)...].drop { $0 == UInt8(ascii: " ") }.dropLast(2)
                        key = String(decoding: value, as: UTF8.self)
                        return
                    }
                    // The key and host lines are the wallet's to write; every other goes as it came.
                    if HeaderText.bytes(name, are: "host") { return }
                    out.writeBytes(line)
                }
            )
            guard let head else { return false }
            length = head
            return all.count >= end + 4 + length
        }
        guard complete else { return nil }
        guard !path.isEmpty, let key, let session = LeanSessions.session(forKey: key) else { return .some(nil) }
        out.writeBytes(hostLine)
        received.moveReaderIndex(forwardBy: end + 4)
        var body = received.readSlice(length: length)!
        let model = body.withUnsafeReadableBytes { JSONTopLevelScanner.string(forKey: "model", in: $0) }
        out.writeBuffer(&body)
        received.discardReadBytes()
        scanned = 0
        pending.append(
            LeanPending(
                session: session,
                model: model,
                path: path,
                started: started,
                createdAt: WallClock.nowMilliseconds()
            )
        )
        return out
    }

    func channelInactive(context: ChannelHandlerContext) { upstream.close() }
}
