import ArgumentParser
import ByokySDK
import Foundation

/// A terminal chat that never sees an API key: it asks the owner's byoky wallet for a session
/// (the owner approves with `byoky approve`), then streams answers through it.
@main
struct ByokyChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky-chat",
        abstract: "Chat with Claude or GPT through your byoky wallet (start it with `byoky serve`)."
    )

    @Option(help: "anthropic or openai.") var provider = "anthropic"
    @Option(help: "The model to ask for (the wallet owner may route it elsewhere).") var model: String?
    @Option(help: "The wallet's bridge.") var bridge = "http://127.0.0.1:19280"
    @Option(help: "Pair with a wallet on another machine through this relay (wss://…) instead.")
    var relay: String?

    func run() async throws {
        let provider = ProviderID(rawValue: provider)
        guard [.anthropic, .openai].contains(provider) else {
            throw ValidationError("--provider must be anthropic or openai")
        }
        if let relay {
            let byoky = Byoky(options: .init(appName: "byoky-chat", relayURL: relay))
            let session = try await byoky.connect(
                providers: [ProviderRequirement(id: provider, required: true)],
                useRelay: true
            ) { code in
                print(Byoky.pairingQRCode(for: code))
                print("On the wallet's machine run:\n  byoky pair \(Byoky.pairingURL(for: code))")
            }
            return try await chat(through: session, provider: provider)
        }
        let sessionFile = FileManager.default.homeDirectoryForCurrentUser.path + "/.byoky-chat-session.json"
        let byoky = Byoky(options: .init(appName: "byoky-chat", bridgeURL: bridge, sessionFile: sessionFile))
        guard await byoky.isWalletRunning() else {
            print("No byoky wallet is running. \(Byoky.installHint())")
            throw ExitCode.failure
        }
        let session: ByokySession
        if let restored = await byoky.tryReconnect() {
            session = restored
        } else {
            print("Asking your wallet for \(provider.rawValue); approve it with `byoky approve`…")
            session = try await byoky.connect(providers: [ProviderRequirement(id: provider, required: true)])
        }
        try await chat(through: session, provider: provider)
    }

    /// Reads the user's lines and streams the answers until an empty line.
    func chat(through session: ByokySession, provider: ProviderID) async throws {
        session.onDisconnect { print("\n(The wallet ended this session.)") }
        let chat = Conversation(
            provider: provider,
            model: model ?? ModelCatalog.defaultModel(for: provider == .openai ? .openai : .anthropic)
        )
        print("Connected. Type a message (empty line to quit).")
        let fetch = session.createFetch(provider)
        var history: [(role: String, text: String)] = []
        while true {
            print("> ", terminator: "")
            guard let line = readLine(), !line.isEmpty else { break }
            history.append(("user", line))
            let answer = try await fetch(chat.request(history))
            guard answer.status == 200 else {
                let body = String(buffer: try await answer.body.collect(upTo: 1_048_576))
                print("The wallet answered \(answer.status): \(body)")
                continue
            }
            var decoder = SSEDecoder()
            var reply = ""
            for try await chunk in answer.body {
                for event in try decoder.feed(Array(chunk.readableBytesView)) {
                    if let delta = chat.textDelta(in: event) {
                        reply += delta
                        FileHandle.standardOutput.write(Data(delta.utf8))
                    }
                }
            }
            print()
            history.append(("assistant", reply))
        }
    }
}
