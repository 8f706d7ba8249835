import ArgumentParser
import ByokyCore
import ByokyMockProvider
import Foundation
import Hummingbird

/// `byoky-mock-provider`: a deterministic fake of the AI providers, for tests, benchmarks and demos.
@main
struct MockProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky-mock-provider",
        abstract: "Serve fake Anthropic, OpenAI, Gemini and Cohere APIs on loopback (no real keys needed).",
        discussion: """
            Chat endpoints answer at the real paths (/v1/messages, /v1/chat/completions,
            /v1beta/models/{model}:generateContent, /v2/chat, …) with real-shaped JSON and
            streams. Model names steer it: mock-error-429 answers that error,
            mock-words-500 makes a 500-word reply. A request that offers tools gets a call
            to its first tool.
            """
    )

    @Option(help: "Port to listen on (0 picks a free port and prints it).")
    var port = 8790

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(
        name: .customLong("api-key-file"),
        help: "A file holding the key requests must present (default: accept any)."
    )
    var apiKeyFile: String?

    @Option(help: "Milliseconds to wait before each response head.")
    var delayMs = 0

    @Option(help: "Milliseconds to wait between stream events.")
    var eventDelayMs = 0

    @Option(help: "Milliseconds to wait between a stream's last event and the end of its body.")
    var streamEndDelayMs = 0

    @Option(help: "Words in a reply when the model name does not say.")
    var words = 12

    func validate() throws {
        if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
        guard delayMs >= 0, eventDelayMs >= 0, streamEndDelayMs >= 0 else {
            throw ValidationError("Delays are milliseconds, 0 or more")
        }
        guard words >= 1 else { throw ValidationError("--words must be 1 or more") }
    }

    func run() async throws {
        var key: String?
        if let apiKeyFile {
            guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                throw ValidationError("Cannot read --api-key-file \(apiKeyFile)")
            }
            key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let endDelay = Duration.milliseconds(streamEndDelayMs)
        var beforeStreamEnd: (@Sendable () async throws -> Void)?
        if endDelay > .zero { beforeStreamEnd = { try await Task.sleep(for: endDelay) } }
        let configuration = MockProvider.Configuration(
            apiKey: key,
            responseDelay: .milliseconds(delayMs),
            eventDelay: .milliseconds(eventDelayMs),
            defaultWordCount: max(1, words),
            beforeStreamEnd: beforeStreamEnd
        )
        let app = Application(
            router: MockProvider.makeRouter(configuration: configuration),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let line =
                    "byoky-mock-provider listening on \(AbsoluteURL.origin(scheme: "http", host: host, port: channel.localAddress?.port ?? 0))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        )
        try await app.runService()
    }
}
