import ByokyCore
import Hummingbird

extension MockHandler {
    /// `POST /v1/images/generations` (a JSON prompt), `/v1/images/edits` (form data: the prompt
    /// and the images to change) and `/v1/images/variations` (DALL·E 2's, form data: an image,
    /// no prompt), as OpenAI answers: the images drawn (`n` of them, each a
    /// tiny PNG as base64) and, for the GPT Image models, usage in tokens: the prompt's text at
    /// a token for four bytes, each uploaded image at ``MockProvider/inlineMediaTokens``, each
    /// image drawn at ``MockProvider/drawnImageTokens``. DALL·E's answers carry no usage.
    func draw(_ request: Request) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        let body = Array(try await request.body.collect(upTo: MockProvider.maximumRequestSize).readableBytesView)
        var fields: [String: String] = [:]
        var uploads = 0
        if let contentType = request.headers[.contentType],
            let parts = MultipartForm.parts(of: body, contentType: contentType)
        {
            for part in parts {
                if part.filename != nil {
                    uploads += 1
                } else if let name = part.name {
                    fields[name] = String(decoding: part.body, as: UTF8.self)
                }
            }
            if uploads == 0 { return error(.invalidRequest, "image: field required", family: .openai) }
        } else if let parsed = JSONCoding.parse(body), case .object(let object) = parsed {
            for (name, value) in object {
                if let text = value.stringValue {
                    fields[name] = text
                } else if let number = value.numberValue {
                    fields[name] = String(Int(number))
                }
            }
        } else {
            return error(.invalidRequest, "The request body is not a JSON object", family: .openai)
        }
        let isVariation = request.uri.path.hasSuffix("/variations")
        let prompt = fields["prompt"] ?? ""
        if prompt.isEmpty, !isVariation {
            return error(.invalidRequest, "Missing required parameter: 'prompt'.", family: .openai)
        }
        let model = fields["model"] ?? "dall-e-2"
        let count = Int(fields["n"] ?? "1") ?? 1
        guard (1...10).contains(count) else {
            return error(.invalidRequest, "Invalid 'n': must be between 1 and 10.", family: .openai)
        }
        let image = JSONValue.object(["b64_json": .string(Self.drawnImage)])
        var answer: [String: JSONValue] = [
            "created": .number(1_767_225_600), "data": .array(Array(repeating: image, count: count)),
        ]
        if !model.hasPrefix("dall-e") {
            let text = max(1, prompt.utf8.count / 4)
            let images = uploads * MockProvider.inlineMediaTokens
            let output = count * MockProvider.drawnImageTokens
            answer["usage"] = .object([
                "input_tokens": .number(Double(text + images)), "output_tokens": .number(Double(output)),
                "total_tokens": .number(Double(text + images + output)),
                "input_tokens_details": .object([
                    "text_tokens": .number(Double(text)), "image_tokens": .number(Double(images)),
                ]),
            ])
        }
        return json(MockRenderer.bytes(.object(answer)))
    }

    /// A 1×1 PNG, as base64.
    static let drawnImage =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
}
