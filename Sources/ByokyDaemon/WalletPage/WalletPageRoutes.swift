import ByokyCore
import ByokyHTTPServer
import ByokyStore
import ByokyWallet
import ByokyWebFiles
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The owner's web page at `/wallet/`, on the bridge's port: server-rendered pages whose forms
/// post back here (no script needed), guarded by ``OwnerGuard`` and ``OwnerSessions``. Apps'
/// session keys mean nothing here: only the owner's cookie, from a `byoky open` login URL, does.
struct WalletPageRoutes: Sendable {
    let wallet: Wallet
    let approvals: ApprovalBook
    let owners: OwnerSessions
    let pairings: PairingBook
    /// Locks the wallet after a stretch without requests; the Settings page changes the stretch.
    let autoLock: AutoLock
    /// The gifts whose relay rooms the wallet holds now.
    let onlineGifts: @Sendable () -> Set<String>
    let bridgeURL: @Sendable () -> String
    /// The marketplace whose app catalogue the App Store shows.
    let appCatalogueURL: String
    /// Sends an installed app's request (from the page that hosts it) through the proxy engine.
    let forward: @Sendable (Request, Provider, String, [(name: String, value: String)], String?) async -> Response
    /// Hears that the wallet changed (locked, unlocked, keys).
    let onChange: @Sendable () async -> Void

    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// What an action did: where to go next, or the page to show again with an error.
    enum Outcome {
        case done(WalletPageLayout.Section, notice: String)
        case failed(WalletPageLayout.Section, ByokyError)
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/wallet") { request, _ in await guarded(request) { Self.redirect("/wallet/requests") } }
        router.get("/wallet/assets/{file}") { request, _ in await guarded(request) { Self.asset(request) } }
        router.get("/shared/{file}") { request, _ in await guarded(request) { Self.asset(request) } }
        router.get("/wallet/login") { request, _ in await guarded(request) { Self.html(LoginPages.login()) } }
        router.post("/wallet/login") { request, _ in await login(request) }
        for section in WalletPageLayout.Section.allCases {
            router.get(RouterPath("/wallet/\(section.rawValue)")) { request, _ in
                await page(request) { session in
                    let notice = request.uri.queryParameters.get("done").flatMap { WalletPageLayout.notices[$0] }
                    return Self.html(
                        await render(
                            section,
                            csrf: session.csrfToken,
                            notice: notice,
                            query: request.uri.queryParameters
                        )
                    )
                }
            }
        }
        router.get("/wallet/requests/live") { request, _ in
            await page(request) { session in
                let held = Set(try await wallet.credentials().map(\.provider.rawValue))
                let list = RequestsPage.list(approvals.pending(now: wallet.now()), held: held, csrf: session.csrfToken)
                return Self.html(list)
            }
        }
        router.post("/wallet/unlock") { request, _ in
            await action(request, needsUnlocked: false) { form, _ in
                do {
                    try await wallet.unlock(password: form["password"] ?? "")
                } catch let error as ByokyError {
                    return Self.html(
                        LoginPages.unlock(csrf: form[OwnerGuard.csrfField] ?? "", error: error.message),
                        status: .unauthorized
                    )
                }
                await onChange()
                return Self.redirect("/wallet/requests?done=unlocked")
            }
        }
        router.post("/wallet/lock") { request, _ in
            await action(request, needsUnlocked: false) { _, _ in
                wallet.lock()
                owners.endAll()
                await onChange()
                return Self.html(LoginPages.signedOut(locked: true), setCookie: OwnerGuard.setCookie(nil))
            }
        }
        router.post("/wallet/logout") { request, _ in
            await action(request, needsUnlocked: false) { _, cookie in
                owners.end(cookie: cookie)
                return Self.html(LoginPages.signedOut(locked: false), setCookie: OwnerGuard.setCookie(nil))
            }
        }
        registerActions(on: router)
        registerRoutingActions(on: router)
        registerPairingAndSettingsActions(on: router)
        registerGiftActions(on: router)
        registerBackupActions(on: router)
        registerAppStoreActions(on: router)
        registerAppHost(on: router)
        registerCloudSync(on: router)
    }

