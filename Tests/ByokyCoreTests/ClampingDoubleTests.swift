import ByokyCore
import Testing

/// Numbers read from the network turn into integers without trapping, however large.
struct ClampingDoubleTests {
    @Test func valuesAreFlooredAndHeldInTheirRange() {
        #expect(Int.clamping(7.9, to: 0...1) == 1)
        #expect(Int.clamping(0.9, to: 0...1) == 0)
        #expect(Int.clamping(-3, to: 0...1) == 0)
        #expect(Int.clamping(1e300, to: 0...1) == 1)
        #expect(Int.clamping(-1e300, to: 0...1) == 0)
        #expect(Int.clamping(.infinity, to: 0...Int.max) == Int.max)
        #expect(Int.clamping(9.3e18, to: 0...Int.max) == Int.max)
        #expect(Int.clamping(-9.3e18, to: Int.min...0) == Int.min)
        #expect(Int.clamping(.nan, to: 0...5) == 0)
        #expect(Int.clamping(12_345.6, to: 0...Int.max) == 12_345)
    }

    @Test func hostileNumbersOnTheWireDoNotTrap() throws {
        // A relay client's priority (found by the relay fuzzer: 1e300 trapped the conversion).
        #expect(
            try RelayMessage.parse(
                #"{"type":"relay:auth","roomId":"g","authToken":"t","role":"sender","priority":1e300}"#
            )
                == .auth(roomID: "g", authToken: "t", role: .sender, priority: 1)
        )
        #expect(
            try RelayMessage.parse(
                #"{"type":"relay:auth","roomId":"g","authToken":"t","role":"sender","priority":-1e300}"#
            )
                == .auth(roomID: "g", authToken: "t", role: .sender, priority: 0)
        )
        // A provider's token counts, held where their sums cannot overflow.
        let usage = UsageExtractor.usage(
            fromJSON: Array(#"{"usage":{"input_tokens":1e300,"output_tokens":3}}"#.utf8),
            provider: .anthropic
        )
        #expect(usage?.inputTokens == TokenUsage.largestCount && usage?.outputTokens == 3)
        // A gift's share used, however far past its budget.
        #expect(GiftBudget.percentUsed(used: Int.max, max: 1) == 100)
    }
}
