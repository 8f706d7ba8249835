import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky pending`: connect requests waiting for the owner.
    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List apps waiting for your approval (needs `byoky serve`)."
        )
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                let pending = try await ControlClient(home: options.home).send(
                    .GET,
                    "/approvals",
                    as: [PendingApproval].self
                )
                if json { return try printJSON(pending) }
                if pending.isEmpty { return print("No apps are waiting.") }
                for approval in pending { print(ApprovalFormatter.describe(approval)) }
            }
        }
    }

    /// `byoky approve`: lets a waiting app connect.
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a waiting app (all it asked for, or only --providers).",
            discussion: "With no id and exactly one app waiting, approves that one."
        )
        @Argument(help: "The request id (see `byoky pending`).") var id: String?
        @Option(help: "Grant only these providers, comma-separated.") var providers: String?
        @OptionGroup var options: WalletOptions

        struct Body: Encodable { let providers: [ProviderID]? }

        func run() async throws {
            try await reportingErrors {
                let client = ControlClient(home: options.home)
                let target = try await resolve(id, client: client)
                let subset = providers.map { $0.split(separator: ",").map { ProviderID(String($0)) } }
                let status = try await client.send(
                    .POST,
                    "/approvals/\(target)/approve",
                    body: WalletAPI.encode(Body(providers: subset)),
                    as: ConnectStatus.self
                )
                switch status.status {
                case .approved:
                    let granted = (status.session?.providers ?? [:]).filter(\.value.available).keys.sorted()
                    print("Approved: the app may use \(granted.joined(separator: ", ")).")
                default:
                    throw ByokyError(.userRejected, status.error?.message ?? "The app could not be approved")
                }
            }
        }
    }

    /// `byoky deny <id>`.
    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a waiting app.")
        @Argument(help: "The request id (see `byoky pending`).") var id: String?
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                let client = ControlClient(home: options.home)
                let target = try await resolve(id, client: client)
                _ = try await client.send(.POST, "/approvals/\(target)/deny", as: ConnectStatus.self)
                print("Denied.")
            }
        }
    }
}

/// The request id given, or the only one waiting.
private func resolve(_ id: String?, client: ControlClient) async throws -> String {
    if let id { return id }
    let pending = try await client.send(.GET, "/approvals", as: [PendingApproval].self)
    guard pending.count == 1, let only = pending.first else {
        throw ByokyError(
            .invalidRequest,
            pending.isEmpty
                ? "No apps are waiting" : "\(pending.count) apps are waiting — name one (see `byoky pending`)"
        )
    }
    return only.id
}

/// How a connect request is shown to the owner.
enum ApprovalFormatter {
    static func describe(_ approval: PendingApproval) -> String {
        let providers = approval.providers.map { $0.required ? "\($0.id.rawValue) (required)" : $0.id.rawValue }
        let origin = approval.app.origin.map { " from \($0)" } ?? " (unverified name)"
        return "\(approval.id)\t\"\(approval.app.name)\"\(origin) asks for \(providers.joined(separator: ", "))"
    }
}
