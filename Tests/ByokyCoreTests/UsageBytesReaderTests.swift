import ByokyTesting
import Testing

@testable import ByokyCore

/// The usage of a JSON answer read from its bytes is what parsing its members gives, on every
/// provider's shapes and on damaged copies of them (the reference is the parse of each member).
struct UsageBytesReaderTests {
    static let bodies = [
        #"{"id":"msg_1","type":"message","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":12,"output_tokens":9}}"#,
        #"{"type":"message","usage":{"input_tokens":10,"cache_read_input_tokens":4,"cache_creation_input_tokens":2,"output_tokens":5,"service_tier":"standard","server_tool_use":{"web_search_requests":1}}}"#,
        #"{"id":"c","object":"chat.completion","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":3,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":2,"accepted_prediction_tokens":0}}}"#,
        #"{"object":"response","usage":{"input_tokens":8,"input_tokens_details":{"cached_tokens":1},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":12}}"#,
        #"{"id":"x","finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":6},"tokens":{"input_tokens":70,"output_tokens":6}}}"#,
        #"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2},"x_groq":{"id":"r","usage":{"prompt_tokens":3,"completion_tokens":4}}}"#,
        #" { "usage" : { "input_tokens" : 1.5e1 , "output_tokens" : -0 , "input_tokens" : 7 } , "type" : "message" } "#,
        #"{"usage":{"prompt_tokens":12345678901234567890,"completion_tokens":9007199254740993,"prompt_tokens_details":null}}"#,
        #"{"usage":{"prompt_tokens":"12","completion_tokens":true,"input_tokens":[1],"output_tokens":{"n":1}}}"#,
        #"{"usage":{"input\u005ftokens":3,"output_tokens":4},"type":"message"}"#,
        #"{"usage":{"input_tokens":3,"output_tokens":4,"note":"say \"hi\"\n"},"type":"mess\u0061ge"}"#,
        #"{"usage":{},"type":"message"}"#,
        #"{"usage":[],"type":"message"}"#,
        #"{"usage":null}"#,
        #"{"usage":{"prompt_tokens_details":{"cached_tokens":1,"cached_tokens":"x"},"prompt_tokens":2,"completion_tokens":3}}"#,
        #"[{"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1}},{"usage_metadata":{"prompt_token_count":3,"candidates_token_count":5}},{"x":1}]"#,
        #"{"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"thoughtsTokenCount":1},"usage":{"input_tokens":1,"output_tokens":2}}"#,
    ]

    static let providers: [ProviderID] = [.anthropic, .openai, .cohere, .groq, .gemini]

    @Test func readsEveryShapeAsParsingItsMembersDoes() {
        for body in Self.bodies {
            Self.expectSameUsage(Array(body.utf8))
        }
    }

    /// Each body with bytes deleted, doubled or replaced, 6,000 times, seeded.
    @Test func readsDamagedBodiesAsParsingTheirMembersDoes() {
        var random = SeededGenerator(seed: 0x5EED_05A6E)
        let replacements = Array(#"{}[],:"\ 0123456789-+.eEtrufalsn"#.utf8) + [0x00, 0x0A, 0x1F, 0xC3, 0xFF]
        for round in 0..<6_000 {
            var bytes = Array(Self.bodies[round % Self.bodies.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(bytes[at], at: at)
                default: bytes[at] = replacements.randomElement(using: &random)!
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            Self.expectSameUsage(bytes)
        }
    }

    /// The bytes reader agrees with the reference, and, for a body that parses whole, with the
    /// reading of the parsed tree (what a translated answer is metered by).
    static func expectSameUsage(_ body: [UInt8]) {
        let document = try? JSONNode.parse(body)
        for provider in providers {
            let fromBytes = UsageExtractor.usage(fromJSON: body, provider: provider)
            #expect(
                fromBytes == referenceUsage(body, provider: provider),
                "\(provider.rawValue): \(String(decoding: body, as: UTF8.self))"
            )
            if let document {
                #expect(
                    UsageExtractor.usage(fromParsed: document, provider: provider) == fromBytes,
                    "parsed, \(provider.rawValue): \(String(decoding: body, as: UTF8.self))"
                )
            }
        }
    }

    /// The reading before the bytes reader: every usage-bearing member parsed, then read.
    static func referenceUsage(_ body: [UInt8], provider: ProviderID) -> TokenUsage? {
        body.withUnsafeBytes { bytes -> TokenUsage? in
            guard let spans = JSONTopLevelScanner.valueSpans(ofKeys: UsageReport.memberNames, in: bytes) else {
                guard let node = try? JSONNode.parse(bytes) else { return nil }
                let reports = node.arrayValue?.compactMap(UsageReport.init) ?? [UsageReport(node)].compactMap { $0 }
                return reports.reversed().lazy.compactMap { UsageExtractor.usage(from: $0, provider: provider) }.first
            }
            var members: [JSONNode?] = []
            for name in UsageReport.memberNames {
                guard let span = spans[name] else {
                    members.append(nil)
                    continue
                }
                guard let node = try? JSONNode.parse(UnsafeRawBufferPointer(rebasing: bytes[span])) else { return nil }
                members.append(node)
            }
            let report = UsageReport(
                type: members[0]?.stringValue,
                usage: UsageReport.Counts(members[1]),
                usageMetadata: UsageReport.GeminiCounts(members[2] ?? members[3]),
                message: UsageReport.Nested(members[4]),
                delta: UsageReport.Nested(members[5]),
                x_groq: UsageReport.Nested(members[6]),
                response: UsageReport.Nested(members[7]),
                meta: UsageReport.Counts(members[8]).map { UsageReport.Nested(usage: $0) }
            )
            return UsageExtractor.usage(from: report, provider: provider)
        }
    }
}
