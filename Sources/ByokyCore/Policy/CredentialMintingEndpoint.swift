/// Provider endpoints that hand their caller a credential of the key's owner: an ephemeral key
/// that works against the provider directly, without the wallet (OpenAI's and Azure's realtime
/// client secrets and sessions, Gemini's ephemeral auth tokens for its Live API). The wallet
/// serves none of them, to any app: an app never holds a credential of the owner's, short-lived
/// or not, and what it would spend with one is neither capped nor logged.
public enum CredentialMintingEndpoint {
    /// Whether `method path` (the path under the provider's prefix, without its query) in
    /// `family`'s API (`nil` for a local server) asks for such a credential.
    public static func matches(method: String, path: some StringProtocol, family: APIFamily?) -> Bool {
        // As sent upstream, whatever its case (the wallet upper-cases the method it sends).
        guard HeaderText.name(method, is: "post") else { return false }
        switch family {
        case .openai?, nil:
            // OpenAI's (`/v1/realtime/…`) and Azure's (`/openai/v1/realtime/…`, `/openai/realtimeapi/sessions`).
            return path.hasByteSuffix("/realtime/client_secrets") || path.hasByteSuffix("/realtime/sessions")
                || path.hasByteSuffix("/realtime/transcription_sessions") || path.hasByteSuffix("/realtimeapi/sessions")
        case .gemini?:
            return path.hasByteSuffix("/auth_tokens")
        case .anthropic?, .cohere?:
            return false
        }
    }

    /// The refusal of such a request.
    public static let refusal = ByokyError(
        .providerUnavailable,
        "The wallet does not serve this endpoint: it would hand the app a credential of yours (an ephemeral key) that works without the wallet, uncapped and unlogged"
    )
}
