import ByokyCore

/// Writes a ``MockReply`` as each family's JSON body or event sequence.
enum MockRenderer {
    static let created = 1_764_000_000.0

    static func body(_ reply: MockReply, family: APIFamily) -> [UInt8] {
        switch family {
        case .anthropic: bytes(anthropicMessage(reply))
        case .openai: bytes(openAICompletion(reply))
        case .gemini:
            bytes(geminiResponse(reply, parts: geminiParts(reply), final: true, candidatesTokens: reply.outputTokens))
        case .cohere: bytes(cohereResponse(reply))
        }
    }

    static func events(_ reply: MockReply, family: APIFamily, includeUsage: Bool) -> [ServerSentEvent] {
        switch family {
        case .anthropic: anthropicEvents(reply)
        case .openai: openAIEvents(reply, includeUsage: includeUsage)
        case .gemini: geminiEvents(reply)
        case .cohere: cohereEvents(reply)
        }
    }

    static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    static func event(_ type: String?, _ value: JSONValue) -> ServerSentEvent {
        ServerSentEvent(type: type, data: bytes(value))
    }

    /// Splits a tool call's argument text into a few stream fragments, as providers do.
    static func fragments(of text: String) -> [String] {
        let characters = Array(text)
        let size = max(1, characters.count / 3 + 1)
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }

    /// Rewrites LF line ends as CRLF (Gemini's streams use CRLF).
    static func crlfLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { out.append(UInt8(ascii: "\r")) }
            out.append(byte)
        }
        return out
    }
}
