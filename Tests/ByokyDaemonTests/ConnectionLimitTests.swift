import ByokyCore
import ByokyHTTPServer
import ByokyTesting
import Hummingbird
import Logging
import NIOCore
import Testing

/// A server holds at most its maximum of connections: one more is taken only when one closes,
/// and the connections it holds are answered meanwhile. Before, a client could open connections
/// until the process ran out of file descriptors, and then it could open no provider connection
/// or file for anyone.
@Suite(.timeLimit(.minutes(1)))
struct ConnectionLimitTests {
    @Test func aServerAtItsMaximumTakesTheNextConnectionWhenOneCloses() async throws {
        let router = Router()
        router.get("/ping") { _, _ in "pong" }
        try await HTTPServerRunner.withRunningServers(
            [
                HTTPServerRunner.Server(
                    router: router,
                    address: .hostname("127.0.0.1", port: 0),
                    maximumConnections: 4
                )
            ],
            logger: .init(label: "test")
        ) { ports in
            let probe = try await ConnectionLimitProbe.probe(
                port: ports[0],
                maximum: 4,
                request: "GET /ping HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
            )
            #expect(probe.answeredBelowMaximum)
            let waited = try #require(probe.waitedPastMaximum, "the connection past the maximum was never taken")
            #expect(waited >= .milliseconds(900), "a connection past the maximum was taken at once")
        }
    }

    /// By default a server keeps half the process's file descriptors for what answering needs.
    @Test func theDefaultMaximumIsHalfTheOpenFileLimit() {
        #expect(ServerLimits.maximumConnections(openFileLimit: 4096) == 2048)
        #expect(ServerLimits.maximumConnections(openFileLimit: 100) == 64)
        #expect(ServerLimits.maximumConnections(openFileLimit: nil) == 1 << 20)
    }
}
