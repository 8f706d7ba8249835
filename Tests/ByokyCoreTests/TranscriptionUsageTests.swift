import ByokyCore
import Testing

/// A transcription billed by its audio's length (OpenAI's whisper-1) counts as the tokens the
/// most any provider counts for that much audio; one billed in tokens counts its tokens.
struct TranscriptionUsageTests {
    static func usage(_ json: String) -> TokenUsage? {
        UsageExtractor.usage(fromJSON: Array(json.utf8), provider: .openai)
    }

    @Test func aLengthIsCountedAtTheMostAnyProviderCounts() {
        let whisper = Self.usage(#"{"text":"Hello","usage":{"type":"duration","seconds":12}}"#)
        #expect(whisper == TokenUsage(inputTokens: 12 * UsageExtractor.audioTokensPerSecond, outputTokens: 0))
        // A fraction of a second counts whole; the member read when the object must be parsed too.
        let fraction = Self.usage(#"{"usage":{"seconds":1.5,"type":"duration"},"text":"\u0048i"}"#)
        #expect(fraction?.inputTokens == 48)
        let escaped = Self.usage(#"{"text":"Hi","usage":{"type":"duration","sec\u006fnds":2}}"#)
        #expect(escaped?.inputTokens == 64)
    }

    @Test func tokensAreCountedAsTheyCome() {
        let transcribe = Self.usage(
            #"{"text":"Hi","usage":{"type":"tokens","input_tokens":120,"output_tokens":8,"total_tokens":128}}"#
        )
        #expect(transcribe == TokenUsage(inputTokens: 120, outputTokens: 8))
    }

    @Test func oddLengthsStayBounded() {
        #expect(Self.usage(#"{"usage":{"type":"duration","seconds":1e300}}"#)?.inputTokens == TokenUsage.largestCount)
        #expect(Self.usage(#"{"usage":{"type":"duration","seconds":-5}}"#) == nil)
        #expect(Self.usage(#"{"text":"no usage"}"#) == nil)
    }
}
