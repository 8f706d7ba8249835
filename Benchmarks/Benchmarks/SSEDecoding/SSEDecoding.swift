import Benchmark
import ByokyCore

/// Allocation and time benchmarks for the SSE decoder (CI gates on `mallocCountTotal`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        maxDuration: .seconds(2)
    )

    let turn: [UInt8] = {
        var writer = SSEWriter()
        for index in 0..<100 {
            writer.writeEvent(
                type: "content_block_delta",
                data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word \#(index)"}}"#
            )
        }
        return writer.takeBytes()
    }()

    Benchmark("SSE decode, 100 Anthropic text deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = SSEDecoder()
            var count = 0
            try decoder.feed(turn) { _ in count += 1 }
            blackHole(count)
        }
    }

    Benchmark("Usage meter, 100 Anthropic text deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var meter = UsageMeter(provider: .anthropic, contentType: "text/event-stream")
            meter.consume(turn)
            blackHole(meter.finish())
        }
    }
}
