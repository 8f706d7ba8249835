package import ByokyCore
import Foundation

/// Drives `Tests/Interop/sdk_client.py`: one official provider SDK call against a base URL, made
/// by one of a few long-running copies of the script (`--serve`).
package enum SDKClient {
    /// One cell of the family × streaming × tools matrix.
    package struct Case: Sendable, CustomStringConvertible {
        package let family: APIFamily
        package let streaming: Bool
        package let tools: Bool

        package init(family: APIFamily, streaming: Bool, tools: Bool) {
            self.family = family
            self.streaming = streaming
            self.tools = tools
        }

        /// Requests the client makes: an OpenAI stream is read three times, asking for usage and
        /// not (then every chunk must have a choice), and through the SDK's own accumulator.
        package var requestCount: Int { family == .openai && streaming ? 3 : 1 }

        package var description: String {
            "\(family.rawValue) \(streaming ? "stream" : "plain")\(tools ? " tools" : "")"
        }
    }

    /// Every family, plain and streaming, with and without tools.
    package static let matrix: [Case] = APIFamily.allCases.flatMap { family in
        [false, true].flatMap { streaming in
            [false, true].map { Case(family: family, streaming: streaming, tools: $0) }
        }
    }

    /// Two long-running clients: the SDKs are imported once each, not once per request.
    static let workers = PythonWorkerPool(script: "sdk_client.py", size: 2)

    /// The Python modules the client needs.
    package static let modules = ["anthropic", "openai", "google.genai", "cohere"]

    /// The text the mock answers to the prompt "Hello there" with its default length.
    package static let mockReplyToHelloThere = "Mock reply to: Hello there word1 word2 word3 word4 word5 word6 word7"

    /// The base URL an SDK of `family` is given for a server whose provider routes start at `root`.
    package static func baseURL(root: String, family: APIFamily) -> String {
        family == .openai ? root + "/v1" : root
    }

    /// Lists the models with `family`'s SDK and looks up the first one, as an app does when it
    /// starts: `models` (ids), `names`, `retrieved` (the id looked up) and `type`.
    package static func listModels(family: APIFamily, baseURL: String, apiKey: String) async throws -> [String: Any] {
        try await call(["family": family.rawValue, "base_url": baseURL, "api_key": apiKey, "mode": "models"])
    }

    /// The SDK's own token count of one user message with `prompt`: `input_tokens` (or
    /// `error_status`/`error_type` on an API error). Anthropic and Gemini count.
    package static func countTokens(
        family: APIFamily,
        baseURL: String,
        apiKey: String,
        model: String,
        prompt: String
    ) async throws -> [String: Any] {
        try await call([
            "family": family.rawValue, "base_url": baseURL, "api_key": apiKey, "mode": "count", "model": model,
            "prompt": prompt,
        ])
    }

    /// One call of OpenAI's Responses API with the official SDK (streamed through its accumulator
    /// when `streaming`): what ``run(_:baseURL:apiKey:prompt:)`` returns, plus `events`, the
    /// streamed event types.
    package static func responses(
        baseURL: String,
        apiKey: String,
        model: String,
        streaming: Bool,
        tools: Bool,
        prompt: String = "Hello there"
    ) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": model,
            "mode": streaming ? "responses-stream" : "responses", "tools": tools, "prompt": prompt,
        ])
    }

    /// OpenAI's embeddings of two texts with the official SDK: `count`, `dimensions` and
    /// `input_tokens` (or `error_status`/`error_type` on an API error).
    package static func embeddings(
        baseURL: String,
        apiKey: String,
        model: String,
        prompt: String
    ) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": model, "mode": "embeddings",
            "prompt": prompt,
        ])
    }

    /// OpenAI's moderation of `prompt` with the official SDK: `count`, `flagged`, `categories`
    /// (how many the first result names), `harassment_score` and `model` (or
    /// `error_status`/`error_type` on an API error).
    package static func moderations(baseURL: String, apiKey: String, prompt: String) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": "omni-moderation-latest",
            "mode": "moderations", "prompt": prompt,
        ])
    }

    /// OpenAI's image generation (two images) and an edit of a PNG of `width`×`height` (its
    /// header and `size` filler bytes, uploaded as form data) with the official SDK. Returns the
    /// images counted in each answer and their usage's totals (or `error_status`/`error_type`).
    package static func images(
        baseURL: String,
        apiKey: String,
        model: String,
        width: Int = 1024,
        height: Int = 1024,
        size: Int = 100_000
    ) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": model, "mode": "images",
            "prompt": "A lighthouse at dusk", "width": width, "height": height, "size": size,
        ])
    }

    /// What OpenAI keeps, with the official SDK: a response made and read back, a chat
    /// completion made with `store=True`, read back and its metadata changed, a conversation made
    /// and an item added. Returns each answer's `…_tokens` totals (made and read back),
    /// `updated_metadata`, the `conversation` id and the `items` added (or
    /// `error_status`/`error_type`).
    /// With `background`, also a response made in the background (`background`: its `status`,
    /// whether it had `usage`, and its `read_status` and `read_tokens` when read back).
    package static func stored(
        baseURL: String,
        apiKey: String,
        model: String,
        background: Bool = false
    ) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": model, "mode": "stored",
            "prompt": "Write a line about the sea.", "background": background,
        ])
    }

    /// OpenAI's transcription of the audio file at `path`, uploaded as `filename` with the
    /// official SDK, asked as plain text (an answer with no usage). Returns its `text` (or
    /// `error_status`/`error_type`).
    package static func transcribe(
        baseURL: String,
        apiKey: String,
        model: String,
        path: String,
        filename: String
    ) async throws -> [String: Any] {
        try await call([
            "family": "openai", "base_url": baseURL, "api_key": apiKey, "model": model, "mode": "transcribe",
            "path": path, "filename": filename,
        ])
    }

    /// Gemini's Files API with the official SDK: uploads `content` as a text file (its resumable
    /// upload), reads it back by name, lists the files and deletes it. Returns the file's `name`,
    /// `size_bytes`, `mime_type`, `display_name` and `state`, the `fetched_name` and
    /// `fetched_size_bytes` read back, and the `listed` names (or `error_status`/`error_type`).
    package static func geminiFiles(baseURL: String, apiKey: String, content: String) async throws -> [String: Any] {
        try await call(["family": "gemini", "base_url": baseURL, "api_key": apiKey, "mode": "files", "prompt": content])
    }

    /// Calls the SDK and returns what it understood (or `error_status`/`error_type` on an API error).
    /// `maxRetries`: the Anthropic and OpenAI SDKs' retries (theirs default to 2; none here unless
    /// asked, so a test's errors come at once).
    package static func run(
        _ item: Case,
        baseURL: String,
        apiKey: String,
        prompt: String = "Hello there",
        maxRetries: Int = 0
    ) async throws -> [String: Any] {
        let request: [String: Any] = [
            "family": item.family.rawValue, "base_url": baseURL, "api_key": apiKey,
            "model": ModelCatalog.defaultModel(for: item.family), "mode": item.streaming ? "stream" : "plain",
            "tools": item.tools, "prompt": prompt, "max_retries": maxRetries,
        ]
        return try await call(request)
    }

    /// One request to a worker, and its answer.
    private static func call(_ request: [String: Any]) async throws -> [String: Any] {
        let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let output = try await workers.call(input)
        guard let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw CocoaError(.propertyListReadCorrupt)
        }
        if let failure = result["worker_error"] as? String {
            throw PythonInterop.Failure(status: 1, standardError: failure)
        }
        return result
    }
}
