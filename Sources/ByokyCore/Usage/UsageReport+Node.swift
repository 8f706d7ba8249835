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
        meta = Counts(node["meta"]).map { Nested(usage: $0) }
    }

    /// The top-level members ``init(_:)`` reads.
    static let memberNames = [
        "type", "usage", "usageMetadata", "usage_metadata", "message", "delta", "x_groq", "response", "meta",
    ]
    private static let memberKeys = JSONTopLevelScanner.Keys(memberNames)

    /// The usage a scan of a body's top level finds for `provider`: of an object only the members
    /// that can carry usage are read; the rest (the answer's content, most of its bytes) is
    /// skipped unread. The report is read where it is made (it is large to copy).
    static func scannedUsage(_ bytes: some Collection<UInt8>, provider: ProviderID) -> ScannedBody {
        bytes.withContiguousStorageIfAvailable { buffer in
            usageMembers(of: UnsafeRawBufferPointer(buffer), provider: provider)
        } ?? .needsParsing
    }

    /// What a scan of a body's top level gave.
    enum ScannedBody {
        /// The usage read from the usage-bearing members alone (`nil`: they hold none).
        case usage(TokenUsage?)
        /// One of them does not parse (read as no usage, as a document that does not parse).
        case unreadable
        /// Not an object the scanner can read (an array, a member name with an escape): the whole
        /// document must be parsed.
        case needsParsing
    }

    private static func usageMembers(of bytes: UnsafeRawBufferPointer, provider: ProviderID) -> ScannedBody {
        guard let spans = JSONTopLevelScanner.valueSpans(of: memberKeys, in: bytes) else { return .needsParsing }
        // A member that is there, parsed (`nil` when absent; `.unreadable` when it does not parse).
        func parsed(_ index: Int) throws(JSONParseError) -> JSONNode? {
            guard let span = spans[index] else { return nil }
            return try JSONNode.parse(UnsafeRawBufferPointer(rebasing: bytes[span]))
        }
        do {
            // The two members of the usual answer are read from their bytes: `type` when it is a
            // plain string, `usage` when it is a plain object; anything else is parsed.
            var type: String?
            if let span = spans[0] {
                type = JSONTopLevelScanner.plainString(in: UnsafeRawBufferPointer(rebasing: bytes[span]))
                if type == nil { type = try parsed(0)?.stringValue }
            }
            var usage: Counts?
            if let span = spans[1] {
                do {
                    usage = try Counts(plainJSON: UnsafeRawBufferPointer(rebasing: bytes[span]))
                } catch .needsParser {
                    usage = Counts(try parsed(1))
                } catch {
                    return .unreadable
                }
            }
            // Every member that is there is parsed: one that does not parse makes the body unreadable.
            let (metadata, snakeCaseMetadata) = (try parsed(2), try parsed(3))
            let report = UsageReport(
                type: type,
                usage: usage,
                // Gemini field names may be snake_case too (proto3 JSON).
                usageMetadata: GeminiCounts(metadata ?? snakeCaseMetadata),
                message: Nested(try parsed(4)),
                delta: Nested(try parsed(5)),
                x_groq: Nested(try parsed(6)),
                response: Nested(try parsed(7)),
                meta: Counts(try parsed(8)).map { Nested(usage: $0) }
            )
            return .usage(UsageExtractor.usage(from: report, provider: provider))
        } catch {
            return .unreadable
        }
    }
}

/// A member's value as a token count's raw number: whole numbers (what providers send) without
/// the cost of reading a floating-point text.
private func number(_ node: JSONNode) -> Double? {
    guard case .number(let text) = node else { return nil }
    if let whole = Int(text) { return Double(whole) }
    return Double(text)
}

extension UsageReport.Counts {
    /// Read in one pass over the members (the last of a repeated name wins, as in `JSON.parse`).
    init?(_ node: JSONNode?) {
        guard case .object(let object)? = node else { return nil }
        self.init()
        for member in object {
            let name = member.key
            // By length first: a name is then compared with one or two of those read, not all.
            switch name.utf8.count {
            case 6 where name == "tokens": tokens = CohereTokens(member.value)
            case 7 where name == "seconds": seconds = number(member.value)
            case 12 where name == "input_tokens": input_tokens = number(member.value)
            case 12 where name == "billed_units": billed_units = CohereTokens(member.value)
            case 12 where name == "total_tokens": total_tokens = number(member.value)
            case 13 where name == "output_tokens": output_tokens = number(member.value)
            case 13 where name == "prompt_tokens": prompt_tokens = number(member.value)
            case 17 where name == "completion_tokens": completion_tokens = number(member.value)
            case 20 where name == "input_tokens_details": input_tokens_details = Details(member.value)
            case 21 where name == "prompt_tokens_details": prompt_tokens_details = Details(member.value)
            case 21 where name == "output_tokens_details": output_tokens_details = Details(member.value)
            case 23 where name == "cache_read_input_tokens": cache_read_input_tokens = number(member.value)
            case 25 where name == "completion_tokens_details": completion_tokens_details = Details(member.value)
            case 27 where name == "cache_creation_input_tokens":
                cache_creation_input_tokens = number(member.value)
            default: continue
            }
        }
    }
}

extension UsageReport.Counts.Details {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        cached_tokens = node["cached_tokens"].flatMap(number)
        reasoning_tokens = node["reasoning_tokens"].flatMap(number)
    }
}

extension UsageReport.Counts.CohereTokens {
    init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        input_tokens = node["input_tokens"].flatMap(number)
        output_tokens = node["output_tokens"].flatMap(number)
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
        toolUsePromptTokenCount = node["toolUsePromptTokenCount"]?.doubleValue
        totalTokenCount = node["totalTokenCount"]?.doubleValue
    }
}

extension UsageReport.Nested {
    convenience init?(_ node: JSONNode?) {
        guard let node, case .object = node else { return nil }
        self.init(usage: UsageReport.Counts(node["usage"]))
    }
}
