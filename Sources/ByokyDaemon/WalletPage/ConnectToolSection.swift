import ByokyHTTPServer

/// How a program reaches the owner's keys, shown under the apps: the bridge this wallet serves
/// on (wherever `byoky serve --port` put it), each API's base URL on it, and `byoky exec`,
/// which hands a command a session key and those URLs.
enum ConnectToolSection {
    static func body(bridge: String) -> HTML {
        let rows: [(api: String, path: String)] = [
            ("Anthropic", "/anthropic"), ("OpenAI and OpenAI-style", "/openai/v1"), ("Gemini", "/gemini"),
            ("Cohere", "/cohere"), ("any other provider", "/<provider>"),
        ]
        let items = rows.map { row -> HTML in
            "<tr><td data-label=\"API\">\(row.api)</td><td data-label=\"Base URL\"><code>\(bridge + row.path)</code></td></tr>"
        }
        return """
            <section class="connect-tool">
              <h2>Connect a program</h2>
              <p class="meta">Programs and SDKs reach your keys through this wallet's bridge, with a session
              key as their API key. <code>byoky exec -- your-command</code> gives a command a session and
              these base URLs; it ends the session when the command ends.</p>
              <div class="scroll"><table>
                <thead><tr><th>API</th><th>Base URL</th></tr></thead>
                <tbody>\(items)</tbody>
              </table></div>
            </section>
            """
    }
}
