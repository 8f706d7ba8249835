import ByokyCore
import ByokyStore
import ByokyTesting
import Testing

@testable import ByokyDaemon
@testable import ByokyWallet

/// The bridge starts a keep-alive connection's requests with no task once a provider connection
/// is pooled on its event loop: the answers, their order and the log are those of the usual way,
/// with streamed and plain answers mixed on the one connection.
@Suite(.timeLimit(.minutes(1)))
struct DirectStartBridgeTests {
    @Test func aKeepAliveConnectionsRequestsStartWithNoTaskAndAreAllAnsweredAndRecorded() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let state = bridge.daemon.engine.state
            // Requests go until two started directly: a request whose session's records are not
            // fresh in the wallet's read cache (read at most a second ago) goes the usual way,
            // and on a loaded machine a request can come that late.
            let (words, answers) = try await RawHTTPConnection.with(port: bridge.port) { connection in
                var words: [Int] = []
                var answers: [RawHTTPConnection.Response] = []
                while state.requestsStartedDirectly < 2, words.count < 40 {
                    let count = 2 + words.count % 5
                    // Every third request asks for a stream, which goes to the connection's task.
                    let request =
                        words.count % 3 == 2
                        ? ProxyChannelTests.streamedMessages(words: count, bridge: bridge)
                        : ProxyChannelTests.anthropicMessages(model: "mock-words-\(count)", bridge: bridge)
                    try await connection.write(request)
                    answers += try await connection.read(1)
                    words.append(count)
                }
                return (words, answers)
            }
            #expect(state.requestsStartedDirectly >= 2)
            #expect(answers.map(\.status) == Array(repeating: 200, count: words.count))
            for (index, answer) in answers.enumerated() where index % 3 == 2 {
                #expect(answer.text.hasSuffix(ProxyChannelTests.streamEnd))
            }
            var entries: [LogEntrySummary] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while entries.count < words.count, ContinuousClock.now < deadline {
                entries = try await bridge.wallet.logPage(LogFilter(), after: nil, limit: 100).entries
                try await Task.sleep(for: .milliseconds(10))
            }
            // Each request once, in order, with the usage its answer reported.
            #expect(entries.reversed().map(\.outputTokens) == words.map { $0 })
            #expect(entries.allSatisfy { $0.status == 200 && $0.errorCode == nil })
        }
    }
}