    // MARK: Actions

    private func registerActions(on router: Router<BasicRequestContext>) {
        router.post("/wallet/requests/{id}/approve") { request, context in
            await decide(request, context) { approval, form in
                let chosen = form.all("providers").map { ProviderID($0) }
                guard !chosen.isEmpty else {
                    throw ByokyError(.invalidRequest, "Choose at least one provider, or deny the request")
                }
                let status = try await wallet.approve(approval, providers: chosen, bridgeURL: bridgeURL())
                return (status, "approved")
            }
        }
        router.post("/wallet/requests/{id}/deny") { request, context in
            await decide(request, context) { approval, _ in
                (
                    ConnectStatus(requestId: approval.id, status: .denied, error: WireError(ByokyError.userRejected())),
                    "denied"
                )
            }
        }
        router.post("/wallet/keys") { request, _ in
            await act(request, on: .keys) { form in
                guard let provider = form["provider"].map({ ProviderID($0) }),
                    ProviderRegistry.provider(provider) != nil
                else {
                    throw ByokyError(.invalidRequest, "Choose a provider")
                }
                let secret = form["secret"]?.trimmingASCIIWhitespace() ?? ""
                guard !secret.isEmpty else { throw ByokyError(.invalidRequest, "Paste the API key") }
                let label = form["label"]?.trimmingASCIIWhitespace()
                let baseURL = form["baseURL"]?.trimmingASCIIWhitespace()
                _ = try await wallet.addCredential(
                    provider: provider,
                    secret: SecretString(secret),
                    label: label?.isEmpty == false ? label : nil,
                    baseURL: baseURL?.isEmpty == false ? baseURL : nil
                )
                await onChange()
                return "key-added"
            }
        }
        router.post("/wallet/keys/{key}/rename") { request, context in
            await act(request, on: .keys) { form in
                try await wallet.renameCredential(
                    ControlRoutes.segment(context, "key"),
                    to: form["label"]?.trimmingASCIIWhitespace() ?? ""
                )
                return "key-renamed"
            }
        }
        router.post("/wallet/keys/{key}/remove") { request, context in
            await act(request, on: .keys) { _ in
                try await wallet.removeCredential(ControlRoutes.segment(context, "key"))
                await onChange()
                return "key-removed"
            }
        }
        router.post("/wallet/apps/{id}/revoke") { request, context in
            await act(request, on: .apps) { _ in
                try await wallet.revokeSession(id: ControlRoutes.segment(context, "id"))
                return "revoked"
            }
        }
        router.post("/wallet/apps/revoke-all") { request, _ in
            await act(request, on: .apps) { _ in
                _ = try await wallet.revokeAllSessions()
                return "revoked-all"
            }
        }
    }

