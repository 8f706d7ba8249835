import ByokyCore
import ByokyTesting
import Testing

/// The usage-only chunk leaves an OpenAI stream; every other byte stays as it came, wherever the
/// stream is cut into chunks.
struct UnrequestedUsageFilterTests {
    static let usage =
        #"{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"#
    static let first =
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hé"},"finish_reason":null}],"usage":null}"#
    static let finish = #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "LF",
            input: "data: \(first)\n\ndata: \(finish)\n\ndata: \(usage)\n\ndata: [DONE]\n\n",
            expected: "data: \(first)\n\ndata: \(finish)\n\ndata: [DONE]\n\n"
        ),
        Case(
            name: "CRLF",
            input: "data: \(first)\r\n\r\ndata: \(finish)\r\n\r\ndata: \(usage)\r\n\r\ndata: [DONE]\r\n\r\n",
            expected: "data: \(first)\r\n\r\ndata: \(finish)\r\n\r\ndata: [DONE]\r\n\r\n"
        ),
        Case(
            name: "CR and comments",
            input: ": keep-alive\r\rdata:\(first)\r\rdata:\(usage)\r\rdata: [DONE]\r\r",
            expected: ": keep-alive\r\rdata:\(first)\r\rdata: [DONE]\r\r"
        ),
        Case(
            name: "no usage chunk",
            input: "data: \(first)\n\ndata: [DONE]\n\n",
            expected: "data: \(first)\n\ndata: [DONE]\n\n"
        ),
        Case(
            name: "usage with choices is kept (Mistral style)",
            input: "data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"total_tokens\":1}}\n\n",
            expected: "data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"total_tokens\":1}}\n\n"
        ),
        Case(
            name: "stream cut inside the last event",
            input: "data: \(first)\n\ndata: [DO",
            expected: "data: \(first)\n\ndata: [DO"
        ),
    ]

    @Test(arguments: cases)
    func dropsOnlyTheUsageChunkAtEverySplitPoint(item: Case) {
        let input = Array(item.input.utf8)
        for chunks in ChunkSplits.everySplitPoint(input) + (1...4).map({ ChunkSplits.fixedSize(input, size: $0) }) {
            var filter = UnrequestedUsageFilter()
            var output: [UInt8] = []
            for chunk in chunks { output += filter.filter(chunk) }
            output += filter.finish()
            #expect(String(decoding: output, as: UTF8.self) == item.expected)
        }
    }

    @Test func completeEventsArePassedOnAtOnce() {
        var filter = UnrequestedUsageFilter()
        let out = filter.filter(Array("data: \(Self.first)\n\ndata: {\"cho".utf8))
        #expect(String(decoding: out, as: UTF8.self) == "data: \(Self.first)\n\n")
    }

    @Test func aHugeEventIsPassedOnWithoutBeingHeldWhole() {
        var filter = UnrequestedUsageFilter()
        let big = Array("data: \"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 2_000_000)
        var passed = 0
        for chunk in ChunkSplits.fixedSize(big, size: 65_536) { passed += filter.filter(chunk).count }
        passed += filter.filter(Array("\"\n\n".utf8)).count
        #expect(passed == big.count + 3)
    }
}
