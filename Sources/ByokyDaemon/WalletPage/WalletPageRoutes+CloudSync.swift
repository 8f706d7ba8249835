import ByokyCore
import ByokyHTTPServer
import ByokyWallet
import Hummingbird

extension WalletPageRoutes {
    /// Cloud Sync's actions: log in or sign up, push, pull, log out, end an app session.
    func registerCloudSync(on router: Router<BasicRequestContext>) {
        router.post("/wallet/sync/login") { request, _ in
            await act(request, on: .sync) { form in
                let signingUp = form["mode"] == "signup"
                try await wallet.enterVault(
                    url: form["vault"] ?? "",
                    username: form["username"] ?? "",
                    password: SecretString(form["password"] ?? ""),
                    signingUp: signingUp
                )
                return signingUp ? "vault-signed-up" : "vault-logged-in"
            }
        }
        router.post("/wallet/sync/push") { request, _ in
            await syncAction(request) {
                let report = try await wallet.pushToVault()
                return "Pushed \(report.written.count) key(s) and \(report.removed.count) removal(s); "
                    + Self.describe(report)
            }
        }
        router.post("/wallet/sync/pull") { request, _ in
            await syncAction(request) {
                let report = try await wallet.pullFromVault()
                await onChange()
                return "Pulled \(report.written.count) key(s), removed \(report.removed.count); "
                    + Self.describe(report)
            }
        }
        router.post("/wallet/sync/logout") { request, _ in
            await act(request, on: .sync) { _ in
                await wallet.leaveVault()
                return "vault-logged-out"
            }
        }
        router.post("/wallet/sync/apps/{id}/end") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await act(request, on: .sync) { _ in
                let (login, client) = try wallet.savedVaultLogin()
                try await client.endAppSession(id: id, token: SecretString(login.token))
                return "vault-app-ended"
            }
        }
    }

    /// Runs a push or pull and shows the page with what it did (counts, conflicts).
    private func syncAction(_ request: Request, _ body: @escaping @Sendable () async throws -> String) async -> Response
    {
        await action(request, needsUnlocked: true) { form, _ in
            do {
                let notice = try await body()
                return Self.html(await render(.sync, csrf: form[OwnerGuard.csrfField] ?? "", notice: notice))
            } catch {
                return await failedPage(.sync, form: form, error: error)
            }
        }
    }

    private static func describe(_ report: VaultSyncReport) -> String {
        var parts = ["routing \(report.routing.rawValue)."]
        if !report.conflicts.isEmpty {
            parts.append("Changed on both sides (the later version kept): \(report.conflicts.joined(separator: ", ")).")
        }
        if !report.skipped.isEmpty {
            parts.append("Not added: \(report.skipped.joined(separator: "; ")).")
        }
        return parts.joined(separator: " ")
    }

    /// The Cloud Sync page's data: the saved login, and the vault's list of app sessions.
    func renderCloudSync(csrf: String) async -> HTML {
        guard let (login, _) = try? wallet.savedVaultLogin(),
            let client = try? VaultClient(login.url, timeout: .seconds(5))
        else { return CloudSyncPage.body(login: nil, apps: nil, csrf: csrf) }
        let apps: CloudSyncPage.AppSessions
        do {
            apps = .listed(try await client.appSessions(token: SecretString(login.token)))
        } catch {
            apps = .unavailable((error as? ByokyError)?.message ?? "it did not answer")
        }
        return CloudSyncPage.body(login: login, apps: apps, csrf: csrf)
    }
}
