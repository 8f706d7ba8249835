import ByokyHTTPServer

/// The pages around a login: the login URL's landing page, "log in first", the master password
/// prompt of a locked wallet, and plain messages.
enum LoginPages {
    /// Where a `byoky open` URL lands: login.js moves the token from the fragment (never sent to
    /// a server, never in a log) into a form and posts it.
    static func login() -> HTML {
        WalletPageLayout.page(
            title: "Logging in",
            section: nil,
            csrf: nil,
            body: """
                <form id="login" method="post" action="/wallet/login">
                  <input type="hidden" name="token" value="">
                  <p id="login-status" role="status">Opening your wallet…</p>
                  <noscript><p>This step needs JavaScript. Every other page works without it.</p></noscript>
                </form>
                <script type="module" src="/wallet/assets/login.js"></script>
                """
        )
    }

    static func loginNeeded() -> HTML {
        message(
            "Log in",
            "Run <code>byoky open</code> in a terminal: it opens this page with a one-time login link.",
            trusted: true
        )
    }

    /// The master password prompt of a locked wallet.
    static func unlock(csrf: String, error: String? = nil) -> HTML {
        WalletPageLayout.page(
            title: "Unlock your wallet",
            section: nil,
            csrf: nil,
            error: error,
            body: """
                <form method="post" action="/wallet/unlock" class="stacked">
                  \(WalletPageLayout.csrfField(csrf))
                  <label>Master password <input type="password" name="password" required autocomplete="current-password" autofocus></label>
                  <button type="submit" class="primary">Unlock</button>
                </form>
                <p class="meta">After five wrong passwords each try waits longer, as in the terminal.</p>
                """
        )
    }

    static func signedOut(locked: Bool) -> HTML {
        message(
            locked ? "Locked" : "Logged out",
            (locked ? "The wallet is locked: apps get no answers until you unlock it. " : "")
                + "Run <code>byoky open</code> to come back.",
            trusted: true
        )
    }

    /// A page with one message; `text` is escaped unless `trusted` (written by this program).
    static func message(_ title: String, _ text: String, trusted: Bool = false) -> HTML {
        let body: HTML = trusted ? HTML(trusted: text) : "\(text)"
        return WalletPageLayout.page(title: title, section: nil, csrf: nil, body: "<p>\(body)</p>")
    }
}
