import ByokyCore

/// Realistic provider streams, repeated to a target size.
enum StreamCorpus {
    /// One Anthropic Messages stream: a start, many text deltas, a tool call, usage and stop.
    static let anthropicTurn: [UInt8] = {
        var writer = SSEWriter()
        writer.writeEvent(
            type: "message_start",
            data:
                #"{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-6","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}}"#
        )
        writer.writeEvent(
            type: "content_block_start",
            data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
        )
        writer.writeEvent(type: "ping", data: #"{"type": "ping"}"#)
        let words = ["The", " answer", " depends", " on", " the", " wallet's", " routing", " — ", "naïve", " 日本"]
        for index in 0..<40 {
            writer.writeEvent(
                type: "content_block_delta",
                data:
                    #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(words[index % words.count])"}}"#
            )
        }
        writer.writeEvent(type: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#)
        writer.writeEvent(
            type: "content_block_start",
            data:
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}"#
        )
        for fragment in [#"{\"location\":"#, #" \"San Fra"#, #"ncisco, CA\""#, #", \"unit\": \"celsius\"}"#] {
            writer.writeEvent(
                type: "content_block_delta",
                data:
                    #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\#(fragment)"}}"#
            )
        }
        writer.writeEvent(type: "content_block_stop", data: #"{"type":"content_block_stop","index":1}"#)
        writer.writeEvent(
            type: "message_delta",
            data:
                #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#
        )
        writer.writeEvent(type: "message_stop", data: #"{"type":"message_stop"}"#)
        return writer.takeBytes()
    }()

    /// One OpenAI Chat Completions stream with `include_usage`.
    static let openAITurn: [UInt8] = {
        var writer = SSEWriter()
        let head =
            #"{"id":"chatcmpl-AbCdEf0123456789","object":"chat.completion.chunk","created":1764000000,"model":"gpt-5.5","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":"#
        for index in 0..<40 {
            writer.writeEvent(
                data: head + #"{"content":" token\#(index)"},"logprobs":null,"finish_reason":null}],"usage":null}"#
            )
        }
        writer.writeEvent(data: head + #"{},"logprobs":null,"finish_reason":"stop"}],"usage":null}"#)
        writer.writeEvent(
            data:
                #"{"id":"chatcmpl-AbCdEf0123456789","object":"chat.completion.chunk","created":1764000000,"model":"gpt-5.5","choices":[],"usage":{"prompt_tokens":472,"completion_tokens":41,"total_tokens":513}}"#
        )
        writer.writeEvent(data: "[DONE]")
        return writer.takeBytes()
    }()

    /// Alternating Anthropic and OpenAI turns, at least `byteCount` bytes long.
    static func mixed(byteCount: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount + anthropicTurn.count + openAITurn.count)
        while bytes.count < byteCount {
            bytes += anthropicTurn
            bytes += openAITurn
        }
        return bytes
    }
}

extension StreamCorpus {
    /// One long Anthropic answer of at least `byteCount` bytes: text deltas, a tool call, the end.
    static func longAnthropic(byteCount: Int) -> [UInt8] {
        let turn = anthropicTurn
        // The turn's middle (text deltas) repeated; its head and tail once.
        let text = String(decoding: turn, as: UTF8.self)
        let events = text.split(separator: "\n\n", omittingEmptySubsequences: true).map { Array(($0 + "\n\n").utf8) }
        let head = events.prefix(3).joined()
        let middle = Array(events[3..<43].joined())
        let tail = events[43...].joined()
        var bytes = Array(head)
        bytes.reserveCapacity(byteCount + middle.count + tail.count)
        while bytes.count < byteCount { bytes += middle }
        return bytes + tail
    }

    /// One long OpenAI answer of at least `byteCount` bytes: content chunks, the finish, usage, `[DONE]`.
    static func longOpenAI(byteCount: Int) -> [UInt8] {
        let text = String(decoding: openAITurn, as: UTF8.self)
        let events = text.split(separator: "\n\n", omittingEmptySubsequences: true).map { Array(($0 + "\n\n").utf8) }
        let middle = Array(events[0..<40].joined())
        let tail = events[40...].joined()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount + middle.count + tail.count)
        while bytes.count < byteCount { bytes += middle }
        return bytes + tail
    }
}
