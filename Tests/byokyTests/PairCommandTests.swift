import ByokyCore
import ByokySDK
import ByokyTesting
import Foundation
import NIOCore
import Synchronization
import Testing

/// `byoky pair` with real processes: the relay (`byoky-relay`), the owner's wallet (`byoky pair`
/// in its own home) and the mock provider; the app is the Swift SDK in this test.
@Suite(.timeLimit(.minutes(2)))
struct PairCommandTests {
    @Test func ownerPairsAnAppFromTheCommandLine() async throws {
        try await WalletCommandTests.Home.with { home in
            let mock = try CommandLineTests.server("byoky-mock-provider")
            let relay = try CommandLineTests.server("byoky-relay")
            let mockPort = try await mock.announcedPort()
            let relayPort = try await relay.announcedPort()
            let added = try await home.byoky(
                [
                    "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                    home.passwordFile,
                ],
                input: "sk-canary-PAIR-0042\n"
            )
            #expect(added.status == 0, "\(added.stderr)")

            let shown = Mutex<String?>(nil)
            let byoky = Byoky(
                options: .init(
                    appName: "Remote app",
                    connectTimeout: .seconds(30),
                    relayURL: "ws://127.0.0.1:\(relayPort)",
                    appOrigin: "https://remote.example"
                )
            )
            let pairing = Task {
                try await byoky.connect(
                    providers: [ProviderRequirement(id: .anthropic, required: true)],
                    useRelay: true
                ) { code in
                    shown.withLock { $0 = code }
                }
            }
            var code: String?
            for _ in 0..<500 where code == nil {
                code = shown.withLock { $0 }
                if code == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let pairCode = try #require(code)
            var environment = ProcessInfo.processInfo.environment
            environment["BYOKY_HOME"] = home.folder.path + "/wallet"
            let owner = try BackgroundProcess(
                CommandLineTests.executable,
                arguments: ["pair", pairCode, "--yes", "--password-file", home.passwordFile],
                environment: environment
            )
            let session = try await pairing.value
            _ = try await owner.waitForOutput(containing: "Paired.")
            #expect(owner.printed.contains("\"https://remote.example\" (unverified) asks to pair"))
            let answer = try await session.createFetch(.anthropic)(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: Array(
                        #"{"model":"claude-sonnet-4-6","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"over the relay"}]}"#
                            .utf8
                    )
                )
            )
            #expect(answer.status == 200)
            let text = String(buffer: try await answer.body.collect(upTo: 1_048_576))
            #expect(text.contains("event: message_stop"))
            #expect(!text.contains("sk-canary"))
            _ = try await owner.waitForOutput(containing: "anthropic → 200")
            // The audit entry is written just after the answer; another process sees it shortly.
            var logged = false
            for _ in 0..<100 where !logged {
                logged = try await home.byoky(["log"]).stdout.contains(
                    "https://remote.example (paired, unverified)\tanthropic"
                )
                if !logged { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(logged)
            #expect(await owner.terminate() == 0 || !owner.printed.isEmpty)
            for process in [relay, mock] { await process.terminate() }
            #expect(!owner.printed.contains("sk-canary"))
            #expect(!relay.printed.contains("sk-canary"))
        }
    }
}

extension PairCommandTests {
    /// With `byoky serve` running, `byoky pair` hands pairings to the daemon, which serves several.
    @Test func theRunningWalletServesSeveralPairings() async throws {
        try await WalletCommandTests.Home.with { home in
            let mock = try CommandLineTests.server("byoky-mock-provider")
            let relay = try CommandLineTests.server("byoky-relay")
            let mockPort = try await mock.announcedPort()
            let relayPort = try await relay.announcedPort()
            _ = try await home.byoky(
                [
                    "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                    home.passwordFile,
                ],
                input: "sk-canary-PAIRS-0043\n"
            )
            let serve = try home.startServing()
            _ = try await serve.announcedPort()

            var sessions: [ByokySession] = []
            for origin in ["https://one.example", "https://two.example"] {
                let shown = Locked<String?>(nil)
                let byoky = Byoky(
                    options: .init(
                        appName: origin,
                        connectTimeout: .seconds(30),
                        relayURL: "ws://127.0.0.1:\(relayPort)",
                        appOrigin: origin
                    )
                )
                let pairing = Task {
                    try await byoky.connect(
                        providers: [ProviderRequirement(id: .anthropic, required: true)],
                        useRelay: true
                    ) { code in shown.withLock { $0 = code } }
                }
                var code: String?
                for _ in 0..<500 where code == nil {
                    code = shown.withLock { $0 }
                    if code == nil { try await Task.sleep(for: .milliseconds(20)) }
                }
                let pairCode = try #require(code)
                // No password: the running wallet takes the pairing over the control socket.
                let handed = try await home.byoky(["pair", pairCode, "--yes"])
                #expect(handed.status == 0, "\(handed.stderr)")
                #expect(handed.stdout.contains("The running wallet serves this pairing now"))
                sessions.append(try await pairing.value)
            }
            let request = ByokyFetch.Request(
                url: "https://api.anthropic.com/v1/messages",
                headers: [("content-type", "application/json")],
                body: Array(
                    #"{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#.utf8
                )
            )
            for session in sessions {
                #expect(try await session.createFetch(.anthropic)(request).status == 200)
            }
            let listed = try await home.byoky(["pairings", "--json"])
            struct Item: Decodable {
                let id: String
                let app: String
                let state: String
            }
            let items = try JSONDecoder().decode([Item].self, from: Data(listed.stdout.utf8))
            #expect(
                Set(items.map(\.app)) == [
                    "https://one.example (paired, unverified)", "https://two.example (paired, unverified)",
                ]
            )
            #expect(items.allSatisfy { $0.state == "serving" })

            // Stopping one pairing ends that app's access only.
            let first = try #require(items.first { $0.app.hasPrefix("https://one.example") })
            #expect(try await home.byoky(["pairings", "stop", first.id]).status == 0)
            for _ in 0..<200 where await sessions[0].isConnected() { try await Task.sleep(for: .milliseconds(20)) }
            await #expect(throws: ByokyError.self) { _ = try await sessions[0].createFetch(.anthropic)(request) }
            #expect(try await sessions[1].createFetch(.anthropic)(request).status == 200)

            for session in sessions { try? await session.disconnect() }
            for process in [serve, relay, mock] { await process.terminate() }
            #expect(!serve.printed.contains("sk-canary"))
        }
    }
}
