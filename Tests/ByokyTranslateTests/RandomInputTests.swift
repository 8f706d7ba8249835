import ByokyCore
import ByokyTesting
import Foundation
import Testing

@testable import ByokyTranslate

/// Seeded random inputs (mutated fixtures and noise) for request, response and stream translation:
/// nothing crashes, every call returns, and output stays proportional to input.
/// This deterministic test runs with every `swift test`; the coverage-guided libFuzzer target in
/// `Fuzz/` (scripts/fuzz.sh) explores further. Run longer with BYOKY_FUZZ_ITERATIONS.
///
/// Each loop yields between inputs: the work is long and CPU-bound, and without yielding it would
/// hold the cooperative threads every other test (and the servers they start) needs.
@Suite struct RandomInputTests {
    static let iterations = Int(ProcessInfoLite.environment("BYOKY_FUZZ_ITERATIONS") ?? "") ?? 300

    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        let tokens: [[UInt8]] = [
            "{", "}", "[", "]", "\"", ",", ":", "null", "-1", "1e999", "\\u", "\n\n", "data: ", "[DONE]", "\u{FFFF}",
            "\\",
        ]
        .map { Array($0.utf8) }
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
            guard !bytes.isEmpty else { break }
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: bytes.remove(at: position)
            case 2: bytes.insert(contentsOf: tokens.randomElement(using: &generator)!, at: position)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    @Test func requestsNeverCrash() async throws {
        var generator = SeededGenerator(seed: 11)
        for family in APIFamily.allCases {
            let seed = try Fixtures.bytes("\(family.rawValue)/request.json")
            for _ in 0..<Self.iterations {
                await Task.yield()
                let input = Self.mutate(seed, using: &generator)
                for target in APIFamily.allCases where target != family {
                    let (provider, model) = Fixtures.target(target)
                    if let outbound = try? ChatTranslator.translateRequest(
                        input,
                        path: Fixtures.chatPath(family),
                        from: family,
                        to: provider,
                        model: model,
                        requestID: "f"
                    ) {
                        #expect(outbound.body.count < input.count * 4 + 4096)
                    }
                }
            }
        }
    }

    @Test func responsesNeverCrash() async throws {
        var generator = SeededGenerator(seed: 12)
        for (source, target) in Fixtures.pairs {
            let seed = try Fixtures.bytes("\(target.rawValue)/response-tool.json")
            let translator = ChatTranslator(context: Fixtures.context(from: source, to: target))
            for _ in 0..<Self.iterations / 4 {
                await Task.yield()
                let result = translator.translateResponse(
                    Self.mutate(seed, using: &generator),
                    status: [200, 400, 500].randomElement(using: &generator)!
                )
                #expect([200, 400, 500, 502].contains(result.status))
                #expect(!result.body.isEmpty)
            }
        }
    }

    @Test func streamsNeverCrash() async throws {
        var generator = SeededGenerator(seed: 13)
        for (source, target) in Fixtures.pairs {
            let seed = try Fixtures.bytes("\(target.rawValue)/stream-tool.sse")
            for _ in 0..<Self.iterations / 4 {
                await Task.yield()
                let input = Self.mutate(seed, using: &generator)
                var translator = ChatTranslator(context: Fixtures.context(from: source, to: target, streaming: true))
                    .makeStreamTranslator()
                var output = translator.translate(input)
                output += translator.finish()
                #expect(output.count < input.count * 6 + 4096)
                // Whatever happened, the app's stream ends: with a stop or with an error.
                let accumulated = try StreamAccumulator.read(
                    output,
                    family: source,
                    context: Fixtures.context(from: source, to: target)
                )
                #expect(accumulated.sawStop || !accumulated.errors.isEmpty)
            }
        }
    }

    @Test func noiseNeverCrashes() async {
        var generator = SeededGenerator(seed: 14)
        for _ in 0..<Self.iterations {
            await Task.yield()
            let noise = (0..<Int.random(in: 0..<512, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? JSONNode.parse(noise)
            for (source, target) in Fixtures.pairs {
                var translator = ChatTranslator(context: Fixtures.context(from: source, to: target, streaming: true))
                    .makeStreamTranslator()
                _ = translator.translate(noise) + translator.finish()
            }
        }
    }
}

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }
}
