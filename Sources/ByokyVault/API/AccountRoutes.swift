import ByokyServerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/auth/…`: check a name, sign up, log in, see and end a login, delete an account.
struct AccountRoutes: Sendable {
    let accounts: VaultAccounts
    let configuration: VaultConfiguration
    let metrics: VaultMetrics

    struct Credentials: Decodable {
        let username: String
        let password: String
    }

    struct Password: Decodable {
        let password: String
    }

    struct Availability: Encodable {
        let available: Bool
        let reason: String?
    }

    struct Done: Encodable {
        let ok = true
    }

    struct Current: Encodable {
        let user: LoginGrant.User
        let sessionId: String
        let expiresAt: Int64
    }

    func register(on router: Router<VaultContext>) {
        router.get("/auth/check-username/{name}") { _, context in
            await VaultAnswer.json {
                let name = context.parameters.get("name") ?? ""
                guard VaultAccounts.normalized(name) != nil else {
                    return Availability(available: false, reason: "invalid")
                }
                return Availability(available: try await accounts.isAvailable(name), reason: nil)
            }
        }
        router.post("/auth/signup") { request, _ in
            await VaultAnswer.json(status: .created) {
                let asked: Credentials = try await VaultAnswer.decode(request, limit: configuration.maximumBodySize)
                let grant = try await accounts.signUp(username: asked.username, password: asked.password)
                metrics.count(.signups)
                return grant
            }
        }
        router.post("/auth/login") { request, context in
            await VaultAnswer.json {
                let asked: Credentials = try await VaultAnswer.decode(request, limit: configuration.maximumBodySize)
                let client = ClientAddress.of(
                    request,
                    peer: context.remoteAddress?.ipAddress,
                    trustedProxies: configuration.trustedProxies
                )
                do {
                    let grant = try await accounts.logIn(
                        username: asked.username,
                        password: asked.password,
                        client: client
                    )
                    metrics.count(.logins)
                    return grant
                } catch let error as VaultError {
                    metrics.count(error.code == "RATE_LIMITED" ? .loginsHeldBack : .loginsFailed)
                    throw error
                }
            }
        }
        router.get("/auth/session") { request, _ in
            await VaultAnswer.json {
                let (login, user) = try await accounts.authenticate(token: VaultAnswer.bearer(request))
                return Current(
                    user: .init(id: user.id, username: user.username),
                    sessionId: login.id,
                    expiresAt: login.expiresAt
                )
            }
        }
        router.post("/auth/logout") { request, _ in
            await VaultAnswer.json {
                try await accounts.logOut(token: VaultAnswer.bearer(request))
                return Done()
            }
        }
        router.delete("/auth/account") { request, _ in
            await VaultAnswer.json {
                let token = VaultAnswer.bearer(request)
                let asked: Password = try await VaultAnswer.decode(request, limit: configuration.maximumBodySize)
                try await accounts.deleteAccount(token: token, password: asked.password)
                return Done()
            }
        }
    }
}
