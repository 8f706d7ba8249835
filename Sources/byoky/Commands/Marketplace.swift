import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky marketplace list`.
    struct Marketplace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a token marketplace's public board of gifts.",
            subcommands: [List.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the gifts on the board (redeem one with `byoky gift redeem`).",
                discussion: "  echo <id> | byoky gift redeem --marketplace <url>"
            )
            @Option(help: "The marketplace.") var marketplace = MarketplaceClient.defaultURL
            @Option(help: "Only gifts of this provider (e.g. anthropic).") var provider: String?
            @Flag(help: "Print JSON.") var json = false

            func run() async throws {
                try await reportingErrors {
                    let board = try await MarketplaceClient(marketplace).board(provider: provider)
                    if json { return try printJSON(board) }
                    if board.active.isEmpty { print("No gifts on \(marketplace) right now.") }
                    for gift in board.active {
                        let state = gift.online ? "online " : "offline"
                        print(
                            "\(gift.id)  \(state)  \(gift.providerName)  \(gift.tokensRemaining)/\(gift.tokenBudget) tokens  "
                                + "until \(formatTime(gift.expiresAt))  from \(TerminalText.printable(gift.gifterName))"
                        )
                    }
                    if !board.expired.isEmpty { print("\(board.expired.count) more expired or used up.") }
                }
            }
        }
    }
}
