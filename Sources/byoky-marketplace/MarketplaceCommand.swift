import ArgumentParser
import ByokyCore
import ByokyHTTPServer
import ByokyMarketplace
import ByokyServerStore
import Foundation
import Logging

/// `byoky-marketplace`: the public board of token gifts and the app catalogue.
@main
struct MarketplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky-marketplace",
        abstract: "The byoky token marketplace: a public board of gifts, and the catalogue of apps.",
        discussion: "Without a subcommand it serves (`byoky-marketplace serve --help`).",
        subcommands: [Serve.self, Review.self],
        defaultSubcommand: Serve.self
    )
}

/// `byoky-marketplace serve`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the marketplace: the board of gifts people share, and the app catalogue.",
        discussion: """
            Wallets list gifts here (the link of a version 2 gift, never a key); anyone
            can read the board and redeem a gift's link. Developers submit apps (POST
            /apps); reviewers approve them with `byoky-marketplace review` and the admin
            token of --admin-token-file. Data lives in one SQLite file under --data, or in
            PostgreSQL with --database-url postgres://user@host:5432/db (or the
            DATABASE_URL environment variable; the password comes from PGPASSWORD, never
            from the command line), where several instances can share it behind a proxy.
            GET /health and GET /metrics (Prometheus) are served on the same port. See
            docs/marketplace.md.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 3200
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Folder of the marketplace's database (created if missing).") var data = "marketplace-data"
    @Option(
        help: ArgumentHelp(
            "PostgreSQL to keep the board in instead of the SQLite file: postgres://user@host:5432/db.",
            discussion:
                "No password in it: set PGPASSWORD. DATABASE_URL (password allowed) is read when this is not given."
        )
    )
    var databaseURL: String?
    @Option(help: "Seconds since a gift's last heartbeat during which it shows as online.") var onlineSeconds = 300
    @Option(help: "Listings per client address per minute.") var listingsPerMinute = 10
    @Option(help: "Redemptions per client address per minute.") var redeemsPerMinute = 10
    @Option(help: "Heartbeats per client address per minute.") var heartbeatsPerMinute = 120
    @Option(help: .hidden) var clockOffsetSeconds: Int64 = 0
    @Option(help: "App submissions per client address per minute.") var submissionsPerMinute = 5
    @Option(help: "File whose first line is the reviewers' admin token (review is off without it).")
    var adminTokenFile: String?
    @Flag(help: "Take apps at http://127.0.0.1 or localhost addresses (a catalogue for local development).")
    var allowLoopbackApps = false
    @Flag(help: "Take the client address from X-Forwarded-For (only behind a proxy that sets it).")
    var trustForwardedFor = false

    func validate() throws {
        if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
        guard onlineSeconds > 0, listingsPerMinute > 0, redeemsPerMinute > 0, heartbeatsPerMinute > 0,
            submissionsPerMinute > 0
        else {
            throw ValidationError("Windows and limits must be at least 1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "byoky.marketplace")
        logger.logLevel = .info
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.prepare(
                dataFolder: data,
                fileName: "marketplace.sqlite",
                databaseURL: databaseURL
            )
        } catch {
            throw ValidationError(error.description)
        }
        let store = try await MarketplaceStore.open(location)
        var configuration = MarketplaceConfiguration()
        configuration.onlineWindow = Int64(onlineSeconds) * 1000
        configuration.listingsPerMinute = listingsPerMinute
        configuration.redeemsPerMinute = redeemsPerMinute
        configuration.heartbeatsPerMinute = heartbeatsPerMinute
        configuration.trustForwardedFor = trustForwardedFor
        configuration.submissionsPerMinute = submissionsPerMinute
        configuration.allowsLoopbackApps = allowLoopbackApps
        if let adminTokenFile {
            let token = try AdminToken.read(from: adminTokenFile)
            guard token.count >= 24 else {
                throw ValidationError(
                    "The admin token in \(adminTokenFile) is too short: use at least 24 random characters"
                )
            }
            configuration.adminTokenHash = MarketplaceServer.tokenHash(token)
        }
        if clockOffsetSeconds != 0 {
            // Tests move time forward across a restart to see gifts expire.
            let offset = clockOffsetSeconds * 1000
            let clock = configuration.clock
            configuration.clock = { clock() + offset }
        }
        let server = MarketplaceServer(store: store, configuration: configuration)
        let host = self.host
        try await server.runUntilSignalled(host: host, port: port, logger: logger) { bound in
            let line =
                "byoky-marketplace listening on \(AbsoluteURL.origin(scheme: "http", host: host, port: bound)) (health: /health; data: \(store.location.description))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await store.close()
    }
}