    private func registerRoutingActions(on router: Router<BasicRequestContext>) {
        router.post("/wallet/routing/groups") { request, _ in
            await act(request, on: .routing) { form in
                let text = { (name: String) in form[name]?.trimmingASCIIWhitespace() ?? "" }
                _ = try await wallet.addGroup(
                    GroupCreationRequest(
                        name: text("name"),
                        provider: text("provider"),
                        model: text("model").isEmpty ? nil : text("model"),
                        key: text("key").isEmpty ? nil : text("key"),
                        gift: text("gift").isEmpty ? nil : text("gift")
                    )
                )
                return "group-added"
            }
        }
        router.post("/wallet/routing/groups/remove") { request, _ in
            await act(request, on: .routing) { form in
                try await wallet.removeGroup(form["name"] ?? "")
                return "group-removed"
            }
        }
        router.post("/wallet/routing/assign") { request, _ in
            await act(request, on: .routing) { form in
                let app = form["app"]?.trimmingASCIIWhitespace() ?? ""
                guard !app.isEmpty else { throw ByokyError(.invalidRequest, "Name the app") }
                try await wallet.assign(app: app, toGroup: form["group"] ?? "")
                return "assigned"
            }
        }
        router.post("/wallet/routing/unassign") { request, _ in
            await act(request, on: .routing) { form in
                guard try await wallet.unassign(app: form["app"] ?? "") else {
                    throw ByokyError(.notFound, "That app is not in a group")
                }
                return "unassigned"
            }
        }
        router.post("/wallet/limits") { request, _ in
            await act(request, on: .limits) { form in
                guard let tokens = form["tokens"].flatMap({ Int($0.trimmingASCIIWhitespace()) }) else {
                    throw ByokyError(.invalidRequest, "Give the limit as a whole number of tokens")
                }
                let provider = form["provider"].flatMap { $0.isEmpty ? nil : ProviderID($0) }
                guard let period = AllowancePeriod(rawValue: form["period"] ?? "month") else {
                    throw ByokyError(.invalidRequest, "Choose a period")
                }
                try await wallet.setAllowance(
                    app: form["app"]?.trimmingASCIIWhitespace() ?? "",
                    tokens: tokens,
                    provider: provider,
                    period: period
                )
                return "limit-set"
            }
        }
        router.post("/wallet/limits/remove") { request, _ in
            await act(request, on: .limits) { form in
                guard let period = AllowancePeriod(rawValue: form["period"] ?? "") else {
                    throw ByokyError(.invalidRequest, "Choose a period")
                }
                try await wallet.removeAllowance(
                    app: form["app"] ?? "",
                    provider: form["provider"].flatMap { $0.isEmpty ? nil : ProviderID($0) },
                    period: period
                )
                return "limit-removed"
            }
        }
    }

    private func registerPairingAndSettingsActions(on router: Router<BasicRequestContext>) {
        router.post("/wallet/pairings") { request, _ in
            await act(request, on: .pairings) { form in
                guard let payload = PairingPayload.decode(form["code"] ?? "") else {
                    throw ByokyError(.invalidRequest, "That is not a byoky pairing code — copy it again from the app")
                }
                guard ProviderURLPolicy.isAllowedRelayURL(payload.relayURL) else {
                    throw ByokyError(.invalidURL, "The code names a relay that is neither wss:// nor local")
                }
                let providers = form.all("providers").map { ProviderID($0) }
                guard !providers.isEmpty else {
                    throw ByokyError(.invalidRequest, "Choose at least one provider to offer")
                }
                _ = try pairings.start(payload, providers: providers)
                return "paired"
            }
        }
        router.post("/wallet/pairings/{id}/stop") { request, context in
            await act(request, on: .pairings) { _ in
                guard pairings.stop(ControlRoutes.segment(context, "id")) else {
                    throw ByokyError(.notFound, "That pairing is not running")
                }
                return "pairing-stopped"
            }
        }
        router.post("/wallet/settings/password") { request, _ in
            await act(request, on: .settings) { form in
                let new = form["new"] ?? ""
                guard new == form["confirm"] else {
                    throw ByokyError(.invalidRequest, "The two new passwords differ")
                }
                // Checked by unlocking first, so wrong guesses back off as they do at the unlock prompt.
                try await wallet.unlock(password: form["current"] ?? "")
                try await wallet.changePassword(from: form["current"] ?? "", to: new)
                return "password-changed"
            }
        }
    }

