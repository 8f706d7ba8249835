extension UsageReport {
    /// Reads the usage-bearing parts of a parsed object (the same lenient reading as `Decodable`:
    /// wrong types count as absent). Faster than `JSONDecoder`, which the proxy felt per request.
    init?(_ node: JSONNode) {
        guard case .object = node else { return nil }
        type = node["type"]?.stringValue
        usage = Counts(node["usage"])
        // Gemini field names may be snake_case too (proto3 JSON).
        usageMetadata = GeminiCounts(node["usageMetadata"] ?? node["usage_metadata"])
        message = Nested(node["message"])
        delta = Nested(node["delta"])
        x_groq = Nested(node["x_groq"])
        response = Nested(node["response"])
    }

    /// The top-level members ``init(_:)`` reads.
    static let memberNames = [
        "type", "usage", "usageMetadata", "usage_metadata", "message", "delta", "x_groq", "response",
    ]
    private static let memberKeys = JSONTopLevelScanner.Keys(memberNames)

    /// Parses `bytes` as one object, or as an array of objects (Gemini without `alt=sse`).
    ///
    /// Of an object only the members that can carry usage are parsed; the rest (the answer's
    /// content, most of its bytes) is skipped unread.
    static func reports(in bytes: some Collection<UInt8>) -> [UsageReport] {
        let scanned = bytes.withContiguousStorageIfAvailable { buffer in
            usageMembers(of: UnsafeRawBufferPointer(buffer))
        }
        switch scanned {
        case .members(let object)?:
            return UsageReport(object).map { [$0] } ?? []
        case .unreadable?:
            return []
        case .needsParsing?, nil:
            guard let node = try? JSONNode.parse(bytes) else { return [] }
            if let elements = node.arrayValue { return elements.compactMap(UsageReport.init) }
            return UsageReport(node).map { [$0] } ?? []
        }
    }

    /// What a scan of a body's top level gave.
    private enum ScannedBody {
        /// An object of only the usage-bearing members.
        case members(JSONNode)
        /// One of them does not parse (read as no usage, as a document that does not parse).
        case unreadable
        /// Not an object the scanner can read: the whole document must be parsed.
        case needsParsing
    }

    private static func usageMembers(of bytes: UnsafeRawBufferPointer) -> ScannedBody {
        guard let spans = JSONTopLevelScanner.valueSpans(of: memberKeys, in: bytes) else { return .needsParsing }
        var object = JSONObject()
        for (name, span) in zip(memberNames, spans) {
            guard let span else { continue }
            guard let value = try? JSONNode.parse(UnsafeRawBufferPointer(rebasing: bytes[span])) else {
                return .unreadable
            }
            object[name] = value
        }
        return .members(.object(object))
    }
}

extension UsageReport.Counts {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        input_tokens = node["input_tokens"]?.doubleValue
        output_tokens = node["output_tokens"]?.doubleValue
        prompt_tokens = node["prompt_tokens"]?.doubleValue
        completion_tokens = node["completion_tokens"]?.doubleValue
        cache_read_input_tokens = node["cache_read_input_tokens"]?.doubleValue
        cache_creation_input_tokens = node["cache_creation_input_tokens"]?.doubleValue
        prompt_tokens_details = Details(node["prompt_tokens_details"])
        completion_tokens_details = Details(node["completion_tokens_details"])
        input_tokens_details = Details(node["input_tokens_details"])
        output_tokens_details = Details(node["output_tokens_details"])
        tokens = CohereTokens(node["tokens"])
        billed_units = CohereTokens(node["billed_units"])
    }
}

extension UsageReport.Counts.Details {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        cached_tokens = node["cached_tokens"]?.doubleValue
        reasoning_tokens = node["reasoning_tokens"]?.doubleValue
    }
}

extension UsageReport.Counts.CohereTokens {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        input_tokens = node["input_tokens"]?.doubleValue
        output_tokens = node["output_tokens"]?.doubleValue
    }
}

extension UsageReport.GeminiCounts {
    init?(_ node: JSONNode?) {
        guard let given = node, case .object = given else { return nil }
        let node = GeminiFieldNames.normalized(given)
        promptTokenCount = node["promptTokenCount"]?.doubleValue
        candidatesTokenCount = node["candidatesTokenCount"]?.doubleValue
        thoughtsTokenCount = node["thoughtsTokenCount"]?.doubleValue
        cachedContentTokenCount = node["cachedContentTokenCount"]?.doubleValue
    }
}

extension UsageReport.Nested {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        usage = UsageReport.Counts(node["usage"])
    }
}
