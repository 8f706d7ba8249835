import ByokyCore
import ByokyHTTPServer

/// The app catalogue (`GET /catalogue`), rendered on the server: approved apps as cards, a search
/// and a category filter.
enum CataloguePage {
    static func catalogue(_ listing: CatalogueListing, search: String?, category: AppCategory?) -> HTML {
        let options = AppCategory.allCases.map { item -> HTML in
            let selected: HTML = item == category ? " selected" : ""
            return "<option value=\"\(item.rawValue)\"\(selected)>\(item.rawValue)</option>"
        }
        let cards: HTML =
            listing.apps.isEmpty
            ? "<p class=\"empty\">No apps match. Build one: <code>byoky app create</code>.</p>"
            : "<ul class=\"cards apps\" id=\"apps\">\(listing.apps.map(card))</ul>"
        return BoardPage.page(
            title: "Apps",
            body: """
                <h1>Apps that use your own keys</h1>
                <p class="lead">Each app reaches AI models through your byoky wallet: it never sees your keys, and
                  installing it trusts it with the providers listed on its card only.</p>
                <form method="get" action="/catalogue" class="filter">
                  <label>Search <input type="search" name="search" maxlength="100" value="\(search ?? "")"></label>
                  <label>Category <select name="category"><option value="">all</option>\(options)</select></label>
                  <button type="submit">Filter</button>
                </form>
                \(cards)
                """
        )
    }

    static func card(_ app: CatalogueApp) -> HTML {
        let providers = app.providers.map { id in
            ProviderRegistry.provider(ProviderID(rawValue: id))?.displayName ?? id
        }
        let author: HTML =
            if let website = app.authorWebsite {
                "<a href=\"\(website)\" rel=\"noopener noreferrer nofollow\">\(app.authorName)</a>"
            } else {
                "\(app.authorName)"
            }
        let initial = app.name.first.map { String($0).uppercased() } ?? "?"
        return """
            <li class="card app" data-app="\(app.slug)">
              <div class="top"><img class="icon" src="\(app.iconURL)" alt="" width="48" height="48" loading="lazy" referrerpolicy="no-referrer" data-initial="\(initial)">
                <div><strong class="name">\(app.name)</strong> <span class="category">\(app.category.rawValue)</span>
                <p class="meta by">by \(author)</p></div></div>
              <p class="description">\(app.description)</p>
              <p class="meta">Uses: <span class="providers">\(providers.joined(separator: ", "))</span></p>
              <p class="meta">Install: <code>byoky apps install \(app.slug)</code></p>
              <a class="button" href="\(app.url)" rel="noopener noreferrer">Open</a>
            </li>
            """
    }
}