    private func registerGiftActions(on router: Router<BasicRequestContext>) {
        router.get("/wallet/gifts/{id}") { request, context in
            await page(request) { session in
                let gift = try await wallet.gift(ControlRoutes.segment(context, "id"))
                let summary = GiftSummary(gift, now: wallet.now(), online: onlineGifts())
                let notice = request.uri.queryParameters.get("done").flatMap { WalletPageLayout.notices[$0] }
                return Self.html(
                    WalletPageLayout.page(
                        title: "Gift",
                        section: .gifts,
                        csrf: session.csrfToken,
                        notice: notice,
                        body: GiftsPage.detail(
                            summary,
                            link: try wallet.link(for: gift).url(),
                            listing: try await wallet.giftListings().first { $0.giftID == gift.id },
                            csrf: session.csrfToken
                        )
                    )
                )
            }
        }
        router.post("/wallet/gifts") { request, _ in
            await action(request, needsUnlocked: true) { form, _ in
                do {
                    let text = { (name: String) in form[name]?.trimmingASCIIWhitespace() ?? "" }
                    guard let budget = Int(text("budget")) else {
                        throw ByokyError(.invalidRequest, "Give the budget as a whole number of tokens")
                    }
                    guard let lifetime = GiftsPage.lifetimes.first(where: { $0.value == text("expires") }) else {
                        throw ByokyError(.invalidRequest, "Choose when the gift expires")
                    }
                    let (gift, _) = try await wallet.createGift(
                        key: text("key"),
                        budget: budget,
                        lifetime: lifetime.milliseconds,
                        relayURL: text("relay").isEmpty ? Wallet.defaultGiftRelayURL : text("relay"),
                        label: text("label").isEmpty ? nil : text("label")
                    )
                    await onChange()
                    guard form["list"] == "1" else {
                        return Self.redirect("/wallet/gifts/\(gift.id)?done=gift-created")
                    }
                    do {
                        try await listOnBoard(gift.id, form)
                        return Self.redirect("/wallet/gifts/\(gift.id)?done=gift-created-listed")
                    } catch {
                        // The gift stands either way; its page offers the listing again.
                        return Self.redirect("/wallet/gifts/\(gift.id)?done=gift-created-not-listed")
                    }
                } catch {
                    return await failedPage(.gifts, form: form, error: error)
                }
            }
        }
        router.post("/wallet/gifts/{id}/list") { request, context in
            await action(request, needsUnlocked: true) { form, _ in
                let id = ControlRoutes.segment(context, "id")
                do {
                    try await listOnBoard(id, form)
                    return Self.redirect("/wallet/gifts/\(id)?done=gift-listed")
                } catch {
                    return await failedPage(.gifts, form: form, error: error)
                }
            }
        }
        router.post("/wallet/gifts/{id}/revoke") { request, context in
            await act(request, on: .gifts) { _ in
                try await wallet.revokeGift(ControlRoutes.segment(context, "id"))
                await onChange()
                return "gift-revoked"
            }
        }
        router.post("/wallet/gifts/{id}/vault-on") { request, context in
            await act(request, on: .gifts) { _ in
                try await wallet.serveGiftFromVault(ControlRoutes.segment(context, "id"))
                await onChange()
                return "gift-vault-on"
            }
        }
        router.post("/wallet/gifts/{id}/vault-off") { request, context in
            await act(request, on: .gifts) { _ in
                try await wallet.stopServingGiftFromVault(ControlRoutes.segment(context, "id"))
                await onChange()
                return "gift-vault-off"
            }
        }
        router.post("/wallet/gifts/redeem") { request, _ in
            await act(request, on: .gifts) { form in
                _ = try await wallet.redeemGift(link: form["link"]?.trimmingASCIIWhitespace() ?? "")
                return "gift-redeemed"
            }
        }
        router.post("/wallet/gifts/received/{id}/remove") { request, context in
            await act(request, on: .gifts) { _ in
                _ = try await wallet.removeReceivedGift(ControlRoutes.segment(context, "id"))
                return "gift-removed"
            }
        }
    }

    /// Lists a gift on the board the form names, under its name (none: Anonymous).
    private func listOnBoard(_ giftID: String, _ form: FormBody) async throws {
        let name = form["boardName"]?.trimmingASCIIWhitespace() ?? ""
        try await wallet.listGift(
            giftID,
            on: form["marketplace"]?.trimmingASCIIWhitespace() ?? MarketplaceClient.defaultURL,
            name: name.isEmpty ? nil : name,
            anonymous: name.isEmpty
        )
        await onChange()
    }

