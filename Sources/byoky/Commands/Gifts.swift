import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky gift …`: share a token budget on one of your keys without sharing the key.
    struct Gift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share a token budget on one of your keys — never the key itself.",
            discussion: """
                The giver creates a gift and sends its link; the receiver redeems it and uses it like a \
                key. Requests travel through a relay to the giver's running wallet (`byoky serve`), which \
                calls the provider with its own key and enforces the budget and expiry; the relay sees \
                only ciphertext. Revoke a gift at any time.

                  giver:    byoky gift create --key Anthropic --budget 200000 --expires 7d
                  receiver: byoky gift redeem   (the link is read from standard input)
                """,
            subcommands: [
                Create.self, List.self, Link.self, Revoke.self, VaultServing.self, Redeem.self, Received.self,
                Forget.self,
            ]
        )

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a gift on one of your keys and print its link.",
                discussion: "Keep `byoky serve` running: your wallet serves the gift's requests."
            )
            @Option(help: "The key to spend (label or id, see `byoky key list`).") var key: String
            @Option(help: "Tokens the gift may use in total (input plus output).") var budget: Int
            @Option(help: "How long the gift lasts: e.g. 30m, 12h, 7d (at most 90d).") var expires: String
            @Option(help: "The relay (wss://…; ws:// only on this machine).") var relay = Wallet.defaultGiftRelayURL
            @Option(help: "Your name as the receiver sees it.") var label: String?
            @Flag(help: "Also print the link as a QR code.") var qr = false
            @Flag(help: "Put the gift on a token marketplace's public board at once.") var list = false
            @Option(help: "The name the board shows (with --list; default: Anonymous).") var name: String?
            @Flag(help: "Show the gift as Anonymous on the board (with --list).") var anonymous = false
            @Option(help: "The marketplace to list on (with --list).")
            var marketplace = MarketplaceClient.defaultURL
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func validate() throws {
                guard (1...Wallet.maximumGiftBudget).contains(budget) else {
                    throw ValidationError("--budget takes 1 to \(Wallet.maximumGiftBudget) tokens")
                }
                guard GiftDuration.milliseconds(expires) != nil else {
                    throw ValidationError("--expires takes a number and a unit: 30m, 12h or 7d")
                }
                if !list, name != nil || anonymous { throw ValidationError("--name and --anonymous go with --list") }
                if name != nil, anonymous { throw ValidationError("Choose --name or --anonymous, not both") }
            }

            func run() async throws {
                try await reportingErrors {
                    let listing =
                        list ? GiftListingRequest(marketplace: marketplace, name: name, anonymous: anonymous) : nil
                    // The board's name is the receiver's too, unless --label says otherwise.
                    let label = self.label ?? name
                    if let listing { _ = try MarketplaceClient(listing.marketplace) }
                    guard let lifetime = GiftDuration.milliseconds(expires) else {
                        throw ByokyError(.invalidRequest, "--expires takes a number and a unit: 30m, 12h or 7d")
                    }
                    let gift: GiftSummary
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        let body = GiftCreationRequest(
                            key: key,
                            budget: budget,
                            lifetime: lifetime,
                            relayURL: relay,
                            label: label
                        )
                        gift = try await daemon.send(
                            .POST,
                            "/gifts",
                            body: Array(try JSONEncoder().encode(body)),
                            as: GiftSummary.self
                        )
                        if let listing {
                            _ = try await daemon.send(
                                .POST,
                                "/gifts/\(ControlClient.pathComponent(gift.id))/list",
                                body: Array(try JSONEncoder().encode(listing)),
                                as: GiftSummary.self
                            )
                        }
                    } else {
                        gift = try await withWallet(options, unlock: true, changes: true) { wallet in
                            let (record, link) = try await wallet.createGift(
                                key: key,
                                budget: budget,
                                lifetime: lifetime,
                                relayURL: relay,
                                label: label
                            )
                            if let listing {
                                try await wallet.listGift(
                                    record.id,
                                    on: listing.marketplace,
                                    name: listing.name,
                                    anonymous: listing.anonymous
                                )
                            }
                            return GiftSummary(record, now: wallet.now(), link: link.url())
                        }
                    }
                    if json { return try printJSON(gift) }
                    let link = gift.link ?? ""
                    print(
                        "Gift \(gift.id.prefix(8)) — \(budget) tokens of \(gift.provider), until \(formatTime(gift.expiresAt))."
                    )
                    print("Send this link to the receiver (it lets them spend the budget; treat it like a key):")
                    print(link)
                    if qr { print(try QRCode(encoding: Array(link.utf8), errorCorrection: .low).terminalText()) }
                    if list { print("Listed on \(marketplace) as \(anonymous ? "Anonymous" : name ?? "Anonymous").") }
                    print(
                        "Your wallet serves the gift while `byoky serve` runs. Revoke: byoky gift revoke \(gift.id.prefix(8))"
                    )
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the gifts you give: used and left, expiry, and whether your wallet serves them now."
            )
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let items = try await throughDaemon(options, { .get("/gifts") }) { try await $0.giftSummaries() }
                    try printListing(
                        items,
                        json: json,
                        empty: "No gifts. Create one with `byoky gift create`.",
                        headers: ["gift", "provider", "tokens", "ends", "status", "serving"]
                    ) {
                        var serving = $0.online.map { $0 ? "online" : "offline" } ?? "offline (no `byoky serve`)"
                        if $0.servedByVault { serving += ", the vault serves it when offline" }
                        return [
                            String($0.id.prefix(8)), $0.provider,
                            "\($0.usedTokens)/\($0.maxTokens) used, \($0.remainingTokens) left",
                            "until \(formatTime($0.expiresAt))", $0.status, serving,
                        ]
                    }
                }
            }
        }

        struct Link: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print a gift's link again.")
            @Argument(help: "The gift's id (or its first characters).") var id: String
            @Flag(help: "Also print the link as a QR code.") var qr = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let url: String
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        let gift = try await daemon.send(
                            .GET,
                            "/gifts/\(ControlClient.pathComponent(id))/link",
                            as: GiftSummary.self
                        )
                        url = gift.link ?? ""
                    } else {
                        url = try await withWallet(options, unlock: true) { wallet in
                            try wallet.link(for: try await wallet.gift(id)).url()
                        }
                    }
                    print(url)
                    if qr { print(try QRCode(encoding: Array(url.utf8), errorCorrection: .low).terminalText()) }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop a gift at once; its receiver's requests get GIFT_REVOKED."
            )
            @Argument(help: "The gift's id (or its first characters).") var id: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let gift = try await throughDaemon(
                        options,
                        { .delete("/gifts/\(ControlClient.pathComponent(id))") },
                        changes: true
                    ) { wallet in
                        let revoked = try await wallet.revokeGift(id)
                        // A running wallet unlists it from its board and tells the vault itself; here
                        // the command does.
                        do {
                            if try await wallet.unlistGift(revoked.id) { print("Taken off its marketplace board.") }
                        } catch let error as ByokyError {
                            print("Could not take it off its board yet (\(error.message)); `byoky serve` retries.")
                        }
                        if revoked.servedByVault {
                            do {
                                try await wallet.syncServedGift(revoked)
                                print("The vault that served it answers GIFT_REVOKED too.")
                            } catch let error as ByokyError {
                                print("Could not tell the vault yet (\(error.message)); run `byoky vault push`.")
                            }
                        }
                        return GiftSummary(revoked, now: wallet.now())
                    }
                    print(
                        "Revoked gift \(gift.id.prefix(8)) (\(gift.usedTokens) of \(gift.maxTokens) tokens were used)."
                    )
                }
            }
        }

        struct VaultServing: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "vault",
                abstract: "Have your vault serve a gift while this wallet is offline (on), or stop it (off).",
                discussion: """
                    The vault you are logged in to (`byoky vault login`) then holds the gift's relay room \
                    as a fallback: receivers reach it only while this wallet does not hold the room, and \
                    both count the one budget. For this the vault receives the gift's key and room \
                    secrets, sealed under its operator's gift key: its operator could use that key. \
                    Turning it off makes the vault forget them.

                      byoky gift vault on 3f2a91c0
                      byoky gift vault off 3f2a91c0
                    """
            )
            enum Switch: String, ExpressibleByArgument, CaseIterable {
                case on, off
            }
            @Argument(help: "on or off.") var state: Switch
            @Argument(help: "The gift's id (or its first characters).") var id: String
            @Flag(help: "Turn on without asking (for scripts).") var yes = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let (login, _) = try VaultLoginRecord.saved(in: options.home)
                    if state == .on, !yes {
                        print(
                            """
                            The vault at \(login.url) will receive this gift's key and room secrets, so it can \
                            answer the gift's receivers while this wallet is offline (within the gift's budget \
                            and expiry). Its operator could use that key. `byoky gift vault off \(id)` takes it back.
                            """
                        )
                        guard isatty(STDIN_FILENO) == 1 else {
                            throw ByokyError(.invalidRequest, "Confirm with --yes when not at a terminal")
                        }
                        FileHandle.standardOutput.write(Data("Turn on? [y/N] ".utf8))
                        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                            return print("Not turned on.")
                        }
                    }
                    let gift = try await withWallet(options, unlock: true, changes: true) { wallet in
                        state == .on
                            ? try await wallet.serveGiftFromVault(id) : try await wallet.stopServingGiftFromVault(id)
                    }
                    print(
                        state == .on
                            ? "The vault at \(login.url) serves gift \(gift.id.prefix(8)) while this wallet is offline."
                            : "The vault no longer serves gift \(gift.id.prefix(8)); it forgot the gift's secrets."
                    )
                }
            }
        }

        struct Redeem: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store a gift link you received; apps can then use that provider through it.",
                discussion: """
                    The link is read from standard input (or a hidden prompt), never from the command line. \
                    Apps asking for the gift's provider use it when you hold no key of your own for that \
                    provider.

                      pbpaste | byoky gift redeem
                      # a board's gift:
                      echo https://marketplace.byoky.com/redeem/<id> | byoky gift redeem
                      # pinned for some apps:
                      byoky group add friend --provider anthropic --gift <id>
                    """
            )
            @Option(help: "The marketplace a bare gift id is on.") var marketplace = MarketplaceClient.defaultURL
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    // The marketplace named is checked before the link is asked for.
                    let board = try MarketplaceClient(marketplace)
                    var link = try SecretInput.secret(prompt: "Gift link: ", what: "gift link")
                    // A board's address (…/redeem/<id>), or a bare id from the board: fetch its link.
                    let text = link.exposedValue.trimmingASCIIWhitespace()
                    if GiftLink.decode(text) == nil {
                        var address = MarketplaceClient.giftAddress(text)
                        if address == nil, !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                            address = (board, text)
                        }
                        if let (client, id) = address {
                            link = SecretString(try await client.redemptionLink(of: id))
                        }
                    }
                    let gift: ReceivedGiftSummary
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        gift = try await daemon.send(
                            .POST,
                            "/gifts/redeem",
                            body: Array(try JSONEncoder().encode(["link": link.exposedValue])),
                            as: ReceivedGiftSummary.self
                        )
                    } else {
                        gift = try await withWallet(options, unlock: true, changes: true) { wallet in
                            ReceivedGiftSummary(try await wallet.redeemGift(link: link.exposedValue), now: wallet.now())
                        }
                    }
                    print(
                        "Redeemed gift \(gift.id.prefix(8)) from \(gift.from): \(gift.maxTokens) tokens of \(gift.provider) until \(formatTime(gift.expiresAt))."
                    )
                }
            }
        }

        struct Received: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the gifts you received.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let items = try await throughDaemon(options, { .get("/gifts/received") }) {
                        try await $0.receivedGiftSummaries()
                    }
                    try printListing(
                        items,
                        json: json,
                        empty: "No gifts received. Redeem a link with `byoky gift redeem`.",
                        headers: ["gift", "provider", "from", "tokens", "ends", "status"]
                    ) {
                        [
                            String($0.id.prefix(8)), $0.provider, "from \($0.from)",
                            "\($0.usedTokens)/\($0.maxTokens) used",
                            "until \(formatTime($0.expiresAt))", $0.status,
                        ]
                    }
                }
            }
        }

        struct Forget: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a gift you received.")
            @Argument(help: "The gift's id (or its first characters).") var id: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let gift = try await throughDaemon(
                        options,
                        { .delete("/gifts/received/\(ControlClient.pathComponent(id))") },
                        changes: true
                    ) { wallet in ReceivedGiftSummary(try await wallet.removeReceivedGift(id), now: wallet.now()) }
                    print("Forgot gift \(gift.id.prefix(8)) from \(gift.from).")
                }
            }
        }
    }
}

/// Parses `30m`, `12h`, `7d` (and `45s`) into milliseconds.
enum GiftDuration {
    static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0, value <= 1_000_000 else {
            return nil
        }
        switch unit {
        case "s": return value * 1000
        case "m": return value * 60_000
        case "h": return value * 3_600_000
        case "d": return value * 86_400_000
        default: return nil
        }
    }
}
