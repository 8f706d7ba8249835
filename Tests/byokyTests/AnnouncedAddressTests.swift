import ByokyCore
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

/// Where a server says it listens: every server announces an address a client can open (an IPv6
/// host in brackets), and the commands that send a person or a tool to the running wallet use
/// the address it serves on, wherever `--port` or `--host` put it.
@Suite struct AnnouncedAddressTests {
    /// A server binary, started on `::1` with a free port.
    struct Server: Sendable, CustomTestStringConvertible {
        let binary: String
        let scheme: String
        /// Beyond `--host ::1 --port 0`; `DATA` stands for a fresh folder.
        let arguments: [String]
        let healthPath: String
        var testDescription: String { binary }
    }

    static let servers = [
        Server(binary: "byoky-vault", scheme: "http", arguments: ["--data", "DATA"], healthPath: "/health"),
        Server(binary: "byoky-marketplace", scheme: "http", arguments: ["--data", "DATA"], healthPath: "/health"),
        Server(binary: "byoky-relay", scheme: "ws", arguments: [], healthPath: "/health"),
        Server(binary: "byoky-mock-provider", scheme: "http", arguments: [], healthPath: "/health"),
    ]

    /// The port of an announced `scheme://[::1]:PORT` address.
    static func port(of url: String, scheme: String) -> Int? {
        guard url.hasPrefix("\(scheme)://[::1]:") else { return nil }
        return Int(url.dropFirst("\(scheme)://[::1]:".count).prefix { $0.isNumber })
    }

    @Test(arguments: servers)
    func aServerOnAnIPv6HostAnswersAtTheAddressItAnnounced(_ server: Server) async throws {
        try await TemporaryFolder.with { folder in
            let arguments = server.arguments.map { $0 == "DATA" ? folder.path + "/data" : $0 }
            let process = try BackgroundProcess(
                AppCommandTests.sibling(server.binary),
                arguments: ["--host", "::1", "--port", "0"] + arguments
            )
            defer { process.killAbruptly() }
            let announced = try await process.announcedURL(scheme: server.scheme)
            let port = try #require(Self.port(of: announced, scheme: server.scheme), "announced \(announced)")
            let health = try await LoopbackHTTP.send(url: "http://[::1]:\(port)\(server.healthPath)", .GET)
            #expect(health.status == 200)
        }
    }

    @Test func theWalletsAddressIsAnnouncedReportedAndHandedToTools() async throws {
        try await WalletCommandTests.Home.with { home in
            let idle = try await home.byoky(["status"])
            #expect(idle.status == 0, "\(idle.stderr)")
            #expect(idle.stdout.contains("Not running: `byoky serve` starts it."))
            let idleJSON = try #require(
                try JSONSerialization.jsonObject(with: Data(try await home.byoky(["status", "--json"]).stdout.utf8))
                    as? [String: Any]
            )
            #expect(idleJSON["running"] as? Bool == false)
            #expect(idleJSON["bridge"] == nil)

            // With no wallet running, a tool still runs, told where its requests will fail.
            let out = home.folder.path + "/bridge"
            let unserved = try await home.byoky([
                "exec", "--", "/bin/sh", "-c", "printf '%s' \"$BYOKY_BRIDGE_URL\" > \(out)",
            ])
            #expect(unserved.status == 0, "\(unserved.stderr)")
            #expect(unserved.stderr.contains("no wallet is running"))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "http://127.0.0.1:19280")

            let daemon = try BackgroundProcess(
                CommandLineTests.executable,
                arguments: [
                    "serve", "--host", "::1", "--port", "0", "--password-file", home.passwordFile, "--marketplace",
                    "http://127.0.0.1:9",
                ],
                environment: home.environment
            )
            defer { daemon.killAbruptly() }
            let announced = try await daemon.announcedURL()
            let port = try #require(Self.port(of: announced, scheme: "http"), "announced \(announced)")
            #expect(try await LoopbackHTTP.send(url: announced + "/v1/health", .GET).status == 200)

            let serving = try await home.byoky(["status"])
            #expect(serving.stdout.contains("Serving on http://[::1]:\(port) (unlocked)"), "\(serving.stdout)")
            let servingJSON = try #require(
                try JSONSerialization.jsonObject(with: Data(try await home.byoky(["status", "--json"]).stdout.utf8))
                    as? [String: Any]
            )
            #expect(servingJSON["running"] as? Bool == true)
            #expect(servingJSON["unlocked"] as? Bool == true)
            #expect(servingJSON["bridge"] as? String == announced)
            #expect(servingJSON["pendingApprovals"] as? Int == 0)

            // A tool run without --bridge gets the running wallet's address, not the default port.
            let served = try await home.byoky([
                "exec", "--", "/bin/sh", "-c", "printf '%s %s' \"$BYOKY_BRIDGE_URL\" \"$ANTHROPIC_BASE_URL\" > \(out)",
            ])
            #expect(served.status == 0, "\(served.stderr)")
            #expect(!served.stderr.contains("no wallet is running"))
            #expect(!served.stderr.contains("locked"))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "\(announced) \(announced)/anthropic")
            // A locked wallet answers nothing until unlocked: the tool still runs, and is told so.
            #expect(try await home.byoky(["lock"]).status == 0)
            let locked = try await home.byoky(["exec", "--", "/bin/sh", "-c", "true"])
            #expect(locked.status == 0, "\(locked.stderr)")
            #expect(locked.stderr.contains("the wallet is locked"), "\(locked.stderr)")
        }
    }
}
