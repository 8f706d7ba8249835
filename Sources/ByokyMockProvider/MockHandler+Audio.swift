import ByokyCore
import Hummingbird

extension MockHandler {
    /// The audio length the mock assumes for an uploaded file: 16,000 bytes a second (128 kbit/s).
    static let audioBytesPerSecond = 16_000

    /// `POST /v1/audio/transcriptions` and `/v1/audio/translations` (OpenAI): reads the multipart
    /// upload and answers as the API does for `response_format` `json` (the default): the text,
    /// and for `whisper-1` the usage by the audio's length (`{"type": "duration", "seconds"}`),
    /// for the `gpt-4o-*-transcribe` models in tokens. Other formats (`text`, `srt`, `vtt`) are
    /// plain text with no usage.
    func transcribe(_ request: Request) async throws -> Response {
        let (parts, file): ([MultipartForm.Part], MultipartForm.Part)
        switch try await readUpload(request) {
        case .refused(let refusal): return refusal
        case .read(let allParts, let upload): (parts, file) = (allParts, upload)
        }
        func field(_ name: String) -> String? {
            parts.first { $0.name == name }.map { String(decoding: $0.body, as: UTF8.self) }
        }
        guard let model = field("model"), !model.isEmpty else {
            return error(.invalidRequest, "model: field required", family: .openai)
        }
        let seconds = max(1, (file.body.count + Self.audioBytesPerSecond - 1) / Self.audioBytesPerSecond)
        let text = "Mock transcript of \(seconds) seconds."
        if let format = field("response_format"), format != "json" {
            var response = Response(status: .ok, body: .init(byteBuffer: .init(string: text)))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            return response
        }
        let usage: JSONValue =
            model.hasPrefix("whisper")
            ? .object(["type": .string("duration"), "seconds": .number(Double(seconds))])
            : .object([
                "type": .string("tokens"), "input_tokens": .number(Double(seconds * 10)),
                "output_tokens": .number(8), "total_tokens": .number(Double(seconds * 10 + 8)),
            ])
        var writer = JSONWriter()
        writer.write(.object(["text": .string(text), "usage": usage]))
        return json(writer.bytes)
    }
}

extension MockHandler {
    /// `POST /v1/audio/speech` (OpenAI): reads the text aloud as the API answers, audio bytes
    /// (`audio/mpeg`, about 1,000 bytes a character here) and no usage.
    func speak(_ request: Request) async throws -> Response {
        let read: OpenAIRequestRead
        switch try await readOpenAIRequest(
            request,
            refusing: { $0["input"]?.stringValue == nil ? "input: field required" : nil }
        ) {
        case .refused(let refusal): return refusal
        case .read(let request): read = request
        }
        let characters = read.object["input"]?.stringValue?.count ?? 0
        var response = Response(
            status: .ok,
            body: .init(byteBuffer: .init(repeating: 0xFF, count: max(1, characters) * 1_000))
        )
        response.headers[.contentType] = "audio/mpeg"
        return response
    }
}
