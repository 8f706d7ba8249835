import ByokyCore
import ByokyDaemon
import ByokyRelay
import ByokyRelayHost
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import Testing

/// Gifts between two wallets through a relay, in process: the giver serves with its key, the
/// receiver's apps use the gift like a key, and the relay sees only ciphertext.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct GiftTests {
    @Test func aGiftServesTheReceiverSealedEndToEnd() async throws {
        try await GiftFixture.with { fixture in
            let prompt = "PROMPT-CANARY-\(SecureRandom.hexToken(byteCount: 6))"
            let plain = try await fixture.ask(prompt)
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.text.contains(#""type":"message""#))
            let streamed = try await fixture.ask(prompt, stream: true)
            #expect(streamed.status == 200)
            #expect(streamed.text.contains("event: message_stop"))

            // Usage: the giver counts, and tells the receiver.
            var used = 0
            for _ in 0..<200 {
                used = try await fixture.giverUsed()
                if used > 0, try await fixture.received().usedTokens == used { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(used > 0)
            #expect(try await fixture.received().usedTokens == used)

            // The relay saw sealed frames only: no prompt, no answer, no key, no token.
            let frames = fixture.trace.withLock { $0 }
            let seen = frames.joined(separator: "\n")
            #expect(frames.contains { $0.contains("relay:request:sealed") })
            #expect(frames.contains { $0.contains("relay:response:sealed") })
            #expect(!seen.contains(prompt))
            #expect(!seen.contains("message_stop") && !seen.contains("claude-sonnet"))
            #expect(!seen.contains(GiftFixture.canary))
            #expect(!seen.contains(try #require(fixture.link.authToken)))
            #expect(!plain.text.contains(GiftFixture.canary) && !streamed.text.contains(GiftFixture.canary))

            // Both audit logs record it: the receiver's app, and the gift on the giver's side.
            var giverLog: [RequestLogRecord] = []
            for _ in 0..<200 where giverLog.count < 2 {
                giverLog = try await fixture.giver.store.requestLog(limit: 10)
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(giverLog.count == 2)
            #expect(giverLog.allSatisfy { $0.appName.hasPrefix("gift \(fixture.gift.id.prefix(8))") })
            #expect(try await fixture.receiver.store.requestLog(limit: 10).contains { $0.appName == "Receiver app" })
        }
    }

    @Test func offlineRevokedExpiredAndExhaustedGiftsAnswerInTheProvidersFormat() async throws {
        try await GiftFixture.with(budget: 5_000) { fixture in
            #expect(try await fixture.ask().status == 200)

            // The giver's wallet stops: 503 at once.
            fixture.host.stop()
            try await fixture.waitUntilOnline(false)
            let offline = try await fixture.ask()
            #expect(offline.status == 503)
            #expect(offline.code == "GIFT_SENDER_OFFLINE")
            #expect(offline.text.contains(#""type":"error""#))

            // Back online; a request larger than what is left: 429, nothing spent.
            await fixture.host.reconcile()
            try await fixture.waitUntilOnline()
            let before = try await fixture.giverUsed()
            let greedy = try await fixture.ask(maxTokens: 100_000)
            #expect(greedy.status == 429)
            #expect(greedy.code == "GIFT_BUDGET_EXHAUSTED")
            #expect(greedy.text.contains("rate_limit_error") || greedy.text.contains(#""type":"error""#))
            #expect(try await fixture.giverUsed() == before)

            // Expiry is the giver's clock that counts, whatever the receiver's store says.
            var tampered = try await fixture.received()
            tampered.expiresAt = .max / 2
            tampered.maxTokens = 100_000_000
            try await fixture.receiver.store.replace(tampered)
            fixture.clock.withLock { $0 = 2 * 3_600_000 }
            let expired = try await fixture.ask()
            #expect(expired.status == 410)
            #expect(expired.code == "GIFT_EXPIRED")
            #expect(try await fixture.received().endedReason == .expired)
            #expect(try await fixture.ask().code == "GIFT_EXPIRED")
            fixture.clock.withLock { $0 = 0 }
            var revived = try await fixture.received()
            revived.endedReason = nil
            try await fixture.receiver.store.replace(revived)
            fixture.receiver.invalidateCaches()

            // Revoked: 410, remembered by the receiver.
            try await fixture.giver.revokeGift(String(fixture.gift.id.prefix(8)))
            let revoked = try await fixture.ask()
            #expect(revoked.status == 410)
            #expect(revoked.code == "GIFT_REVOKED")
            #expect(try await fixture.received().endedReason == .revoked)
            // A receiver that clears its own record still cannot spend the gift.
            var cleared = try await fixture.received()
            cleared.endedReason = nil
            try await fixture.receiver.store.replace(cleared)
            fixture.receiver.invalidateCaches()
            #expect(try await fixture.ask().code == "GIFT_REVOKED")
        }
    }

    /// A receiver cannot shrink a request's reservation by naming its output limit twice: the
    /// giver counts the largest, and refuses what the gift cannot cover, nothing spent.
    @Test func anOutputLimitNamedTwiceCountsAtItsLargestAgainstAGift() async throws {
        try await GiftFixture.with(budget: 5_000) { fixture in
            let before = try await fixture.giverUsed()
            let bodies = [
                #"{"model":"claude-sonnet-4-6","max_tokens":32,"max_tokens":100000,"messages":[{"role":"user","content":"Hi"}]}"#,
                #"{"model":"claude-sonnet-4-6","max_tokens":32,"max_tok\u0065ns":100000,"messages":[{"role":"user","content":"Hi"}]}"#,
            ]
            for body in bodies {
                let greedy = try await fixture.ask(body: body)
                #expect(greedy.status == 429, "\(body)")
                #expect(greedy.code == "GIFT_BUDGET_EXHAUSTED", "\(body)")
            }
            #expect(try await fixture.giverUsed() == before)
            #expect(try await fixture.ask().status == 200)
        }
    }

    /// A receiver's requests that spend no tokens (model lists and look-ups, token counts) hold
    /// nothing of the gift's budget at the giver and are never refused by it: before, each was
    /// charged a whole answer's worth, and a 5,000-token gift ran out after one model list.
    @Test func requestsThatSpendNoTokensLeaveTheGiftsBudgetWhole() async throws {
        try await GiftFixture.with(budget: 5_000) { fixture in
            let count = #"{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"How long is this?"}]}"#
            for _ in 0..<3 {
                let listed = try await fixture.ask(path: "/v1/models", method: "GET")
                #expect(listed.status == 200, "\(listed.text)")
                #expect(listed.text.contains("claude-sonnet-4-6"))
                let counted = try await fixture.ask(path: "/v1/messages/count_tokens", body: count)
                #expect(counted.status == 200, "\(counted.text)")
                #expect(counted.text.contains("input_tokens"))
            }
            #expect(try await fixture.giverUsed() == 0)
            #expect(try await fixture.ask().status == 200)
        }
    }

    /// A gift serves what its budget is for (chats, token counts, the model list and look-up)
    /// and nothing else of the giver's account: a recipient, who may be a stranger, cannot read,
    /// start or delete the giver's batches and files with the giver's key. The giver refuses,
    /// in the provider's format, before anything goes upstream (the original served any method
    /// and path).
    @Test func aGiftServesOnlyWhatItsBudgetIsFor() async throws {
        try await GiftFixture.with { fixture in
            let count = #"{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"Hi"}]}"#
            for (method, path) in [
                ("GET", "/v1/messages/batches"), ("POST", "/v1/messages/batches"),
                ("GET", "/v1/messages/batches/msgbatch_1/results"), ("GET", "/v1/files"),
                ("DELETE", "/v1/files/file_1"), ("GET", "/v1/files/file_1/content"), ("POST", "/v1/files"),
                ("GET", "/v1/messages"), ("PUT", "/v1/messages"), ("POST", "/v1/organizations/me"),
            ] {
                let refused = try await fixture.ask(path: path, method: method, body: count)
                #expect(refused.status == 403, "\(method) \(path): \(refused.text)")
                #expect(refused.code == "PROVIDER_UNAVAILABLE", "\(method) \(path)")
                #expect(refused.text.contains(#""type":"error""#), "\(method) \(path): not Anthropic's format")
            }
            #expect(fixture.upstreamRequests.withLock(\.isEmpty))
            for (method, path, body) in [
                ("POST", "/v1/messages", nil), ("POST", "/v1/messages/count_tokens", count),
                ("GET", "/v1/models", nil), ("GET", "/v1/models/claude-sonnet-4-6", nil),
            ] {
                let served = try await fixture.ask(path: path, method: method, body: body)
                #expect(served.status == 200, "\(method) \(path): \(served.text)")
            }
            #expect(fixture.upstreamRequests.withLock { $0.count } == 4)
        }
    }

    @Test func aHundredRecipientsNeverOverspendOneGift() async throws {
        var limits = RelayLimits()
        limits.recipientsPerRoom = 128
        limits.authAttempts = 1_000
        try await GiftFixture.with(budget: 12_000, relayLimits: limits) { fixture in
            // One request's real cost, to check the accounting exactly.
            #expect(try await fixture.ask(maxTokens: 16).status == 200)
            var unit = 0
            for _ in 0..<200 where unit == 0 {
                unit = try await fixture.giverUsed()
                if unit == 0 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(unit > 0)
            // The budget must run out before the 1,000 requests do, for the test to mean anything.
            try #require(unit * 1_000 > 12_000, "one request costs \(unit) tokens")

            // 100 recipients, each on its own relay connection, 10 requests each.
            let outcomes = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<100 {
                    let engine = ProxyEngine(wallet: fixture.receiver, httpClient: fixture.httpClient)
                    group.addTask {
                        var codes: [String] = []
                        for _ in 0..<10 {
                            let answer = try await fixture.ask(maxTokens: 16, engine: engine)
                            codes.append(answer.status == 200 ? "ok" : answer.code ?? "\(answer.status)")
                        }
                        engine.closeGiftConnections()
                        return codes
                    }
                }
                var all: [String] = []
                for try await codes in group { all += codes }
                return all
            }
            let served = outcomes.filter { $0 == "ok" }.count
            #expect(outcomes.count == 1_000)
            #expect(Set(outcomes).isSubset(of: ["ok", "GIFT_BUDGET_EXHAUSTED"]), "\(Set(outcomes))")
            #expect(served > 0 && served < 1_000)
            // Settlement is written just after each answer.
            var used = 0
            for _ in 0..<300 {
                used = try await fixture.giverUsed()
                if used == (served + 1) * unit { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(used == (served + 1) * unit)
            #expect(used <= 12_000)
        }
    }
}