    private func registerBackupActions(on router: Router<BasicRequestContext>) {
        router.post("/wallet/backup/export") { request, _ in
            await action(request, needsUnlocked: true) { form, _ in
                do {
                    let password = form["password"] ?? ""
                    guard password == form["confirm"] else {
                        throw ByokyError(.invalidRequest, "The two passwords differ")
                    }
                    let strength = PasswordStrength(password)
                    guard strength.isAcceptable else {
                        throw ByokyError(
                            .invalidRequest,
                            "That password is too weak (\(strength.label)): \(strength.feedback.joined(separator: "; "))"
                        )
                    }
                    let text = try await wallet.sealedBackup(password: password)
                    var headers = HTTPFields()
                    OwnerGuard.secure(&headers)
                    headers[.contentType] = "application/octet-stream"
                    headers[.contentDisposition] =
                        "attachment; filename=\"\(BackupPage.fileName(now: wallet.now()))\""
                    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
                } catch {
                    return await failedPage(.backup, form: form, error: error)
                }
            }
        }
        router.post("/wallet/backup/import") { request, _ in
            await action(request, needsUnlocked: true) { form, _ in
                do {
                    guard let file = form.files["file"], !file.isEmpty else {
                        throw ByokyError(.invalidRequest, "Choose the .byoky file to import")
                    }
                    let report = try await wallet.importBackup(
                        fileText: String(decoding: file, as: UTF8.self),
                        password: form["password"] ?? ""
                    )
                    await onChange()
                    // Counts only: the skipped keys' reasons may quote the file, so they stay out.
                    var notice = "Imported \(report.added.count) key(s); \(report.duplicates) already in the wallet."
                    if !report.skipped.isEmpty { notice += " \(report.skipped.count) could not be used." }
                    return Self.html(await render(.backup, csrf: form[OwnerGuard.csrfField] ?? "", notice: notice))
                } catch {
                    return await failedPage(.backup, form: form, error: error)
                }
            }
        }
        router.post("/wallet/settings/auto-lock") { request, _ in
            await act(request, on: .settings) { form in
                guard let minutes = Int(form["minutes"]?.trimmingASCIIWhitespace() ?? "") else {
                    throw ByokyError(.invalidRequest, "Give the auto-lock as a whole number of minutes")
                }
                try await wallet.setAutoLockMinutes(minutes)
                autoLock.idleLimit = minutes > 0 ? .seconds(minutes * 60) : nil
                autoLock.touch()
                return "auto-lock-set"
            }
        }
    }

    /// Approves or denies a pending connect request.
    private func decide(
        _ request: Request,
        _ context: BasicRequestContext,
        _ body: @escaping @Sendable (PendingApproval, FormBody) async throws -> (ConnectStatus, String)
    ) async -> Response {
        await act(request, on: .requests) { form in
            let id = ControlRoutes.segment(context, "id")
            guard let approval = approvals.pendingApproval(id, now: wallet.now()) else {
                throw ByokyError(.notFound, "That request is no longer waiting (it was answered or expired)")
            }
            let (status, notice) = try await body(approval, form)
            approvals.decide(id, status)
            return notice
        }
    }

    /// Runs a state change of `section`'s page; shows the page again with the error when it fails.
    func act(
        _ request: Request,
        on section: WalletPageLayout.Section,
        _ body: @escaping @Sendable (FormBody) async throws -> String
    ) async -> Response {
        await action(request, needsUnlocked: true) { form, _ in
            do {
                let notice = try await body(form)
                return Self.redirect("/wallet/\(section.rawValue)?done=\(notice)")
            } catch {
                return await failedPage(section, form: form, error: error)
            }
        }
    }

    /// `section`'s page again, saying what went wrong.
    func failedPage(_ section: WalletPageLayout.Section, form: FormBody, error: any Error) async -> Response {
        let failure =
            error as? ByokyError
            ?? ByokyError(.internalError, "The wallet could not do that; see `byoky status`")
        let page = await render(section, csrf: form[OwnerGuard.csrfField] ?? "", error: failure.message)
        return Self.html(page, status: .init(code: failure.httpStatus))
    }

    // MARK: Guards

    /// Refuses requests not addressed to a loopback name (DNS rebinding).
    func guarded(_ request: Request, _ body: () async throws -> Response) async -> Response {
        guard let host = request.head.authority, HostCheck.isLoopback(host) else {
            return Self.html(
                LoginPages.message("Not here", "The wallet page only answers at 127.0.0.1 or localhost."),
                status: .forbidden
            )
        }
        do {
            return try await body()
        } catch {
            return Self.html(
                LoginPages.message("Something went wrong", "The wallet could not show this page."),
                status: .internalServerError
            )
        }
    }

