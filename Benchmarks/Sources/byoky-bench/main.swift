import ByokyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Prints throughput numbers for the hot paths of ByokyCore, on one core.
// Usage: byoky-bench [megabytes] [runs]   (defaults: 50 MB, 5 runs; best run is reported)

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let megabytes = arguments.first ?? 50
let runs = arguments.dropFirst().first ?? 5
let chunkSize = 16 * 1024

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func measure(_ name: String, bytes: Int, runs: Int, _ body: () -> Int) {
    var best = Double.infinity
    var check = 0
    for _ in 0..<runs {
        let start = now()
        check = body()
        best = min(best, now() - start)
    }
    let megabytesPerSecond = Double(bytes) / 1_048_576 / best
    let line = "\(name): \(String(format: "%.1f", megabytesPerSecond)) MB/s"
    print(line + "  (best of \(runs), \(String(format: "%.3f", best)) s, check \(check))")
}

extension String {
    init(format: String, _ value: Double) {
        let scale = format == "%.1f" ? 10.0 : 1000.0
        let rounded = (value * scale).rounded() / scale
        self = "\(rounded)"
    }
}

let stream = StreamCorpus.mixed(byteCount: megabytes * 1_048_576)
print("corpus: \(stream.count) bytes of Anthropic and OpenAI SSE, fed in \(chunkSize)-byte chunks")

stream.withUnsafeBytes { buffer in
    measure("SSE decode", bytes: buffer.count, runs: runs) {
        var decoder = SSEDecoder()
        var events = 0
        var offset = 0
        while offset < buffer.count {
            let end = min(offset + chunkSize, buffer.count)
            try! decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[offset..<end])) { _ in events += 1 }
            offset = end
        }
        return events
    }
    measure("Usage meter (SSE)", bytes: buffer.count, runs: runs) {
        var meter = UsageMeter(provider: .anthropic, contentType: "text/event-stream")
        var offset = 0
        while offset < buffer.count {
            let end = min(offset + chunkSize, buffer.count)
            meter.consume(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
            offset = end
        }
        return meter.finish()?.outputTokens ?? -1
    }
}

TranslationBench.runStreams(megabytes: megabytes, runs: runs, chunkSize: chunkSize)
TranslationBench.runRequest(runs: runs)
