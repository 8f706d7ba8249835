import ByokyCore
import ByokyHTTPServer
import ByokyProxyHTTP
import ByokyStore
import ByokyWallet
import HTTPTypes
import Hummingbird

/// The App Store's actions, and the routes the page hosting an installed app calls for it.
extension WalletPageRoutes {
    func registerAppStoreActions(on router: Router<BasicRequestContext>) {
        router.get("/wallet/store/install") { request, _ in
            await page(request) { session in
                let slug = request.uri.queryParameters.get("slug") ?? ""
                let body: HTML
                do {
                    let app = try await MarketplaceClient(appCatalogueURL).app(slug: slug)
                    body = AppStorePage.confirmation(app, csrf: session.csrfToken)
                } catch {
                    let reason = (error as? ByokyError)?.message ?? "the catalogue did not answer"
                    body =
                        "<p class=\"error\">This app cannot be installed: \(reason)</p><p><a href=\"/wallet/store\">Back</a></p>"
                }
                return Self.html(
                    WalletPageLayout.page(title: "Install", section: .store, csrf: session.csrfToken, body: body)
                )
            }
        }
        router.post("/wallet/store/install") { request, _ in
            await act(request, on: .store) { form in
                try await wallet.install(
                    AppInstallRequest(
                        marketplace: appCatalogueURL,
                        slug: form["slug"] ?? "",
                        providers: form.all("providers")
                    )
                )
                return "app-installed"
            }
        }
        router.post("/wallet/store/{slug}/disable") { request, context in
            await act(request, on: .store) { _ in
                try await wallet.setInstalledApp(ControlRoutes.segment(context, "slug"), enabled: false)
                return "app-disabled"
            }
        }
        router.post("/wallet/store/{slug}/enable") { request, context in
            await act(request, on: .store) { _ in
                try await wallet.setInstalledApp(ControlRoutes.segment(context, "slug"), enabled: true)
                return "app-enabled"
            }
        }
        router.post("/wallet/store/{slug}/uninstall") { request, context in
            await act(request, on: .store) { _ in
                try await wallet.uninstallApp(ControlRoutes.segment(context, "slug"))
                return "app-uninstalled"
            }
        }
    }

    /// The App Store page's data: what is installed and the catalogue (or why it is missing).
    func renderStore(search: String, csrf: String) async throws -> HTML {
        let catalogue: AppStorePage.Catalogue
        do {
            let listing = try await MarketplaceClient(appCatalogueURL).catalogue(search: search.isEmpty ? nil : search)
            catalogue = .apps(listing.apps)
        } catch let error as ByokyError {
            catalogue = .unavailable(error.message)
        }
        return AppStorePage.body(
            installed: try await wallet.installedApps(),
            catalogue: catalogue,
            marketplace: appCatalogueURL,
            search: search,
            csrf: csrf
        )
    }

    // MARK: Hosting