    /// A page for a logged-in owner; a locked wallet asks for the master password first.
    func page(
        _ request: Request,
        _ body: @escaping @Sendable (OwnerSessions.Session) async throws -> Response
    ) async -> Response {
        await guarded(request) {
            guard let session = OwnerGuard.cookie(request).flatMap(owners.session(cookie:)) else {
                return Self.html(LoginPages.loginNeeded(), status: .unauthorized)
            }
            guard wallet.isUnlocked else { return Self.html(LoginPages.unlock(csrf: session.csrfToken)) }
            return try await body(session)
        }
    }

    /// A state change: the page's own origin, a logged-in owner, a readable form with the CSRF token.
    func action(
        _ request: Request,
        needsUnlocked: Bool,
        _ body: @escaping @Sendable (FormBody, String) async throws -> Response
    ) async -> Response {
        await guarded(request) {
            guard OwnerGuard.isSameOrigin(request) else {
                return Self.html(
                    LoginPages.message("Refused", "Only the wallet's own pages can change it."),
                    status: .forbidden
                )
            }
            guard let cookie = OwnerGuard.cookie(request), let session = owners.session(cookie: cookie) else {
                return Self.html(LoginPages.loginNeeded(), status: .unauthorized)
            }
            let contentType = request.headers[.contentType]
            let isUpload = contentType?.lowercased().hasPrefix("multipart/form-data") == true
            let limit = isUpload ? FormBody.maximumUploadSize : FormBody.maximumSize
            guard let bytes = try? await request.body.collect(upTo: limit) else {
                return Self.html(
                    LoginPages.message("Too large", "That form is larger than the wallet reads."),
                    status: .contentTooLarge
                )
            }
            guard let form = FormBody(bytes.readableBytesView, contentType: contentType) else {
                return Self.html(
                    LoginPages.message(
                        "Unreadable",
                        "The wallet could not read that form. Reload the page and try again."
                    ),
                    status: .badRequest
                )
            }
            guard OwnerGuard.csrfMatches(form[OwnerGuard.csrfField], session) else {
                return Self.html(
                    LoginPages.message("Refused", "This form is stale. Reload the page and try again."),
                    status: .forbidden
                )
            }
            if needsUnlocked, !wallet.isUnlocked { return Self.html(LoginPages.unlock(csrf: session.csrfToken)) }
            return try await body(form, cookie)
        }
    }

    /// Exchanges a login URL's token for the owner cookie.
    private func login(_ request: Request) async -> Response {
        await guarded(request) {
            guard OwnerGuard.isSameOrigin(request) else {
                return Self.html(
                    LoginPages.message("Refused", "Log in from the wallet's own login page."),
                    status: .forbidden
                )
            }
            let bytes = try? await request.body.collect(upTo: 1024)
            let form = FormBody(bytes?.readableBytesView ?? ByteBuffer().readableBytesView)
            guard let cookie = owners.redeem(loginToken: form["token"] ?? "") else {
                return Self.html(
                    LoginPages.message(
                        "Link expired",
                        "This login link was used already or has expired. Run `byoky open` for a new one."
                    ),
                    status: .unauthorized
                )
            }
            return Self.redirect("/wallet/requests", setCookie: OwnerGuard.setCookie(cookie))
        }
    }

    // MARK: Rendering

