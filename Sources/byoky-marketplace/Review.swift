import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation

/// `byoky-marketplace review …`: the reviewers' side of the app catalogue, over the marketplace's
/// admin API.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review submitted apps: list them, approve, reject or suspend.",
        discussion: """
            The admin token is the one the marketplace was started with
            (--admin-token-file); it is read from --admin-token-file here too, or from
            the first line of standard input — never from the command line.

              byoky-marketplace review list --admin-token-file admin.token
              byoky-marketplace review approve <id> --admin-token-file admin.token
              byoky-marketplace review reject <id> --admin-token-file admin.token \\
                --reason "Calls api.openai.com directly"
            """,
        subcommands: [List.self, Decide.Approve.self, Decide.Reject.self, Decide.Suspend.self]
    )

    struct Connection: ParsableArguments {
        @Option(help: "The marketplace.") var marketplace = "http://127.0.0.1:3200"
        @Option(help: "File whose first line is the admin token (else the first line of standard input).")
        var adminTokenFile: String?

        func client() throws -> (MarketplaceClient, SecretString) {
            let token = try AdminToken.read(from: adminTokenFile)
            do {
                return (try MarketplaceClient(marketplace), SecretString(token))
            } catch let error as ByokyError {
                throw ValidationError(error.message)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List submissions (pending ones by default).")
        @OptionGroup var connection: Connection
        @Option(help: "pending, approved, rejected, suspended or all.") var state = "pending"
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let filter: AppReviewState?
            if state == "all" {
                filter = nil
            } else {
                guard let chosen = AppReviewState(rawValue: state) else {
                    throw ValidationError("--state must be pending, approved, rejected, suspended or all")
                }
                filter = chosen
            }
            let (client, token) = try connection.client()
            let apps = try await AdminToken.reporting {
                try await client.submissionsForReview(state: filter, adminToken: token)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(apps), as: UTF8.self))
                return
            }
            if apps.isEmpty { print("No \(filter?.rawValue ?? "") submissions.") }
            for app in apps {
                let manifest = app.manifest
                print(
                    "\(app.id)  \(app.state.rawValue)  \(TerminalText.printable(manifest.slug))  "
                        + "\(TerminalText.printable(manifest.name))  \(manifest.url)  "
                        + "providers: \(manifest.providers.joined(separator: ","))  "
                        + "by \(TerminalText.printable(manifest.author.name)) <\(TerminalText.printable(manifest.author.email))>"
                        + (app.reason.map { "  reason: \(TerminalText.printable($0))" } ?? "")
                )
            }
        }
    }

    /// The three decisions, one command each.
    enum Decide {
        static func run(_ decision: String, id: String, reason: String?, connection: Connection) async throws {
            let (client, token) = try connection.client()
            let result = try await AdminToken.reporting {
                try await client.review(id, decision: decision, reason: reason, adminToken: token)
            }
            print("\(result.id)  \(TerminalText.printable(result.slug))  now \(result.state.rawValue)")
        }

        struct Approve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Put a pending or suspended app in the catalogue."
            )
            @Argument(help: "The submission's id.") var id: String
            @OptionGroup var connection: Connection
            func run() async throws { try await Decide.run("approve", id: id, reason: nil, connection: connection) }
        }

        struct Reject: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Turn down a pending app, saying why.")
            @Argument(help: "The submission's id.") var id: String
            @Option(help: "Why (the submitter reads it).") var reason: String
            @OptionGroup var connection: Connection
            func run() async throws { try await Decide.run("reject", id: id, reason: reason, connection: connection) }
        }

        struct Suspend: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Take an approved app out of the catalogue, saying why."
            )
            @Argument(help: "The submission's id.") var id: String
            @Option(help: "Why (the submitter reads it).") var reason: String
            @OptionGroup var connection: Connection
            func run() async throws { try await Decide.run("suspend", id: id, reason: reason, connection: connection) }
        }
    }
}

/// The reviewers' admin token: read from a file or standard input, never from the command line.
enum AdminToken {
    static func read(from file: String?) throws -> String {
        let line: String?
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("Cannot read the admin token file \(file)")
            }
            line = text.split(whereSeparator: \.isNewline).first.map(String.init)
        } else {
            line = readLine(strippingNewline: true)
        }
        guard let token = line?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw ValidationError("No admin token: pass --admin-token-file, or the token on standard input")
        }
        return token
    }

    /// Runs a call to the marketplace, turning its refusal into one line for the terminal.
    static func reporting<Value>(_ call: () async throws -> Value) async throws -> Value {
        do {
            return try await call()
        } catch let error as ByokyError {
            throw ValidationError(error.message)
        }
    }
}
