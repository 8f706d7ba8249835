import ByokyCore
import Logging
import WSClient
import WSCore

/// One WebSocket connection driven by the benchmark: frames out through ``send(_:)``, frames in
/// through ``incoming``.
final class BenchPeer: Sendable {
    let incoming: AsyncStream<String>
    private let inbox: AsyncStream<String>.Continuation
    private let outbox: AsyncStream<String>.Continuation
    private let outgoing: AsyncStream<String>

    private init() {
        (incoming, inbox) = AsyncStream.makeStream(of: String.self)
        (outgoing, outbox) = AsyncStream.makeStream(of: String.self)
    }

    /// Opens a connection; returns once the upgrade is done.
    static func open(_ url: String) async throws -> BenchPeer {
        let peer = BenchPeer()
        let (opened, signal) = AsyncStream.makeStream(of: Bool.self)
        Task {
            var logger = Logger(label: "bench-peer")
            logger.logLevel = .critical
            do {
                _ = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                    signal.yield(true)
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in peer.outgoing {
                                do { try await outbound.write(.text(text)) } catch { break }
                            }
                        }
                        do {
                            for try await message in inbound.messages(maxSize: 1 << 24) {
                                if case .text(let text) = message { peer.inbox.yield(text) }
                            }
                        } catch {}
                        peer.outbox.finish()
                        group.cancelAll()
                    }
                }
            } catch {
                signal.yield(false)
            }
            peer.inbox.finish()
        }
        var iterator = opened.makeAsyncIterator()
        guard await iterator.next() == true else { throw BenchError("cannot connect to \(url)") }
        return peer
    }

    func send(_ frame: RelayMessage) {
        outbox.yield(String(decoding: frame.encoded(), as: UTF8.self))
    }

    func close() {
        outbox.finish()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
