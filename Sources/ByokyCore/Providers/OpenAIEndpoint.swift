/// The OpenAI API's endpoints that generate text, however a provider of its family prefixes them
/// (`/v1`, `/openai/v1`, `/api/v1`, `/openai/deployments/{deployment}`, none).
public enum OpenAIEndpoint {
    /// Whether `path` (without its query) is Chat Completions or the legacy Completions: its last
    /// segment is `completions` (`…/chat/completions`, `…/completions`).
    public static func isCompletions(path: some StringProtocol) -> Bool {
        segments(of: path).last?.elementsEqual("completions".utf8) == true
    }

    /// Whether `path` (without its query) creates a response of the Responses API (`…/responses`)
    /// or counts its input tokens (`…/responses/input_tokens`).
    public static func isResponses(path: some StringProtocol) -> Bool {
        var segments = segments(of: path)
        guard let last = segments.popLast() else { return false }
        if last.elementsEqual("responses".utf8) { return true }
        return last.elementsEqual("input_tokens".utf8) && segments.last?.elementsEqual("responses".utf8) == true
    }

    /// The path's segments, empty ones (a doubled or trailing slash) left out.
    private static func segments<Path: StringProtocol>(of path: Path) -> [Path.UTF8View.SubSequence] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }
}
