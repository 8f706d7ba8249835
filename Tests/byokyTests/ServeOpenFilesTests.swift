import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `byoky serve` started with a low soft limit on open files (Linux desktops give 1,024) raises
/// it to the hard limit: connections past the old soft limit are taken, and the wallet still
/// answers. Before, a client holding that many connections left it unable to accept any other.
@Suite(.timeLimit(.minutes(2)))
struct ServeOpenFilesTests {
    static let prlimit = "/usr/bin/prlimit"

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
            // More silent connections than the limit the daemon was started with.
            let held = try await StalledConnection.open(400, port: port)
            #expect(held.count == 400)
            let health = try await LoopbackHTTP.send(port: port, .GET, "/v1/health", timeout: .seconds(10))
            #expect(health.status == 200)
            for channel in held { try? await channel.close() }
            #expect(await daemon.terminate() == 0)
        }
    }
}
