import ByokyTesting

/// A receiver's app calling Anthropic through a received gift under `byoky exec` (its base URL and
/// key come from the exec): curl, which ends its output with `status=<code>`, or the official
/// Anthropic SDK when the test venv has it, which prints `status=200 <text>` on success.
enum GiftCall {
    /// curl, bounded to 15 s, with the answer's body then `status=<code>`.
    static let curl = [
        "sh", "-c",
        #"curl -s -m 15 "$ANTHROPIC_BASE_URL/v1/messages" -H "x-api-key: $ANTHROPIC_API_KEY" -H "content-type: application/json" -w '\nstatus=%{http_code}' -d '{"model":"claude-sonnet-4-6","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}'"#,
    ]

    /// The official SDK's call when it can be imported, else ``curl``.
    static var officialSDKOrCurl: [String] {
        guard PythonInterop.canImport(["anthropic"]) else { return curl }
        let script = """
            import anthropic
            answer = anthropic.Anthropic().messages.create(model="claude-sonnet-4-6", max_tokens=32,
                messages=[{"role": "user", "content": "hello"}])
            print("status=200", answer.content[0].text)
            """
        return [PythonInterop.interpreter] + PythonInterop.interpreterArguments + ["-c", script]
    }

    /// `byoky exec` arguments running `command` as the app `app` against the wallet at `bridgePort`.
    static func exec(app: String, bridgePort: Int, _ command: [String] = curl) -> [String] {
        ["exec", "--app", app, "--providers", "anthropic", "--bridge", "http://127.0.0.1:\(bridgePort)", "--"] + command
    }
}
