import ByokyCore
import Hummingbird

extension MockHandler {
    /// `POST …/embeddings` (the OpenAI family's): a vector of ``embeddingDimensions`` (or the
    /// request's `dimensions`) for each input, as floats or, with `encoding_format: "base64"` (what
    /// the official SDK asks for), as the base64 of their little-endian float32 bytes; the usage
    /// counts the input alone (`prompt_tokens` equal to `total_tokens`), a token for four bytes.
    func respondToEmbeddings(_ request: Request) async throws -> Response {
        let read: OpenAIRequestRead
        switch try await readOpenAIRequest(request) {
        case .refused(let refusal): return refusal
        case .read(let request): read = request
        }
        let (object, model) = (read.object, read.model)
        let inputs: [String]
        switch object["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let items)?: inputs = items.compactMap(\.stringValue)
        default: return error(.invalidRequest, "Missing required parameter: 'input'.", family: .openai)
        }
        guard !inputs.isEmpty else { return error(.invalidRequest, "'input' must not be empty.", family: .openai) }
        let asked = object["dimensions"]?.numberValue.map { Int(max(1, min($0, 4096))) }
        let dimensions = asked ?? Self.embeddingDimensions
        let asBase64 = object["encoding_format"]?.stringValue == "base64"
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            let vector = (0..<dimensions).map { Float(($0 + text.utf8.count + index) % 17) / 17 }
            let embedding: JSONValue =
                asBase64
                ? .string(
                    Base64.encode(
                        vector.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
                    )
                )
                : .array(vector.map { .number(Double($0)) })
            return .object(["object": .string("embedding"), "index": .number(Double(index)), "embedding": embedding])
        }
        let tokens = Double(inputs.reduce(0) { $0 + max(1, $1.utf8.count / 4) })
        return json(
            MockRenderer.bytes(
                .object([
                    "object": .string("list"), "data": .array(data), "model": .string(model),
                    "usage": .object(["prompt_tokens": .number(tokens), "total_tokens": .number(tokens)]),
                ])
            )
        )
    }

    /// The length of the mock's vectors when the request names none.
    static let embeddingDimensions = 8
}
