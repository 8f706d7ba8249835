import ArgumentParser
import ByokyCore
import ByokyDaemon
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky pairings`: the relay pairings the running wallet serves.
    struct Pairings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List or stop the relay pairings the running wallet (`byoky serve`) serves.",
            subcommands: [List.self, Stop.self],
            defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the pairings being served.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let items = try await ControlClient(home: options.home).send(
                        .GET,
                        "/pairings",
                        as: [PairingBook.Item].self
                    )
                    try printListing(
                        items,
                        json: json,
                        empty: "No pairings. Pair an app with `byoky pair <code>`.",
                        headers: ["pairing", "app", "providers", "state"]
                    ) { [$0.id, $0.app, $0.providers.joined(separator: ","), $0.state] }
                }
            }
        }

        struct Stop: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop serving a pairing (its session ends).")
            @Argument(help: "The pairing's id (see `byoky pairings`).") var id: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    _ = try await ControlClient(home: options.home).send(
                        .DELETE,
                        "/pairings/\(ControlClient.pathComponent(id))",
                        as: [PairingBook.Item].self
                    )
                    print("Stopped pairing \(id).")
                }
            }
        }
    }
}
