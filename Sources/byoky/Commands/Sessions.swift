import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

extension ByokyCommand {
    /// `byoky sessions`: apps holding sessions.
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List app sessions (active first); `byoky apps` is the same.",
            aliases: ["apps"]
        )
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        struct Item: Encodable {
            let id: String
            let app: String
            let providers: [String]
            let expiresAt: Int64
            let revoked: Bool
        }

        func run() async throws {
            try await reportingErrors {
                let records = try await withWallet(options) { try await $0.store.sessions() }
                let items = records.map {
                    Item(
                        id: $0.id,
                        app: $0.appName,
                        providers: $0.providerIDs,
                        expiresAt: $0.expiresAt,
                        revoked: $0.revokedAt != nil
                    )
                }
                if json { return try printJSON(items) }
                if items.isEmpty { return print("No sessions yet.") }
                for item in items {
                    print(
                        "\(item.id)\t\(item.app)\t\(item.providers.joined(separator: ","))\t\(item.revoked ? "revoked" : "active")"
                    )
                }
            }
        }
    }

    /// `byoky revoke <session>` or `byoky revoke --all`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an app's session (or every session) at once.")
        @Argument(help: "The session id (see `byoky sessions`).") var session: String?
        @Flag(help: "Revoke every active session.") var all = false
        @OptionGroup var options: WalletOptions

        func validate() throws {
            guard (session == nil) != !all else { throw ValidationError("Name one session id, or pass --all") }
        }

        func run() async throws {
            try await reportingErrors {
                if all {
                    let count = try await withWallet(options, changes: true) { try await $0.revokeAllSessions() }
                    return print("Revoked \(count) session(s).")
                }
                let id = session ?? ""
                try await withWallet(options, changes: true) { try await $0.revokeSession(id: id) }
                print("Revoked \(id).")
            }
        }
    }

    /// `byoky log`: the audit log.
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show recent requests: app, provider, model, status, tokens, latency (never keys or prompts)."
        )
        @Option(help: "How many entries.") var limit = 20
        @Option(help: "Only this app.") var app: String?
        @Option(help: "Only requests for this provider.") var provider: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                let entries = try await withWallet(options) {
                    try await $0.store.requestLog(limit: limit, app: app, provider: provider)
                }
                if json { return try printJSON(entries.map(LogItem.init)) }
                if entries.isEmpty { return print("No requests yet.") }
                for entry in entries { print(LogFormatter.line(for: entry)) }
            }
        }
    }
}

/// An audit-log entry as `byoky log --json` prints it.
struct LogItem: Encodable {
    let id: String
    let sessionId: String?
    let appName: String
    let provider: String
    let actualProvider: String
    let model: String?
    let method: String
    let path: String
    let status: Int
    let inputTokens: Int?
    let outputTokens: Int?
    let latencyMs: Int
    let errorCode: String?
    let createdAt: Int64

    init(_ entry: RequestLogRecord) {
        id = entry.id
        sessionId = entry.sessionID
        appName = entry.appName
        provider = entry.provider
        actualProvider = entry.actualProvider
        model = entry.model
        method = entry.method
        path = entry.path
        status = entry.status
        inputTokens = entry.inputTokens
        outputTokens = entry.outputTokens
        latencyMs = entry.latencyMilliseconds
        errorCode = entry.errorCode
        createdAt = entry.createdAt
    }
}

/// One human line per audit-log entry.
enum LogFormatter {
    static func line(for entry: RequestLogRecord) -> String {
        let tokens =
            "\(entry.inputTokens.map(String.init) ?? "?") in / \(entry.outputTokens.map(String.init) ?? "?") out"
        let error = entry.errorCode.map { " \($0)" } ?? ""
        // A routed request shows where it went: `openai→anthropic`.
        let provider =
            entry.actualProvider == entry.provider ? entry.provider : "\(entry.provider)→\(entry.actualProvider)"
        return
            "\(entry.appName)\t\(provider)\t\(entry.model ?? "-")\t\(entry.status)\(error)\t\(tokens)\t\(entry.latencyMilliseconds) ms"
    }
}
