#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The member names of the providers' chat APIs, each made once: the parser hands one of these
/// back for a name it reads instead of making a new string (which for a name longer than 15
/// bytes costs an allocation, and for any a UTF-8 validation). Found by hashing the name's first
/// and last eight bytes into an open-addressed table: one probe, no byte-by-byte comparison for
/// a name of up to 16 bytes.
enum JSONKnownNames {
    /// The names.
    static let names = [
        // Common to several families.
        "id", "type", "role", "model", "content", "text", "name", "description", "index", "message", "messages",
        "usage", "error", "tools", "tool_choice", "temperature", "top_p", "top_k", "stream", "data", "delta",
        "input", "arguments", "parameters", "function", "tool_calls", "tool_call_id", "stop", "user", "metadata",
        "response", "properties", "required", "items", "enum", "format", "title", "default", "additionalProperties",
        // Anthropic.
        "max_tokens", "system", "stop_reason", "stop_sequence", "stop_sequences", "input_tokens", "output_tokens",
        "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation", "cache_control", "service_tier",
        "tool_use_id", "is_error", "thinking", "signature", "budget_tokens", "input_schema", "source",
        "media_type", "content_block", "partial_json", "server_tool_use", "disable_parallel_tool_use",
        // OpenAI.
        "object", "created", "choices", "finish_reason", "logprobs", "refusal", "annotations", "prompt_tokens",
        "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details",
        "cached_tokens", "reasoning_tokens", "audio_tokens", "accepted_prediction_tokens",
        "rejected_prediction_tokens", "system_fingerprint", "max_completion_tokens", "reasoning_effort",
        "response_format", "json_schema", "strict", "schema", "stream_options", "include_usage", "image_url",
        "url", "detail", "reasoning_content", "parallel_tool_calls", "seed", "n", "frequency_penalty",
        "presence_penalty", "developer", "assistant",
        // Gemini.
        "candidates", "parts", "finishReason", "finishMessage", "usageMetadata", "promptTokenCount",
        "candidatesTokenCount", "totalTokenCount", "thoughtsTokenCount", "cachedContentTokenCount",
        "promptTokensDetails", "candidatesTokensDetails", "modality", "tokenCount", "modelVersion", "responseId",
        "functionCall", "functionResponse", "args", "thought", "thoughtSignature", "inlineData", "mimeType",
        "systemInstruction", "generationConfig", "maxOutputTokens", "topP", "topK", "stopSequences",
        "functionDeclarations", "toolConfig", "functionCallingConfig", "mode", "safetyRatings", "category",
        "probability", "avgLogprobs",
        // Cohere.
        "billed_units", "tokens", "tool_plan", "citations",
    ]

    private static let table: ContiguousArray<Entry> = {
        var table = ContiguousArray(repeating: Entry(first: 0, last: 0, count: 0, name: ""), count: slotCount)
        for name in names {
            var text = name
            let (first, last) = text.withUTF8 { words(UnsafeRawPointer($0.baseAddress!), $0.count) }
            let count = name.utf8.count
            var position = slot(first, last, count)
            while table[position].count != 0, table[position].name != name {
                position = (position &+ 1) & (slotCount &- 1)
            }
            table[position] = Entry(first: first, last: last, count: count, name: name)
        }
        return table
    }()

    /// Slots for about three times as many names as there are, so a probe seldom goes on.
    private static let slotCount = 512

    /// A name by its first and last eight bytes and its length, which for a name of at most 16
    /// bytes is all of it (see ``words(_:_:)``).
    private struct Entry {
        var first: UInt64
        var last: UInt64
        var count: Int
        var name: String
    }

    /// The first and last eight bytes of a name; a shorter name's bytes in overlapping loads of
    /// four (or its first, middle and last byte), which with its length still tell it whole.
    @inline(__always)
    private static func words(_ start: UnsafeRawPointer, _ count: Int) -> (first: UInt64, last: UInt64) {
        if count >= 8 {
            return (
                start.loadUnaligned(as: UInt64.self), start.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            )
        }
        let word: UInt64
        if count >= 4 {
            word =
                UInt64(start.loadUnaligned(as: UInt32.self))
                | UInt64(start.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)) &<< 32
        } else {
            word =
                UInt64(start.load(as: UInt8.self)) | UInt64(start.load(fromByteOffset: count &>> 1, as: UInt8.self))
                &<< 8
                | UInt64(start.load(fromByteOffset: count &- 1, as: UInt8.self)) &<< 16
        }
        return (word, word)
    }

    @inline(__always)
    private static func slot(_ first: UInt64, _ last: UInt64, _ count: Int) -> Int {
        let mixed = (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        return Int(truncatingIfNeeded: mixed &>> 55) & (slotCount &- 1)
    }

    /// The known name spelled by `bytes`, or `nil`.
    static func name(_ bytes: UnsafeRawBufferPointer) -> String? {
        let count = bytes.count
        guard count > 0, count <= 64, let start = bytes.baseAddress else { return nil }
        let (first, last) = words(start, count)
        var position = slot(first, last, count)
        return table.withUnsafeBufferPointer { table in
            // At most every slot; names are far fewer, so an empty one ends the probe first.
            for _ in 0..<slotCount {
                let entryCount = table[position].count
                if entryCount == 0 { return nil }
                if entryCount == count, table[position].first == first, table[position].last == last,
                    count <= 16
                        || table[position].name.utf8.withContiguousStorageIfAvailable({
                            memcmp($0.baseAddress!, start, count) == 0
                        }) == true
                {
                    return table[position].name
                }
                position = (position &+ 1) & (slotCount &- 1)
            }
            return nil
        }
    }
}
