import ArgumentParser
import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyStore
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky pair <code>`: serve an app that has no local wallet, through a relay.
    struct Pair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve an app on another device through the relay, using the pairing code it shows.",
            discussion: """
                The app shows a pairing code (or a byoky://pair/… link). This command shows who the app \
                claims to be and which providers it would get, asks you to approve, then serves its \
                requests with your keys — routing, limits and the audit log apply as for local apps. \
                Requests and answers are end-to-end encrypted with a key only the code carries.

                When `byoky serve` runs, the wallet takes the pairing over and serves it alongside \
                others (see `byoky pairings`); otherwise this command serves it until Ctrl-C. Revoking \
                its session (`byoky revoke`) ends it either way.

                  byoky pair byoky://pair/eyJ2Ijox… --providers anthropic
                """
        )

        @OptionGroup var options: WalletOptions
        @Argument(help: "The pairing code or link the app shows.") var code: String
        @Option(help: "Providers to offer, comma-separated (default: every provider you hold a key for).")
        var providers: String?
        @Flag(help: "Approve without asking (for scripts).") var yes = false
        @Flag(help: "Serve in this terminal even when `byoky serve` runs.") var foreground = false

        func run() async throws {
            try await reportingErrors {
                guard let payload = PairingPayload.decode(code) else {
                    throw ByokyError(.invalidRequest, "That is not a byoky pairing code — copy it again from the app")
                }
                guard ProviderURLPolicy.isAllowedRelayURL(payload.relayURL) else {
                    throw ByokyError(.invalidURL, "The code names a relay that is neither wss:// nor local — refusing")
                }
                // A running, unlocked wallet serves the pairing itself: no password is asked.
                if !foreground, let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                    let keys = try await daemon.send(.GET, "/keys", as: [CredentialSummary].self)
                    guard let chosen = try approve(payload, held: Set(keys.map(\.provider))) else { return }
                    let item = try await Self.handOver(code: code, providers: chosen, to: daemon)
                    Self.say("The running wallet serves this pairing now (id \(item.id)).\n")
                    Self.say("See `byoky pairings`; stop it with `byoky pairings stop \(item.id)`.\n")
                    return
                }
                try await withWallet(options, unlock: true) { wallet in
                    guard
                        let chosen = try approve(
                            payload,
                            held: Set(try await wallet.credentials().map(\.provider.rawValue))
                        )
                    else { return }
                    let client = ProxyEngine.makeHTTPClient()
                    let host = PairingHost(
                        payload: payload,
                        wallet: wallet,
                        engine: ProxyEngine(wallet: wallet, httpClient: client),
                        providers: chosen
                    )
                    do {
                        try await host.run { event in
                            let line: String
                            switch event {
                            case .joined: line = "Joined the relay room; waiting for the app…"
                            case .paired: line = "Paired. Serving \"\(payload.appOrigin)\" — Ctrl-C to stop."
                            case .served(let provider, let status): line = "  \(provider) → \(status)"
                            case .reconnecting: line = "The relay connection dropped; reconnecting…"
                            case .ended(let reason): line = "Pairing ended: \(reason)."
                            }
                            Self.say(line + "\n")
                        }
                    } catch {
                        try? await client.shutdown()
                        throw error
                    }
                    try await client.shutdown()
                }
            }
        }

        /// Shows the request and asks the owner; returns the providers to offer, or `nil` when not approved.
        func approve(_ payload: PairingPayload, held: Set<String>) throws -> [ProviderID]? {
            let chosen =
                providers.map { $0.split(separator: ",").map { ProviderID(String($0)) } }
                ?? held.sorted().map { ProviderID(rawValue: $0) }
            for provider in chosen where !held.contains(provider.rawValue) {
                throw ByokyError(
                    .invalidRequest,
                    "You hold no \(provider.rawValue) key — add one first or leave it out"
                )
            }
            guard !chosen.isEmpty else {
                throw ByokyError(.invalidRequest, "No keys to offer — add one with `byoky key add`")
            }
            Self.say("\"\(payload.appOrigin)\" (unverified) asks to pair through \(payload.relayURL)\n")
            Self.say("It would use: \(chosen.map(\.rawValue).joined(separator: ", "))\n")
            if !yes {
                Self.say("Approve? [y/N] ")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    Self.say("Not approved.\n")
                    return nil
                }
            }
            return chosen
        }

        /// Gives the pairing to the running daemon. - Throws: the daemon's error.
        static func handOver(
            code: String,
            providers: [ProviderID],
            to daemon: ControlClient
        ) async throws
            -> PairingBook.Item
        {
            struct Body: Encodable {
                let code: String
                let providers: [ProviderID]
            }
            let body = try JSONEncoder().encode(Body(code: code, providers: providers))
            return try await daemon.send(.POST, "/pairings", body: Array(body), as: PairingBook.Item.self)
        }

        /// Writes to the terminal at once (a piped stdout would otherwise hold the text back).
        static func say(_ text: String) {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
