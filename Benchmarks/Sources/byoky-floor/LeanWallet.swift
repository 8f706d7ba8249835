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
    private var framing = AnswerFraming()
    private var body = ByteBuffer()
    /// Answers written to the client since the last flush: their status and body.
    private var ended: [(status: Int, body: ByteBuffer)] = []

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        framing.split(&bytes) { piece, headBytes, endedStatus in
            client.write(NIOAny(piece), promise: nil)
            // The body is kept as well as passed on (no copy when it came in one read).
            var part = piece.getSlice(at: piece.readerIndex + headBytes, length: piece.readableBytes - headBytes)!
            if body.readableBytes == 0 { body = part } else { body.writeBuffer(&part) }
            guard let endedStatus else { return }
            ended.append((endedStatus, body))
            body = ByteBuffer()
        }
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
}

/// Reads the client's requests as bytes, checks each one's session and sends it upstream with
/// the credential's key line; logs each answer.
final class LeanRequests: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let upstream: UpstreamLink<LeanAnswers>
    private var requests: Splice.RequestReader
    private var pending = CircularBuffer<LeanPending>()

    init(upstreamPort: Int) {
        upstream = UpstreamLink(port: upstreamPort)
        requests = Splice.RequestReader(upstreamPort: upstreamPort)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        while let request = nextRequest(after: &bytes, allocator: context.channel.allocator) {
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
    private func nextRequest(after bytes: inout ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer?? {
        let started = ContinuousClock.now
        var key: String?
        var path = ""
        guard
            let request = requests.next(
                after: &bytes,
                allocator: allocator,
                path: { path = String(decoding: $0, as: UTF8.self) },
                key: { key = String(decoding: $0, as: UTF8.self) }
            )
        else { return nil }
        guard !path.isEmpty, let key, let session = LeanSessions.session(forKey: key) else { return .some(nil) }
        let model = request.bytes.withUnsafeReadableBytes {
            JSONTopLevelScanner.string(
                forKey: "model",
                in: UnsafeRawBufferPointer(rebasing: $0.suffix(request.bodyLength))
            )
        }
        pending.append(
            LeanPending(
                session: session,
                model: model,
                path: path,
                started: started,
                createdAt: WallClock.nowMilliseconds()
            )
        )
        return request.bytes
    }

    func channelInactive(context: ChannelHandlerContext) { upstream.close() }
}
