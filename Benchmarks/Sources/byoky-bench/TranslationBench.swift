import ByokyCore
import ByokyTranslate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stream and request translation throughput.
enum TranslationBench {
    /// Peak resident memory so far, in MiB.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }

    static func context(from source: APIFamily, to target: APIFamily) -> TranslationContext {
        TranslationContext(
            sourceFamily: source,
            targetFamily: target,
            targetProvider: ProviderID(target.rawValue),
            sourceModel: "app-model",
            targetModel: "target-model",
            isStreaming: true,
            includeStreamUsage: true,
            requestID: "bench"
        )
    }

    static func runStreams(megabytes: Int, runs: Int, chunkSize: Int) {
        let cases: [(String, APIFamily, APIFamily, [UInt8])] = [
            (
                "anthropic upstream → openai app", .openai, .anthropic,
                StreamCorpus.longAnthropic(byteCount: megabytes * 1_048_576)
            ),
            (
                "openai upstream → anthropic app", .anthropic, .openai,
                StreamCorpus.longOpenAI(byteCount: megabytes * 1_048_576)
            ),
        ]
        for (name, source, target, stream) in cases {
            let before = peakResidentMegabytes()
            stream.withUnsafeBytes { buffer in
                measure("Stream translation, \(name)", bytes: buffer.count, runs: runs) {
                    var translator = ChatTranslator(context: context(from: source, to: target)).makeStreamTranslator()
                    var produced = 0
                    var offset = 0
                    while offset < buffer.count {
                        let end = min(offset + chunkSize, buffer.count)
                        produced += translator.translate(UnsafeRawBufferPointer(rebasing: buffer[offset..<end])).count
                        offset = end
                    }
                    produced += translator.finish().count
                    precondition(translator.isCleanFinish, "the benchmark stream must end cleanly")
                    return produced
                }
            }
            let after = peakResidentMegabytes()
            print(
                "  peak RSS \(String(format: "%.1f", after)) MiB (grew \(String(format: "%.1f", after - before)) MiB while translating \(stream.count / 1_048_576) MiB)"
            )
        }
    }

    static func runRequest(runs: Int) {
        let image = String(repeating: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ", count: 1_048_576 / 44)
        let body = Array(
            (#"{"model":"claude-sonnet-4-6","max_tokens":1024,"system":"You describe images.","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""#
                + image + #""}},{"type":"text","text":"What is in this image?"}]}]}"#).utf8
        )
        let provider = ProviderRegistry.provider(.openai)!
        var best = Double.infinity
        for _ in 0..<runs {
            let start = now()
            for _ in 0..<10 {
                _ = try! ChatTranslator.translateRequest(
                    body,
                    path: "/v1/messages",
                    from: .anthropic,
                    to: provider,
                    model: "gpt-5.4",
                    requestID: "bench"
                )
            }
            best = min(best, (now() - start) / 10)
        }
        print(
            "Request translation, \(body.count) bytes with an image, anthropic → openai: \(String(format: "%.3f", best * 1000)) ms (best of \(runs) × 10)"
        )
    }
}
