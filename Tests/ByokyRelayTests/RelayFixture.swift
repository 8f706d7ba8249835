import ByokyCore
import ByokyRelay
import Foundation
import Hummingbird
import Logging
import NIOWebSocket
import ServiceLifecycle
import Synchronization
import WSClient

/// A relay on a free loopback port, and WebSocket peers that talk to it.
struct RelayFixture {
    let port: Int
    let relay: RelayServer

    static func with(limits: RelayLimits = .init(), _ body: @Sendable (RelayFixture) async throws -> Void) async throws
    {
        let relay = RelayServer(limits: limits)
        try await relay.withRunningServer { port in
            try await body(RelayFixture(port: port, relay: relay))
        }
    }

    /// Opens a WebSocket to the relay.
    func connect() async throws -> TestPeer {
        let peer = TestPeer()
        peer.start(url: "ws://127.0.0.1:\(port)/ws")
        try await peer.waitUntilOpen()
        return peer
    }

    /// Opens a WebSocket to a relay whose client idle timeout is short: a loaded machine may
    /// send the upgrade request later than that, and the relay then rightly closes the
    /// connection, so an opening closed unopened is tried again, up to `attempts` times.
    func connectBeforeTheIdleTimeout(attempts: Int = 3) async throws -> TestPeer {
        for _ in 1..<attempts {
            if let peer = try? await connect() { return peer }
        }
        return try await connect()
    }
}

/// A WebSocket client that records every frame it receives.
final class TestPeer: Sendable {
    private let received = Mutex<[String]>([])
    private let isOpen = Mutex(false)
    private let isClosed = Mutex(false)
    private let outbound: AsyncStream<String>.Continuation
    private let frames: AsyncStream<String>
    private let task = Mutex<Task<Void, Never>?>(nil)

    init() {
        (frames, outbound) = AsyncStream.makeStream(of: String.self)
    }

    func start(url: String) {
        let frames = self.frames
        let task = Task {
            var logger = Logger(label: "peer")
            logger.logLevel = .critical
            _ = try? await WebSocketClient.connect(
                url: url,
                configuration: .init(maxFrameSize: 1 << 22),
                logger: logger
            ) {
                inbound,
                outbound,
                _ in
                self.isOpen.withLock { $0 = true }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await frame in frames { try await outbound.write(.text(frame)) }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        if case .text(let text) = message { self.received.withLock { $0.append(text) } }
                    }
                    group.cancelAll()
                }
            }
            self.isClosed.withLock { $0 = true }
        }
        self.task.withLock { $0 = task }
    }

    /// How long a peer waits for the relay: ten seconds, which a busy machine's slowest answer
    /// stays well inside. Waits are bounded by this time, not by a count of polls: a poll that
    /// sleeps 10 ms may take far longer when the test's task is held up.
    static let patience: Duration = .seconds(10)

    func waitUntilOpen() async throws {
        let deadline = ContinuousClock.now + Self.patience
        // A connection that ended unopened (refused, or closed before its upgrade) is not waited on.
        for _ in 0..<10_000 where !isOpen.withLock({ $0 }) && !closed && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard isOpen.withLock({ $0 }) else { throw ByokyError(.timeout, "could not connect") }
    }

    var closed: Bool { isClosed.withLock { $0 } }

    func send(_ frame: String) { outbound.yield(frame) }

    func send(_ object: [String: JSONValue]) {
        var writer = JSONWriter()
        writer.write(.object(object))
        send(String(decoding: writer.bytes, as: UTF8.self))
    }

    func close() { outbound.finish() }

    /// Every frame received so far, parsed.
    var frames_: [[String: JSONValue]] {
        received.withLock { $0 }.compactMap { text in
            if case .object(let object)? = JSONCoding.parse(Array(text.utf8)) { return object }
            return nil
        }
    }

    /// Waits (bounded) for a frame of `type` matching `where`, then removes it from the record and returns it.
    func next(
        _ type: String,
        where predicate: @Sendable ([String: JSONValue]) -> Bool = { _ in true }
    ) async throws
        -> [String: JSONValue]
    {
        let deadline = ContinuousClock.now + Self.patience
        for _ in 0..<10_000 where ContinuousClock.now < deadline {
            let found: [String: JSONValue]? = received.withLock { frames in
                for (index, text) in frames.enumerated() {
                    if case .object(let object)? = JSONCoding.parse(Array(text.utf8)),
                        object["type"]?.stringValue == type,
                        predicate(object)
                    {
                        frames.remove(at: index)
                        return object
                    }
                }
                return nil
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ByokyError(.timeout, "no \(type) frame arrived")
    }

    /// Whether a frame of `type` arrives within a short wait.
    func receives(_ type: String, within: Duration = .milliseconds(300)) async -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if frames_.contains(where: { $0["type"]?.stringValue == type }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Authenticates and returns the result frame.
    func auth(
        room: String,
        token: String,
        role: String,
        priority: Int? = nil,
        senderKey: String? = nil
    ) async throws
        -> [String: JSONValue]
    {
        var frame: [String: JSONValue] = [
            "type": .string("relay:auth"), "roomId": .string(room), "authToken": .string(token), "role": .string(role),
        ]
        if let priority { frame["priority"] = .number(Double(priority)) }
        if let senderKey { frame["senderKey"] = .string(senderKey) }
        send(frame)
        return try await next("relay:auth:result")
    }
}
