import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `byoky serve` started with a low soft limit on open files (Linux desktops give 1,024) raises
/// it to the hard limit: connections past the old soft limit are taken, and the wallet still
/// answers. Before, a client holding that many connections left it unable to accept any other.
@Suite(.timeLimit(.minutes(2)))
struct ServeOpenFilesTests {
    static let prlimit = "/usr/bin/prlimit"

    /// A plain TCP connection to `127.0.0.1:port` that sends nothing, or `nil` when it fails.
    static func silentConnection(port: Int) -> Int32? {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return nil
        }
        return socket
        #else
        return nil
        #endif
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: prlimit)))
    func serveTakesConnectionsPastALowSoftLimit() async throws {
        try await WalletCommandTests.Home.with { home in
            let daemon = try BackgroundProcess(
                URL(fileURLWithPath: Self.prlimit),
                arguments: [
                    "--nofile=256:4096", CommandLineTests.executable.path, "serve", "--port", "0", "--password-file",
                    home.passwordFile, "--marketplace", "http://127.0.0.1:9",
                ],
                environment: home.environment
            )
            let port = try await daemon.announcedPort()
            var sockets: [Int32] = []
            defer { for socket in sockets { close(socket) } }
            // More silent connections than the limit the daemon was started with.
            for _ in 0..<400 {
                guard let socket = Self.silentConnection(port: port) else { break }
                sockets.append(socket)
            }
            #expect(sockets.count == 400)
            let health = try await LoopbackHTTP.send(port: port, .GET, "/v1/health", timeout: .seconds(10))
            #expect(health.status == 200)
            #expect(await daemon.terminate() == 0)
        }
    }
}