    /// A section's whole page.
    func render(
        _ section: WalletPageLayout.Section,
        csrf: String,
        notice: String? = nil,
        error: String? = nil,
        query: Parameters = .init()
    ) async -> HTML {
        let body: HTML
        do {
            switch section {
            case .requests:
                let held = Set(try await wallet.credentials().map(\.provider.rawValue))
                body = RequestsPage.body(approvals.pending(now: wallet.now()), held: held, csrf: csrf)
            case .keys:
                body = KeysPage.body(
                    try await wallet.credentials().map(CredentialSummary.init),
                    usedBy: try await wallet.appsByCredential(),
                    csrf: csrf
                )
            case .apps:
                var rows: [AppsPage.Row] = []
                for session in try await wallet.sessionSummaries() {
                    rows.append(
                        AppsPage.Row(
                            session: session,
                            usage: try? await wallet.usage(ofSession: session.id),
                            lastUsedAt: try? await wallet.lastUsed(ofSession: session.id)
                        )
                    )
                }
                body = """
                    \(AppsPage.body(rows, now: wallet.now(), csrf: csrf))
                    \(ConnectToolSection.body(bridge: bridgeURL()))
                    """
            case .store:
                body = try await renderStore(search: query.get("search") ?? "", csrf: csrf)
            case .routing:
                body = RoutingPage.body(
                    try await wallet.groupSummaries(),
                    apps: try await knownApps(),
                    keys: try await wallet.credentials().map(CredentialSummary.init),
                    gifts: try await wallet.receivedGiftSummaries(),
                    csrf: csrf
                )
            case .limits:
                body = LimitsPage.body(try await wallet.allowanceStatuses(), apps: try await knownApps(), csrf: csrf)
            case .usage:
                let range = UsagePage.ranges.first { $0.value == query.get("range") } ?? UsagePage.ranges[0]
                body = UsagePage.body(
                    try await wallet.usageByDay(days: range.days),
                    range: range.value,
                    today: wallet.now() / 86_400_000
                )
            case .log:
                var fields: [String: String] = [:]
                for (name, value) in query { fields[String(name)] = String(value) }
                let (filter, range) = LogPage.filter(from: fields, now: wallet.now())
                let cursor = fields["before"].flatMap(LogCursor.init(token:))
                let page = try await wallet.logPage(filter, after: cursor, limit: LogPage.pageSize)
                body = LogPage.body(
                    page.entries,
                    next: page.next,
                    filter: filter,
                    range: range,
                    isFirstPage: cursor == nil,
                    apps: try await knownApps()
                )
            case .gifts:
                body = GiftsPage.body(
                    given: try await wallet.giftSummaries(online: onlineGifts()),
                    received: try await wallet.receivedGiftSummaries(),
                    keys: try await wallet.credentials().map(CredentialSummary.init),
                    relayURL: Wallet.defaultGiftRelayURL,
                    vaultURL: wallet.vaultLogin()?.url,
                    csrf: csrf
                )
            case .backup:
                body = BackupPage.body(keyCount: try await wallet.credentials().count, csrf: csrf)
            case .pairings:
                let held = Array(Set(try await wallet.credentials().map(\.provider.rawValue))).sorted()
                body = PairingsPage.body(pairings.list(), held: held, csrf: csrf)
            case .sync:
                body = await renderCloudSync(csrf: csrf)
            case .settings:
                body = SettingsPage.body(autoLockAfter: autoLock.idleLimit, csrf: csrf)
            }
        } catch {
            body = "<p class=\"error\">The wallet could not read this page's data.</p>"
        }
        return WalletPageLayout.page(
            title: section.title,
            section: section,
            csrf: csrf,
            notice: notice,
            error: error,
            body: body
        )
    }

    /// The names of the apps that have had sessions, for the pages' suggestions.
    private func knownApps() async throws -> [String] {
        Array(Set(try await wallet.sessionSummaries().map(\.app))).sorted()
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, setCookie: String? = nil) -> Response {
        var response = PageResponse.html(page, status: status)
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }

    static func redirect(_ location: String, setCookie: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        OwnerGuard.secure(&headers)
        if let setCookie { headers[.setCookie] = setCookie }
        return Response(status: .seeOther, headers: headers)
    }

    static func asset(_ request: Request) -> Response {
        let path = request.uri.path
        guard let file = WebFiles.file(at: path), path.hasPrefix("/wallet/assets/") || path.hasPrefix("/shared/") else {
            return html(LoginPages.message("Not found", "There is no such file."), status: .notFound)
        }
        return PageResponse.file(file.bytes, contentType: file.contentType, entityTag: file.entityTag)
    }
}
