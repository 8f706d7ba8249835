import ArgumentParser
import ByokyCore
import ByokyHTTPServer
import ByokyRelayHost
import ByokyServerStore
import ByokyVault
import ByokyWallet
import Foundation
import Logging

/// `byoky-vault`: accounts for using a byoky wallet where none runs.
@main
struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky-vault",
        abstract: "The byoky vault: accounts people log in to, to use their wallet where none runs.",
        discussion: """
            Serves accounts (/auth/…), the keys and routing wallets sync (/credentials…,
            /routing), app sessions and their requests (/connect, /apps, /proxy/…),
            /health and /metrics. With --gift-key-file it also serves the gifts owners
            turn on (/gifts…) while their wallets are offline. Data lives in one SQLite
            file under --data, or in PostgreSQL with --database-url
            postgres://user@host:5432/db (or DATABASE_URL; the password comes from
            PGPASSWORD, never from the command line), which several instances can share
            behind a proxy: login back-off is kept in the database. Put TLS in front of it
            (docs/deploy.md).
            """
    )

    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 3100
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Folder of the vault's database (created if missing).") var data = "vault-data"
    @Option(
        help: ArgumentHelp(
            "PostgreSQL instead of the SQLite file: postgres://user@host:5432/db.",
            discussion:
                "No password in it: set PGPASSWORD. DATABASE_URL (password allowed) is read when this is not given."
        )
    )
    var databaseURL: String?
    @Option(
        help: ArgumentHelp(
            "A proxy's address whose X-Forwarded-For names the client (repeat for several).",
            discussion: "Without it the connection's peer is the client, whatever the header says."
        )
    )
    var trustedProxy: [String] = []
    @Option(
        help: ArgumentHelp(
            "A file with the key that seals served gifts' secrets (made, mode 0600, if missing).",
            discussion: """
                Without it the vault serves no gifts. Keep it out of the database's backups, and give \
                every instance sharing a database the same file.
                """
        )
    )
    var giftKeyFile: String?
    @Option(help: "Failed logins an account takes before it must wait.") var accountFailures = 5
    @Option(help: "Failed logins a client address takes before it must wait.") var addressFailures = 20
    @Option(help: .hidden) var passwordIterations = 600_000

    func validate() throws {
        if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
        guard accountFailures > 0, addressFailures > 0 else {
            throw ValidationError("Failure allowances must be at least 1")
        }
        guard passwordIterations >= 100_000 else {
            throw ValidationError("--password-iterations must be 100000 or more")
        }
    }

    func run() async throws {
        var logger = Logger(label: "byoky.vault")
        logger.logLevel = .info
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.prepare(
                dataFolder: data,
                fileName: "vault.sqlite",
                databaseURL: databaseURL
            )
        } catch {
            throw ValidationError(error.description)
        }
        let store = try await VaultStore.open(location)
        var configuration = VaultConfiguration()
        configuration.trustedProxies = Set(trustedProxy)
        configuration.accountFailuresAllowed = accountFailures
        configuration.addressFailuresAllowed = addressFailures
        configuration.passwordIterations = passwordIterations
        if let giftKeyFile {
            do {
                let (key, created) = try GiftKey.loadOrCreate(path: giftKeyFile)
                configuration.giftKey = key
                if created {
                    FileHandle.standardOutput.write(
                        Data(
                            "Made a new gift key in \(giftKeyFile): every instance sharing this database needs it\n"
                                .utf8
                        )
                    )
                }
            } catch let error as ByokyError {
                throw ValidationError(error.message)
            }
        }
        let host = self.host
        let httpClient = UpstreamClient()
        let eventLogger = logger
        let server = VaultServer(store: store, configuration: configuration, httpClient: httpClient) { event in
            switch event {
            case .online(let id): eventLogger.info("Served gift \(id.prefix(8)) is online")
            case .offline(let id, let reason): eventLogger.info("Served gift \(id.prefix(8)) is offline: \(reason)")
            case .served(let id, let status, _): eventLogger.info("Served gift \(id.prefix(8)) answered \(status)")
            }
        }
        try await server.runUntilSignalled(
            host: host,
            port: port,
            logger: logger
        ) { bound in
            let line =
                "byoky-vault listening on \(AbsoluteURL.origin(scheme: "http", host: host, port: bound)) (health: /health; data: \(store.location.description))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try? await httpClient.shutdown()
        try await store.close()
    }
}
