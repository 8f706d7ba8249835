import ByokyCore
import ByokyHTTPServer
import ByokyStore

/// The App Store: the installed apps (open, turn off or on, uninstall) and the marketplace's
/// catalogue (install, after a page that says what the app will be trusted with). Icons are not
/// loaded from the apps' hosts (the wallet page shows no remote content): a letter stands in.
enum AppStorePage {
    /// What the catalogue fetch gave: apps, or why there are none.
    enum Catalogue {
        case apps([CatalogueApp])
        case unavailable(String)
    }

    static func body(
        installed: [InstalledAppRecord],
        catalogue: Catalogue,
        marketplace: String,
        search: String,
        csrf: String
    ) -> HTML {
        let installedSlugs = Set(installed.map(\.slug))
        let mine: HTML =
            installed.isEmpty
            ? "<p class=\"empty\">No apps installed yet. Install one from the catalogue below.</p>"
            : "<ul class=\"cards\" id=\"installed-apps\">\(installed.map { installedCard($0, csrf: csrf) })</ul>"
        let listing: HTML
        switch catalogue {
        case .unavailable(let reason):
            listing = "<p class=\"error\" id=\"catalogue-error\">The catalogue could not be read: \(reason)</p>"
        case .apps(let apps) where apps.isEmpty:
            listing = "<p class=\"empty\">No app in the catalogue matches.</p>"
        case .apps(let apps):
            listing = """
                <ul class="cards" id="catalogue-apps">\(apps.map { catalogueCard($0, installed: installedSlugs.contains($0.slug)) })</ul>
                """
        }
        return """
            <section aria-labelledby="installed-title">
              <h2 id="installed-title">Installed</h2>
              \(mine)
            </section>
            <section aria-labelledby="catalogue-title">
              <h2 id="catalogue-title">Catalogue</h2>
              <p><small>From <span class="origin">\(marketplace)</span> (change with <code>byoky serve --marketplace</code>).
              An installed app is trusted with the providers on its card only.</small></p>
              <form method="get" action="/wallet/store" class="inline" role="search">
                <label>Search <input name="search" type="search" maxlength="100" value="\(search)"></label>
                <button type="submit">Search</button>
              </form>
              \(listing)
            </section>
            """
    }

    private static func installedCard(_ app: InstalledAppRecord, csrf: String) -> HTML {
        let state: HTML =
            app.isEnabled ? "<span class=\"tag ok\">on</span>" : "<span class=\"tag\">off</span>"
        let toggle: HTML =
            app.isEnabled
            ? """
            <form method="post" action="/wallet/store/\(app.slug)/disable" data-confirm="Turn this app off? Its sessions are revoked at once.">
              \(WalletPageLayout.csrfField(csrf))<button type="submit">Turn off</button>
            </form>
            """
            : """
            <form method="post" action="/wallet/store/\(app.slug)/enable">
              \(WalletPageLayout.csrfField(csrf))<button type="submit">Turn on</button>
            </form>
            """
        let open: HTML =
            app.isEnabled ? "<a class=\"button\" href=\"/wallet/store/\(app.slug)/open\">Open</a>" : ""
        return """
            <li class="card app-card" data-id="\(app.slug)">
              <h2><span class="app-initial" aria-hidden="true">\(initial(of: app.name))</span> \(app.name) \(state)</h2>
              <p>\(app.description)</p>
              <p><span class="origin">\(app.origin)</span> · by \(app.authorName)</p>
              <p>Trusted with \(tags(app.providerIDs.map(\.rawValue)))</p>
              <div class="actions">
                \(open)
                \(toggle)
                <form method="post" action="/wallet/store/\(app.slug)/uninstall" data-confirm="Uninstall this app? Its trust and sessions go.">
                  \(WalletPageLayout.csrfField(csrf))<button type="submit" class="danger">Uninstall</button>
                </form>
              </div>
            </li>
            """
    }

    private static func catalogueCard(_ app: CatalogueApp, installed: Bool) -> HTML {
        let action: HTML =
            installed
            ? "<span class=\"tag ok\">installed</span>"
            : "<a class=\"button\" href=\"/wallet/store/install?slug=\(app.slug)\">Install…</a>"
        return """
            <li class="card app-card" data-slug="\(app.slug)">
              <h2><span class="app-initial" aria-hidden="true">\(initial(of: app.name))</span> \(app.name)</h2>
              <p>\(app.description)</p>
              <p><span class="tag">\(app.category.rawValue)</span> by \(app.authorName) · <span class="origin">\(app.origin)</span></p>
              <p>Uses \(tags(app.providers))</p>
              <div class="actions">\(action)</div>
            </li>
            """
    }

    /// The page that asks the owner to confirm an install.
    static func confirmation(_ app: CatalogueApp, csrf: String) -> HTML {
        let names = app.providers.map { ProviderRegistry.provider(ProviderID($0))?.displayName ?? $0 }
        return """
            <section class="card" id="install-confirmation">
              <h2>Install \(app.name)?</h2>
              <p>\(app.description)</p>
              <p>By \(app.authorName), served from <span class="origin">\(app.origin)</span>.</p>
              <p><strong>This app will be trusted to use: \(names.joined(separator: ", ")).</strong>
              Its connects are approved without asking you, for these providers only; it never sees a key.
              You can turn it off or uninstall it at any time.</p>
              <form method="post" action="/wallet/store/install">
                \(WalletPageLayout.csrfField(csrf))
                <input type="hidden" name="slug" value="\(app.slug)">
                \(app.providers.map { "<input type=\"hidden\" name=\"providers\" value=\"\($0)\">" as HTML })
                <div class="actions">
                  <a class="button" href="/wallet/store">Cancel</a>
                  <button type="submit" class="primary">Install</button>
                </div>
              </form>
            </section>
            """
    }

    private static func tags(_ providers: [String]) -> HTML {
        HTML(
            trusted: providers.map { id -> HTML in
                "<span class=\"tag\">\(ProviderRegistry.provider(ProviderID(id))?.displayName ?? id)</span>"
            }.map(\.description).joined()
        )
    }

    private static func initial(of name: String) -> String {
        name.first.map { String($0).uppercased() } ?? "?"
    }
}
