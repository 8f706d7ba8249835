import ByokyCore
import ByokyTesting
import Testing

@testable import ByokySDK

/// A paired app's requests while its wallet is unreachable: every one ends at once, whenever it
/// starts relative to the drop, and none waits the ten-minute provider silence for a frame that
/// was never sent.
struct RelaySuspensionTests {
    static func request(_ index: Int) -> RelayRequest {
        RelayRequest(
            requestID: "request-\(index)",
            provider: .anthropic,
            url: "https://api.anthropic.com/v1/messages",
            method: "POST",
            body: "{}"
        )
    }

    /// How a request ended (its error's code; `PROXY_ERROR` for an answer, which none may get
    /// here), or `nil` when it was still waiting after `limit`.
    static func outcome(
        of connection: RelayConnection,
        _ request: RelayRequest,
        within limit: Duration
    ) async -> ByokyError.Code? {
        let performing = Task { () -> ByokyError.Code? in
            do {
                _ = try await connection.perform(request)
                return .proxyError
            } catch {
                return (error as? ByokyError)?.code
            }
        }
        return await TaskDeadline.value(of: performing, within: limit) ?? nil
    }

    @Test func aRequestMadeWhileSuspendedFailsAtOnceAndOneAfterTheResumeIsSent() async throws {
        let sent = Locked<[RelayMessage]>([])
        let connection = RelayConnection(configuration: .init()) { frame in sent.withLock { $0.append(frame) } }
        connection.suspend(ByokyError(.relayDisconnected, "The wallet went offline"))
        #expect(await Self.outcome(of: connection, Self.request(1), within: .seconds(30)) == .relayDisconnected)
        #expect(sent.withLock { $0.isEmpty })
        connection.resume()
        let waiting = Task { try await connection.perform(Self.request(2)) }
        for _ in 0..<500 where sent.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(sent.withLock { $0.count } == 1)
        connection.suspend(ByokyError(.relayDisconnected, "The relay connection dropped; reconnecting"))
        await #expect(throws: ByokyError.self) { try await waiting.value }
    }

    /// The drop and the request race from two tasks, many times: a request that looked before the
    /// suspension and was registered after it must still end (before, it waited ten minutes).
    @Test func aRequestThatRacesTheDropEndsEveryTime() async {
        var hung = 0
        for round in 0..<1000 {
            let connection = RelayConnection(configuration: .init()) { _ in }
            async let outcome = Self.outcome(of: connection, Self.request(round), within: .seconds(20))
            async let drop: Void = {
                await Task.yield()
                connection.suspend(ByokyError(.relayDisconnected, "The relay connection dropped; reconnecting"))
            }()
            _ = await drop
            if await outcome == nil { hung += 1 }
            if hung > 0 { break }
        }
        #expect(hung == 0)
    }

    /// The wallet repeats its offer when the app comes back (once on joining, once on hearing the
    /// app is online): a request sealed before the repeat still opens its answer after it. Before,
    /// each offer replaced the sealing channel, the answer's opener went with it, and the answer
    /// was dropped unread while the request waited ten minutes.
    @Test func anAnswerInFlightOpensWhenTheWalletRepeatsItsOffer() async throws {
        let keys = RelaySealing.generateKeyPair()
        let presharedKey = [UInt8](repeating: 7, count: 32)
        let channel = {
            SealedRequestChannel(publicKey: keys.publicKey, roomID: "room", presharedKey: presharedKey)
        }
        let sent = Locked<[RelayMessage]>([])
        let connection = RelayConnection(configuration: .init()) { frame in sent.withLock { $0.append(frame) } }
        connection.useSealing(channel())
        let answering = Task { () -> Int? in (try? await connection.perform(Self.request(1)))?.head.status }
        let deadline = ContinuousClock.now + .seconds(20)
        while sent.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard case .sealedRequest(_, let encapsulatedKey, let ciphertext)? = sent.withLock({ $0.first }) else {
            Issue.record("no sealed request was sent")
            return
        }
        connection.useSealing(channel())
        // The wallet opens the request and answers it, sealed.
        let opened = try RelaySealing.openRequest(
            encapsulatedKey: encapsulatedKey,
            ciphertext: ciphertext,
            privateKey: keys.privateKey,
            roomID: "room",
            presharedKey: presharedKey
        )
        var sealer = opened.sealer(requestID: "request-1")
        for frame in [
            RelayMessage.responseMeta(requestID: "request-1", status: 200, statusText: nil, headers: nil),
            .responseDone(requestID: "request-1"),
        ] {
            let (sequence, sealed) = sealer.seal(frame.encoded())
            let answer = RelayMessage.sealedResponse(requestID: "request-1", sequence: sequence, ciphertext: sealed)
            connection.receive(String(decoding: answer.encoded(), as: UTF8.self))
        }
        #expect(await TaskDeadline.value(of: answering, within: .seconds(20)) == 200)
    }
}
