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

        func run() async throws {
            try await reportingErrors {
                let items = try await throughDaemon(options, { .get("/sessions") }) { try await $0.sessionSummaries() }
                try printListing(items, json: json, empty: "No sessions yet.") {
                    "\($0.id)\t\($0.app)\t\($0.providers.joined(separator: ","))\t\($0.revoked ? "revoked" : "active")"
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
                    let answer = try await throughDaemon(options, { .delete("/sessions") }, changes: true) {
                        RevokedCount(revoked: try await $0.revokeAllSessions())
                    }
                    return print("Revoked \(answer.revoked) session(s).")
                }
                let id = session ?? ""
                _ = try await throughDaemon(
                    options,
                    { .delete("/sessions/\(ControlClient.pathComponent(id))") },
                    changes: true
                ) { wallet in
                    try await wallet.revokeSession(id: id)
                    return RevokedCount(revoked: 1)
                }
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
                let request = ControlRequest.get(
                    "/log",
                    query: [("limit", String(limit)), ("app", app), ("provider", provider)]
                )
                let entries = try await throughDaemon(options, { request }) {
                    try await $0.log(limit: limit, app: app, provider: provider)
                }
                try printListing(entries, json: json, empty: "No requests yet.", line: LogFormatter.line(for:))
            }
        }
    }
}

/// One human line per audit-log entry.
enum LogFormatter {
    static func line(for entry: LogEntrySummary) -> String {
        let tokens =
            "\(entry.inputTokens.map(String.init) ?? "?") in / \(entry.outputTokens.map(String.init) ?? "?") out"
        let error = entry.errorCode.map { " \($0)" } ?? ""
        // A routed request shows where it went: `openai→anthropic`.
        let provider =
            entry.actualProvider == entry.provider ? entry.provider : "\(entry.provider)→\(entry.actualProvider)"
        return
            "\(entry.appName)\t\(provider)\t\(entry.model ?? "-")\t\(entry.status)\(error)\t\(tokens)\t\(entry.latencyMs) ms"
    }
}
