import ByokyCore
import ByokyHTTPServer
import ByokyStore

/// An installed app, opened inside the wallet's page: a sandboxed frame (scripts and forms only,
/// so an opaque origin with no storage and no way into this page) that talks to `app-host.js`
/// by `postMessage`; the script forwards its requests to the wallet with the app's origin.
enum AppHostPage {
    /// The address the frame loads: the app's own, marked so that its byoky.js knows it is hosted.
    static func frameURL(of app: InstalledAppRecord) -> String {
        let base = app.url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? app.url
        return base + "#byoky-hosted=1"
    }

    static func body(_ app: InstalledAppRecord, csrf: String) -> HTML {
        """
        <section class="app-host" data-app-host="\(app.slug)" data-csrf="\(csrf)">
          <p class="app-host-bar"><a href="/wallet/store">← App Store</a>
            <span class="origin">\(app.origin)</span>
            <small>sandboxed · trusted with \(app.providerIDs.map(\.rawValue).joined(separator: ", "))</small></p>
          <iframe id="app-frame" title="\(app.name)" src="\(frameURL(of: app))"
            sandbox="allow-scripts allow-forms" referrerpolicy="no-referrer" allow=""></iframe>
        </section>
        <script type="module" src="/wallet/assets/app-host.js"></script>
        """
    }
}
