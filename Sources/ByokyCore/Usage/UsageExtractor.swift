/// Reads token usage from a complete (non-streaming) provider response body.
public enum UsageExtractor {
    /// Usage from a JSON response body of `provider`, or `nil` when the body reports none
    /// (or reports it only in part, e.g. Anthropic usage without `output_tokens`).
    public static func usage(fromJSON body: some Collection<UInt8>, provider: ProviderID) -> TokenUsage? {
        switch UsageReport.scannedUsage(body, provider: provider) {
        case .usage(let usage):
            return usage
        case .unreadable:
            return nil
        case .needsParsing:
            return (try? JSONNode.parse(body)).flatMap { usage(fromParsed: $0, provider: provider) }
        }
    }

    /// Usage from a response body of `provider` already parsed (an answer parsed to translate
    /// it): what ``usage(fromJSON:provider:)`` reads from the same body's bytes.
    public static func usage(fromParsed document: JSONNode, provider: ProviderID) -> TokenUsage? {
        if let elements = document.arrayValue {
            return usage(in: elements.compactMap(UsageReport.init), provider: provider)
        }
        // One object, read without a list of reports around it (a report is large to copy).
        guard let report = UsageReport(document) else { return nil }
        return usage(from: report, provider: provider)
    }

    /// Gemini without `alt=sse` streams a JSON array of responses; the last with usage counts.
    private static func usage(in reports: [UsageReport], provider: ProviderID) -> TokenUsage? {
        // A loop, not `lazy.compactMap { … }.first`, which reads the report it finds twice.
        for report in reports.reversed() {
            if let usage = usage(from: report, provider: provider) { return usage }
        }
        return nil
    }

    /// Usage from one decoded object, following the provider's family rules.
    static func usage(from report: UsageReport, provider: ProviderID) -> TokenUsage? {
        let family = ProviderRegistry.provider(provider)?.family
        if family == .gemini || (family == nil && report.usageMetadata != nil), let gemini = report.usageMetadata {
            return geminiUsage(gemini)
        }
        let counts = report.usage ?? report.delta?.usage ?? report.response?.usage
        if let cohere = counts?.tokens ?? counts?.billed_units,
            let input = tokenCount(cohere.input_tokens), let output = tokenCount(cohere.output_tokens)
        {
            return TokenUsage(inputTokens: input, outputTokens: output)
        }
        // Cohere's embed (and v1 chat) bill in `meta.billed_units`; an embed bills input alone.
        if family == .cohere, counts == nil, let billed = report.meta?.usage?.billed_units,
            let input = tokenCount(billed.input_tokens)
        {
            return TokenUsage(inputTokens: input, outputTokens: tokenCount(billed.output_tokens) ?? 0)
        }
        if provider == .groq, let groq = report.x_groq?.usage, let usage = openAIUsage(groq) {
            return usage
        }
        if let counts {
            if family == .anthropic { return anthropicUsage(counts) }
            return openAIUsage(counts) ?? responsesUsage(counts) ?? durationUsage(counts)
        }
        return nil
    }

    /// The tokens a second of audio counts as, for a transcription billed by its length: the
    /// most any provider counts (Gemini's 32; OpenAI's token-billed transcription models about 10).
    public static let audioTokensPerSecond = 32

    /// A transcription billed by the length of its audio (OpenAI's whisper-1: `{"type":
    /// "duration", "seconds": …}`), as input at ``audioTokensPerSecond``: before, with no tokens
    /// to read, it was charged its whole hold.
    static func durationUsage(_ counts: UsageReport.Counts) -> TokenUsage? {
        guard let seconds = counts.seconds, seconds.isFinite, seconds >= 0 else { return nil }
        let tokens = Int.clamping(
            (seconds * Double(audioTokensPerSecond)).rounded(.up),
            to: 0...TokenUsage.largestCount
        )
        return TokenUsage(inputTokens: tokens, outputTokens: 0)
    }

    /// Gemini's input is the prompt plus what its own tools read (`toolUsePromptTokenCount`: a
    /// search's results, fetched pages), its output the candidates plus thoughts; should the total
    /// be larger still (a count this reader does not know), the rest counts as input, so a cap
    /// never counts less than Google does.
    static func geminiUsage(_ counts: UsageReport.GeminiCounts) -> TokenUsage? {
        guard let prompt = tokenCount(counts.promptTokenCount) else { return nil }
        let thoughts = tokenCount(counts.thoughtsTokenCount)
        let candidates = tokenCount(counts.candidatesTokenCount) ?? 0
        // Counts are at most `TokenUsage.largestCount`: their sums cannot overflow.
        let output = candidates + (thoughts ?? 0)
        var input = prompt + (tokenCount(counts.toolUsePromptTokenCount) ?? 0)
        if let total = tokenCount(counts.totalTokenCount), total > input, total - input > output {
            input = total - output
        }
        return TokenUsage(
            inputTokens: input,
            outputTokens: output,
            cacheReadTokens: tokenCount(counts.cachedContentTokenCount),
            reasoningTokens: thoughts
        )
    }

    static func anthropicUsage(_ counts: UsageReport.Counts) -> TokenUsage? {
        guard let input = tokenCount(counts.input_tokens), let output = tokenCount(counts.output_tokens) else {
            return nil
        }
        let cacheRead = tokenCount(counts.cache_read_input_tokens)
        let cacheWrite = tokenCount(counts.cache_creation_input_tokens)
        return TokenUsage(
            inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
            outputTokens: output,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: cacheWrite
        )
    }

    /// An embeddings answer reports its input alone (`prompt_tokens` equal to `total_tokens`, no
    /// `completion_tokens`): its output is none. A chat answer's usage without its output count is
    /// incomplete: no usage.
    static func openAIUsage(_ counts: UsageReport.Counts) -> TokenUsage? {
        guard let input = tokenCount(counts.prompt_tokens) else { return nil }
        let output: Int
        if let completion = tokenCount(counts.completion_tokens) {
            output = completion
        } else if tokenCount(counts.total_tokens) == input {
            output = 0
        } else {
            return nil
        }
        return TokenUsage(
            inputTokens: input,
            outputTokens: output,
            cacheReadTokens: tokenCount(counts.prompt_tokens_details?.cached_tokens),
            reasoningTokens: tokenCount(counts.completion_tokens_details?.reasoning_tokens)
        )
    }

    /// The OpenAI Responses API (and any other `input_tokens`/`output_tokens` shape outside Anthropic).
    static func responsesUsage(_ counts: UsageReport.Counts) -> TokenUsage? {
        guard let input = tokenCount(counts.input_tokens), let output = tokenCount(counts.output_tokens) else {
            return nil
        }
        return TokenUsage(
            inputTokens: input,
            outputTokens: output,
            cacheReadTokens: tokenCount(counts.input_tokens_details?.cached_tokens),
            reasoningTokens: tokenCount(counts.output_tokens_details?.reasoning_tokens)
        )
    }
}
