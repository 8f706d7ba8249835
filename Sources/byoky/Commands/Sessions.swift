import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

extension ByokyCommand {
    /// `byoky sessions`: apps holding sessions.
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List app sessions (active first); `byoky apps` installs apps from a catalogue."
        )
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                let items = try await throughDaemon(options, { .get("/sessions") }) { try await $0.sessionSummaries() }
                try printListing(
                    items,
                    json: json,
                    empty: "No sessions yet.",
                    headers: ["session", "app", "providers", "state"]
                ) {
                    [$0.id, $0.app, $0.providers.joined(separator: ","), $0.revoked ? "revoked" : "active"]
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

    /// `byoky log`: the audit log, and how long it is kept.
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show recent requests: app, provider, model, status, tokens, latency (never keys or prompts).",
            discussion: """
                Rows older than the retention (default 90 days) are pruned by a running `byoky
                serve`; their tokens stay in per-day totals, so `byoky usage` and token caps
                are unchanged by a prune.
                """,
            subcommands: [Show.self, Prune.self, Retention.self],
            defaultSubcommand: Show.self
        )

        /// `byoky log [show]`.
        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show recent requests (the default).")
            @Option(help: "How many entries (1 to 10000).") var limit = 20
            @Option(help: "Only this app.") var app: String?
            @Option(help: "Only requests for this provider.") var provider: String?
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func validate() throws {
                guard (1...10_000).contains(limit) else { throw ValidationError("--limit takes 1 to 10000") }
            }

            func run() async throws {
                try await reportingErrors {
                    let request = ControlRequest.get(
                        "/log",
                        query: [("limit", String(limit)), ("app", app), ("provider", provider)]
                    )
                    let entries = try await throughDaemon(options, { request }) {
                        try await $0.log(limit: limit, app: app, provider: provider)
                    }
                    try printListing(
                        entries,
                        json: json,
                        empty: "No requests yet.",
                        headers: LogFormatter.headers,
                        columns: LogFormatter.columns(for:)
                    )
                }
            }
        }

        /// `byoky log prune --older-than 30d`.
        struct Prune: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove audit-log rows older than a number of days now (usage and caps stay exact)."
            )
            @Option(name: .customLong("older-than"), help: "Days of rows to keep, e.g. 30d.") var olderThan: String
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    guard let days = LogDays.parse(olderThan), days > 0 else {
                        throw ByokyError(.invalidRequest, "--older-than takes a number of days, e.g. 30d")
                    }
                    let prune = LogPruneRequest(olderThanDays: days)
                    let report = try await throughDaemon(options, { try .post("/log/prune", prune) }, changes: true) {
                        try await $0.pruneLog(prune)
                    }
                    if json { return try printJSON(report) }
                    print(
                        "Removed \(report.removedRows) log row(s) older than \(days) day(s)"
                            + (report.vacuumed ? "; the database was compacted." : ".")
                    )
                }
            }
        }

        /// `byoky log retention [DAYS]`.
        struct Retention: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show or set how long audit-log rows are kept (e.g. 90d; 0 keeps them for ever)."
            )
            @Argument(help: "New retention, e.g. 30d (0 for ever); leave out to show the current one.")
            var days: String?
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    var retention: LogRetention
                    if let days {
                        guard let value = LogDays.parse(days) else {
                            throw ByokyError(.invalidRequest, "Give the retention in days, e.g. 30d, or 0 for ever")
                        }
                        let wanted = LogRetention(days: value)
                        retention = try await throughDaemon(
                            options,
                            { try .put("/log/retention", wanted) },
                            changes: true
                        ) {
                            try await $0.setLogRetention(wanted)
                            return try await $0.logRetention()
                        }
                    } else {
                        retention = try await throughDaemon(options, { .get("/log/retention") }) {
                            try await $0.logRetention()
                        }
                    }
                    print(
                        retention.days == 0
                            ? "The log keeps every row." : "The log keeps \(retention.days) day(s) of rows."
                    )
                }
            }
        }
    }
}

/// Days as the log commands take them: `30d` or `30`.
enum LogDays {
    static func parse(_ text: String) -> Int? {
        let digits = text.hasSuffix("d") ? String(text.dropLast()) : text
        guard let value = Int(digits), value >= 0, value <= 36_500 else { return nil }
        return value
    }
}

/// One row per audit-log entry.
enum LogFormatter {
    static let headers = ["app", "provider", "model", "status", "tokens", "time"]

    static func columns(for entry: LogEntrySummary) -> [String] {
        let tokens =
            "\(entry.inputTokens.map(String.init) ?? "?") in / \(entry.outputTokens.map(String.init) ?? "?") out"
        let error = entry.errorCode.map { " \($0)" } ?? ""
        // A routed request shows where it went: `openai→anthropic`.
        let provider =
            entry.actualProvider == entry.provider ? entry.provider : "\(entry.provider)→\(entry.actualProvider)"
        return [
            entry.appName, provider, entry.model ?? "-", "\(entry.status)\(error)", tokens, "\(entry.latencyMs) ms",
        ]
    }
}
