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
                let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
                let add = try WalletAPI.decode(AddKeyBody.self, from: Array(body.readableBytesView))
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
                let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
                let rename = try WalletAPI.decode(RenameKeyBody.self, from: Array(body.readableBytesView))
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

    /// A path parameter, percent-decoded.
    static func segment(_ context: BasicRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// Runs `body` and answers with its JSON, or with the error in the control socket's format.
    static func answer(_ body: () async throws -> some Encodable) async -> Response {
        do {
            return BridgeResponses.json(WalletAPI.encode(try await body()))
        } catch let error as ByokyError {
            return BridgeResponses.error(error, family: nil)
        } catch {
            return BridgeResponses.error(ByokyError(.invalidRequest, "The request could not be read"), family: nil)
        }
    }
}
