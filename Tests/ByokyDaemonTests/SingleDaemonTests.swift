import ByokyCore
import ByokyDaemon
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One daemon serves a wallet: a second one started on the same wallet refuses, and leaves the
/// running one's control socket in place (before, it took it, and removed it when it stopped:
/// the first daemon served on, out of reach of `byoky lock`). A socket left by a daemon that was
/// killed does not stop the next one.
@Suite(.timeLimit(.minutes(1)))
struct SingleDaemonTests {
    @Test func aSecondDaemonOnTheSameWalletRefusesAndLeavesTheFirstReachable() async throws {
        try await BridgeFixture.with { bridge in
            let socket = bridge.folder.path + "/control.sock"
            let second = WalletDaemon(
                wallet: bridge.wallet,
                httpClient: ProxyEngine.makeHTTPClient(),
                configuration: WalletDaemon.Configuration(port: 0, controlSocketPath: socket)
            )
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await second.withRunningServer { _ in }
            }
            // The first daemon's socket is still there, and the first daemon still serves.
            #expect(FileManager.default.fileExists(atPath: socket))
            let health = try await LoopbackHTTP.send(port: bridge.port, .GET, "/v1/health")
            #expect(health.status == 200)
        }
    }

    @Test func aSocketLeftByAKilledDaemonIsReplaced() async throws {
        try await TemporaryFolder.with { folder in
            let socket = folder.path + "/control.sock"
            try Self.leaveStaleSocket(at: socket)
            #expect(FileManager.default.fileExists(atPath: socket))
            let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
            try await wallet.initialize(password: "Fixture-Password-77", iterations: 100_000)
            let daemon = WalletDaemon(
                wallet: wallet,
                httpClient: ProxyEngine.makeHTTPClient(),
                configuration: WalletDaemon.Configuration(port: 0, controlSocketPath: socket)
            )
            let answered = try await daemon.withRunningServer { port in
                try await LoopbackHTTP.send(port: port, .GET, "/v1/health").status
            }
            #expect(answered == 200)
            try await wallet.close()
        }
    }

    /// A socket file nothing listens on, as a killed daemon leaves it: bound, never listened on,
    /// closed without being removed.
    static func leaveStaleSocket(at path: String) throws {
        #if os(Linux)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(bound == 0)
    }
}
