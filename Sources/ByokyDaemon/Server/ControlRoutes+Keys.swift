import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation
import Hummingbird
import NIOCore

/// The owner's keys over the control socket, so the CLI works through a running (unlocked)
/// daemon without asking for the master password again.
extension ControlRoutes {
    struct AddKeyBody: Decodable {
        let provider: ProviderID
        let secret: String
        let label: String?
        let baseURL: String?
    }

    struct RenameKeyBody: Decodable {
        let label: String
    }

    func addKeyRoutes(to router: Router<BasicRequestContext>) {
        router.get("/keys") { _, _ in
            await Self.answer { try await wallet.credentials().map(CredentialSummary.init) }
        }
        router.post("/keys") { request, _ in
            await Self.answer {
                let add = try await Self.decode(AddKeyBody.self, from: request)
                return CredentialSummary(
                    try await wallet.addCredential(
                        provider: add.provider,
                        secret: SecretString(add.secret),
                        label: add.label,
                        baseURL: add.baseURL
                    )
                )
            }
        }
        router.post("/keys/{key}/rename") { request, context in
            await Self.answer {
                let rename = try await Self.decode(RenameKeyBody.self, from: request)
                try await wallet.renameCredential(Self.segment(context, "key"), to: rename.label)
                return try await wallet.credentials().map(CredentialSummary.init)
            }
        }
        router.delete("/keys/{key}") { _, context in
            await Self.answer {
                try await wallet.removeCredential(Self.segment(context, "key"))
                return try await wallet.credentials().map(CredentialSummary.init)
            }
        }
    }
}
