import ByokyCore
import ByokySDK
import ByokyTesting
import Foundation
import Testing

/// byoky.js in a real headless Chromium against a real `byoky serve`: a test page on another
/// loopback origin connects (the owner approves with the CLI), fetches, streams, aborts, uploads,
/// reads usage, hears events, survives a wallet restart and a reload, and meets every error; the
/// connect modal is driven through its states and photographed. Driven by
/// `Tests/Interop/browser_sdk.py` (selenium); each named check is asserted here.
@Suite(.timeLimit(.minutes(5)))
struct BrowserSDKTests {
    static var isEnabled: Bool {
        PythonInterop.isEnabled(needing: ["selenium"])
            && (PythonInterop.isCI || FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"))
    }

    /// The backend-relay template's step runs where scripts/test.sh built it (always in CI).
    static var expectsBackendTemplate: Bool {
        PythonInterop.isCI || ProcessInfo.processInfo.environment["BYOKY_TEST_BACKEND_TEMPLATE"] != nil
    }

    static let expectedChecks = [
        "sdk.served", "sdk.etag", "detect.found", "detect.missing", "connect.no-wallet", "connect.origin-shown",
        "connect.approved", "connect.providers", "connect.stored", "connect.denied", "fetch.plain",
        "fetch.request-object", "fetch.stream", "fetch.stream-incremental", "fetch.abort", "fetch.abort-logged",
        "fetch.no-key", "fetch.image", "usage", "events.providers-updated", "fetch.upload", "restart.requests",
        "restart.events", "reload.tryReconnect", "disconnect", "errors.unknown-provider", "errors.foreign-url",
        "errors.lookalike-url", "errors.revoked", "modal.approve", "modal.isolated", "modal.connected",
        "modal.escape", "modal.no-wallet", "docs.snippets", "relay.insecure-url", "relay.backend",
        "template.chat", "template.multi-provider",
        "qr.decoded", "pairing.modal", "pairing.paired", "pairing.fetch", "pairing.stream", "pairing.upload",
        "pairing.abort-and-errors", "pairing.usage", "pairing.sealed", "pairing.on-pairing-ready",
    ]

    /// What the backend got back for a plain and a streamed request sent through the page.
    struct Relayed {
        let correlationID: String?
        let plain: String
        let streamed: String
    }

    static func requestsThroughThePage(_ clients: RelayBackend.Clients) async throws -> Relayed {
        let client = try await clients.client(timeout: .seconds(180))
        let fetch = client.createFetch(.anthropic)
        var answers: [String] = []
        for stream in [false, true] {
            let body =
                #"{"model":"claude-test","max_tokens":32,"stream":\#(stream),"messages":[{"role":"user","content":"via the page"}]}"#
            let answer = try await fetch(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: Array(body.utf8)
                )
            )
            var bytes: [UInt8] = []
            for try await piece in answer.body { bytes += piece }
            answers.append(String(decoding: bytes, as: UTF8.self))
        }
        return Relayed(correlationID: client.correlationID, plain: answers[0], streamed: answers[1])
    }

    @Test(.enabled(if: isEnabled))
    func theSDKWorksInChromium() async throws {
        try await WalletCommandTests.Home.with { home in
            let upstreamKey = "sk-upstream-browser-123456"
            let serving = try await home.serveWithMock(upstreamKey: upstreamKey)
            // The script runs its own `byoky serve` on a fixed port (it restarts it); this one goes.
            await serving.daemon.terminate()
            defer { serving.mock.killAbruptly() }
            let mockPort = try await serving.mock.announcedPort()
            let screenshots =
                ProcessInfo.processInfo.environment["BYOKY_SCREENSHOTS"] ?? home.folder.path + "/screenshots"
            var environment = home.environment
            environment["BYOKY_TEST_UPSTREAM_KEY"] = upstreamKey
            environment["BYOKY_TEST_MOCK_URL"] = "http://127.0.0.1:\(mockPort)"
            let scriptEnvironment = environment
            // The app's backend: it sends two requests over the page's relay once the page opens it.
            let (output, relayed) = try await RelayBackend.with { backendPort, clients in
                async let relayed = Self.requestsThroughThePage(clients)
                let output = try await PythonInterop.runScript(
                    "browser_sdk.py",
                    arguments: [
                        "--byoky", CommandLineTests.executable.path, "--password-file", home.passwordFile,
                        "--screenshots", screenshots, "--backend", "ws://127.0.0.1:\(backendPort)/byoky",
                    ],
                    environment: scriptEnvironment
                )
                return (output, try await relayed)
            }
            #expect(relayed.correlationID == "user-7")
            #expect(relayed.plain.contains("\"type\":\"message\""))
            #expect(relayed.streamed.contains("event: message_stop"))
            let checks = try DriverReport.checks(
                in: output,
                expecting: Self.expectedChecks + (Self.expectsBackendTemplate ? ["template.backend-relay"] : [])
            )
            #expect(checks["sdk.version"]?["detail"] as? String == ByokyVersion.current)
            let providers = (checks["sdk.providers"]?["detail"] as? String)?.split(separator: ",").map(String.init)
            #expect(providers == ProviderRegistry.all.map(\.id.rawValue))
            for state in ["modal-approve", "modal-connected", "modal-approve-dark", "modal-no-wallet", "modal-pairing"]
            {
                #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(state).png"), "no \(state) screenshot")
            }
        }
    }
}
