import ByokyStore
import ByokyTesting
import Testing

/// The audit log's batched writer against a real SQLite file.
@Suite struct RequestLogWriterTests {
    static func entry(_ index: Int, tokens: Int?) -> RequestLogRecord {
        RequestLogRecord(
            id: "log-\(index)",
            sessionID: index.isMultiple(of: 2) ? "session" : nil,
            appName: "app",
            provider: "anthropic",
            actualProvider: "anthropic",
            model: tokens == nil ? nil : "claude-sonnet-4-6",
            method: "POST",
            path: "/v1/messages",
            status: tokens == nil ? 403 : 200,
            inputTokens: tokens,
            outputTokens: tokens,
            latencyMilliseconds: 1,
            errorCode: tokens == nil ? "PROVIDER_UNAVAILABLE" : nil,
            createdAt: Int64(index)
        )
    }

    @Test func oneBatchMixingPresentAndAbsentValuesIsWrittenWhole() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            // Enqueued together, these land in one multi-row insert.
            for index in 0..<40 { store.enqueue(Self.entry(index, tokens: index.isMultiple(of: 3) ? nil : index)) }
            let log = try await store.requestLog(limit: 100)
            #expect(log.count == 40)
            #expect(log.filter { $0.inputTokens == nil }.count == 14)
            #expect(
                try await store.tokensUsed(app: "app", provider: "", since: 0) == 2
                    * (0..<40).filter { !$0.isMultiple(of: 3) }.reduce(0, +)
            )
            try await store.close()
        }
    }
}
