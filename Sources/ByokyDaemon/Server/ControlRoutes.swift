import ByokyCore
import ByokyProxyHTTP
import ByokyWallet
import Foundation
import Hummingbird
import NIOCore

/// The owner's control API, served only on the Unix socket in the wallet's owner-only folder
/// (the socket's file permissions are the authentication).
struct ControlRoutes: Sendable {
    let wallet: Wallet
    let approvals: ApprovalBook
    let bridgeURL: @Sendable () -> String
    let autoLock: AutoLock?
    /// Hears that the wallet changed: the CLI changed the store, or it was locked or unlocked.
    let onChange: @Sendable () async -> Void
    /// The gifts whose relay rooms the daemon holds now.
    let onlineGifts: @Sendable () -> Set<String>

    /// The pairings the daemon serves.
    let pairings: PairingBook
    /// The owner's browser logins to the wallet page.
    let owners: OwnerSessions

    struct OwnerLogin: Codable {
        /// A one-time token for `/wallet/login#<token>` (a secret; it expires in two minutes).
        let token: String
        let url: String
    }

    struct OnlineGifts: Codable {
        let online: [String]
    }

    struct PairBody: Decodable {
        let code: String
        let providers: [ProviderID]
    }

    struct UnlockBody: Decodable {
        let password: String
    }

    struct ApproveBody: Decodable {
        let providers: [ProviderID]?
    }

    struct ControlStatus: Codable {
        let unlocked: Bool
        let bridge: String
        let pendingApprovals: Int
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/status") { _, _ in
            BridgeResponses.json(
                WalletAPI.encode(
                    ControlStatus(
                        unlocked: wallet.isUnlocked,
                        bridge: bridgeURL(),
                        pendingApprovals: approvals.pending(now: wallet.now()).count
                    )
                )
            )
        }
        router.post("/invalidate") { _, _ in
            wallet.invalidateCaches()
            await onChange()
            return BridgeResponses.json(
                WalletAPI.encode(ControlStatus(unlocked: wallet.isUnlocked, bridge: bridgeURL(), pendingApprovals: 0))
            )
        }
        router.post("/owner-login") { _, _ in
            let token = owners.issueLoginToken()
            return BridgeResponses.json(
                WalletAPI.encode(OwnerLogin(token: token, url: bridgeURL() + "/wallet/login#" + token))
            )
        }
        router.post("/lock") { _, _ in
            wallet.lock()
            // Locking logs every browser out of the wallet page too.
            owners.endAll()
            await onChange()
            return BridgeResponses.json(
                WalletAPI.encode(ControlStatus(unlocked: false, bridge: bridgeURL(), pendingApprovals: 0))
            )
        }
        router.post("/unlock") { request, _ in
            await Self.answer {
                let unlock = try await Self.decode(UnlockBody.self, from: request)
                try await wallet.unlock(password: unlock.password)
                autoLock?.touch()
                await onChange()
                return ControlStatus(unlocked: true, bridge: bridgeURL(), pendingApprovals: 0)
            }
        }
        router.get("/gifts/online") { _, _ in
            BridgeResponses.json(WalletAPI.encode(OnlineGifts(online: onlineGifts().sorted())))
        }
        addKeyRoutes(to: router)
        addGiftRoutes(to: router)
        addRoutingRoutes(to: router)
        addAppRoutes(to: router)
        addSessionRoutes(to: router)
        router.get("/pairings") { _, _ in
            BridgeResponses.json(WalletAPI.encode(pairings.list()))
        }
        router.post("/pairings") { request, _ in
            await Self.answer {
                let pair = try await Self.decode(PairBody.self, from: request)
                guard let payload = PairingPayload.decode(pair.code) else {
                    throw ByokyError(.invalidRequest, "That is not a byoky pairing code")
                }
                return try pairings.start(payload, providers: pair.providers)
            }
        }
        router.delete("/pairings/{id}") { _, context in
            guard pairings.stop(context.parameters.get("id") ?? "") else {
                return BridgeResponses.error(
                    ByokyError(.notFound, "No pairing with that id — see `byoky pairings`"),
                    family: nil
                )
            }
            return BridgeResponses.json(WalletAPI.encode(pairings.list()))
        }
        router.get("/approvals") { _, _ in
            BridgeResponses.json(WalletAPI.encode(approvals.pending(now: wallet.now())))
        }
        router.post("/approvals/{id}/approve") { request, context in
            try await answer(context) { approval in
                let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
                let subset =
                    body.readableBytes == 0
                    ? nil : try WalletAPI.decode(ApproveBody.self, from: Array(body.readableBytesView)).providers
                return try await wallet.approve(approval, providers: subset, bridgeURL: bridgeURL())
            }
        }
        router.post("/approvals/{id}/deny") { _, context in
            try await answer(context) { approval in
                ConnectStatus(requestId: approval.id, status: .denied, error: WireError(ByokyError.userRejected()))
            }
        }
        return router
    }

    /// Decides a pending request and tells the owner the outcome (never the session key).
    private func answer(
        _ context: BasicRequestContext,
        _ decide: (PendingApproval) async throws -> ConnectStatus
    ) async throws -> Response {
        do {
            let id = context.parameters.get("id") ?? ""
            guard let approval = approvals.pendingApproval(id, now: wallet.now()) else {
                throw ByokyError(.notFound, "No waiting connect request \(id) — see `byoky pending`")
            }
            let status = try await decide(approval)
            approvals.decide(id, status)
            var redacted = status
            redacted.session?.sessionKey = ""
            return BridgeResponses.json(WalletAPI.encode(redacted))
        } catch let error as ByokyError {
            return BridgeResponses.error(error, family: nil)
        }
    }

    /// A path parameter, percent-decoded.
    static func segment(_ context: BasicRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The request's JSON body (at most ``WalletAPI/maximumBodySize`` bytes) as `type`.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
        return try WalletAPI.decode(type, from: Array(body.readableBytesView))
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