    func registerAppHost(on router: Router<BasicRequestContext>) {
        router.get("/wallet/store/{slug}/open") { request, context in
            await page(request) { session in
                let app = try await wallet.installedApp(ControlRoutes.segment(context, "slug"))
                guard app.isEnabled else { return Self.redirect("/wallet/store") }
                let page = WalletPageLayout.page(
                    title: app.name,
                    section: .store,
                    csrf: session.csrfToken,
                    body: AppHostPage.body(app, csrf: session.csrfToken)
                )
                // The one page that frames anything: the app's own origin, nothing else.
                return PageResponse.html(page, frameSources: app.origin)
            }
        }
        router.post("/wallet/store/{slug}/connect") { request, context in
            await hosted(request, context) { app in
                struct Ask: Decodable { let providers: [ProviderRequirement] }
                let ask = try await ControlRoutes.decode(Ask.self, from: request)
                return BridgeResponses.json(
                    WalletAPI.encode(
                        try await wallet.connectInstalledApp(app.slug, providers: ask.providers, bridgeURL: bridgeURL())
                    )
                )
            }
        }
        router.get("/wallet/store/{slug}/usage") { request, context in
            await hosted(request, context) { app in
                let session = try await hostedSession(request, of: app)
                return BridgeResponses.json(WalletAPI.encode(try await wallet.usage(ofSession: session.id)))
            }
        }
        router.post("/wallet/store/{slug}/disconnect") { request, context in
            await hosted(request, context) { app in
                let session = try await hostedSession(request, of: app)
                try? await wallet.revokeSession(id: session.id)
                return BridgeResponses.json(WalletAPI.encode(SessionStatus(connected: false)))
            }
        }
        let proxy: Handler = { request, context in
            let provider = ProviderRegistry.provider(ProviderID(context.parameters.get("provider") ?? ""))
            return await hosted(request, context, family: provider?.family) { app in
                guard let provider else { throw ByokyError(.notFound, "Unknown provider") }
                let prefix = "/wallet/store/\(app.slug)/proxy/\(provider.id.rawValue)"
                var path = String(request.uri.path.dropFirst(prefix.count))
                if path.isEmpty { path = "/" }
                if let query = request.uri.query, !query.isEmpty { path += "?" + query }
                // The page's own headers stay here; the wallet sees the app's origin.
                var headers = request.headers.filter { !Self.hostHeaders.contains($0.name.canonicalName) }.map {
                    (name: $0.name.canonicalName, value: $0.value)
                }
                headers.append((name: "origin", value: app.origin))
                return await forward(
                    request,
                    provider,
                    path,
                    headers,
                    request.headers[Self.sessionHeader]
                )
            }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/wallet/store/{slug}/proxy/{provider}/**", method: method, use: proxy)
        }
    }

    /// The header the hosting page sends the app's session key in.
    static let sessionHeader = HTTPField.Name("x-byoky-session")!

    /// Headers of the hosting page's request that do not go on to the wallet's proxy.
    static let hostHeaders: Set<String> = [
        "cookie", "origin", "referer", "x-byoky-csrf", "x-byoky-session", "sec-fetch-site", "sec-fetch-mode",
        "sec-fetch-dest", "authorization", "x-api-key", "x-goog-api-key", "api-key",
    ]

    /// A request from the script of the page hosting `slug`: the owner's cookie, the page's CSRF
    /// header (a custom header no other site can send without a preflight this server refuses),
    /// and an enabled installed app. Errors answer in the provider's format when `family` is set.
    private func hosted(
        _ request: Request,
        _ context: BasicRequestContext,
        family: APIFamily? = nil,
        _ body: (InstalledAppRecord) async throws -> Response
    ) async -> Response {
        do {
            guard let host = request.head.authority, HostCheck.isLoopback(host) else {
                throw ByokyError(.originNotAllowed, "The wallet page only answers at 127.0.0.1 or localhost")
            }
            let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
            guard site == nil || site == "same-origin",
                let session = OwnerGuard.cookie(request).flatMap(owners.session(cookie:)),
                OwnerGuard.csrfMatches(request.headers[OwnerGuard.csrfHeader], session)
            else { throw ByokyError(.unauthorized, "Only the wallet's own page can do this") }
            let app = try await wallet.installedApp(ControlRoutes.segment(context, "slug"))
            guard app.isEnabled else { throw ByokyError(.userRejected, "\(app.name) is turned off in this wallet") }
            return try await body(app)
        } catch let error as ByokyError {
            return BridgeResponses.error(error, family: family)
        } catch {
            return BridgeResponses.error(ByokyError(.invalidRequest, "The request could not be read"), family: family)
        }
    }

    /// The live session the hosting page names, if it belongs to `app`.
    private func hostedSession(_ request: Request, of app: InstalledAppRecord) async throws -> SessionRecord {
        let session = try await wallet.authenticate(sessionKey: request.headers[Self.sessionHeader] ?? "")
        guard session.appOrigin == app.origin else {
            throw ByokyError(.originNotAllowed, "This session belongs to another app")
        }
        return session
    }
}
