import ByokyCore
import Hummingbird

extension MockHandler {
    /// The categories of OpenAI's moderation models, as its answers name them.
    static let moderationCategories = [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
        "violence/graphic",
    ]

    /// `POST /v1/moderations` (OpenAI's, free of charge): a result for each input (a string, a
    /// list of strings, or a list of text and image parts), none flagged, with a score and the
    /// input types it applied to for every category; no usage, as OpenAI answers. `model` may be
    /// left out (it defaults to `omni-moderation-latest`).
    func respondToModerations(_ request: Request) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        guard let parsed = JSONCoding.parse(Array(body.readableBytesView)), case .object(let object) = parsed else {
            return error(.invalidRequest, "The request body is not a JSON object", family: .openai)
        }
        let inputs: [JSONValue]
        switch object["input"] {
        case .string?: inputs = [object["input"]!]
        case .array(let items)? where !items.isEmpty:
            // Parts (`{"type": "text" | "image_url", …}`) are one input; strings are one each.
            inputs = items.allSatisfy { $0.stringValue != nil } ? items : [.array(items)]
        default: return error(.invalidRequest, "Missing required parameter: 'input'.", family: .openai)
        }
        let results: [JSONValue] = inputs.map { input in
            let hasImage = input.arrayValue?.contains { $0["type"]?.stringValue == "image_url" } ?? false
            let types: [JSONValue] = hasImage ? [.string("text"), .string("image")] : [.string("text")]
            var categories: [String: JSONValue] = [:]
            var scores: [String: JSONValue] = [:]
            var applied: [String: JSONValue] = [:]
            for category in Self.moderationCategories {
                categories[category] = .bool(false)
                scores[category] = .number(0.0001)
                applied[category] = .array(types)
            }
            return .object([
                "flagged": .bool(false), "categories": .object(categories), "category_scores": .object(scores),
                "category_applied_input_types": .object(applied),
            ])
        }
        let model = object["model"]?.stringValue ?? "omni-moderation-latest"
        return json(
            MockRenderer.bytes(
                .object([
                    "id": .string("modr-mock01"),
                    "model": .string(model == "omni-moderation-latest" ? "omni-moderation-2024-09-26" : model),
                    "results": .array(results),
                ])
            )
        )
    }
}
