import ByokyTesting
import Testing

@testable import ByokyCore

/// Every relayed request has a watcher that fails it when the other side stays silent for the
/// request timeout. A request that ends, however it ends, takes its watcher with it: before,
/// each watcher slept out the whole timeout (ten minutes for a paired app), so a busy relay held
/// one sleeping task for every request of the last ten minutes.
struct RelayRequestWatcherTests {
    /// The ways a request ends.
    enum Ending: String, CaseIterable, CustomTestStringConvertible {
        /// Its answer comes while `perform` is still sending (before the watcher is stored).
        case answeredDuringTheSend
        /// Its answer comes later, head then done.
        case answered
        /// The other side sends an error frame.
        case failedByTheOtherSide
        /// The caller cancels its task.
        case cancelled
        /// The other side becomes unreachable.
        case suspended
        /// The connection closes.
        case closed

        var testDescription: String { rawValue }
    }

    static let requestCount = 200

    /// Waits (bounded) until `book` has no watcher alive; the count left.
    static func watchersLeft(in book: RelayRequestBook) async throws -> Int {
        for _ in 0..<500 where book.watcherCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        return book.watcherCount
    }

    @Test(arguments: Ending.allCases)
    func aRequestThatEndsTakesItsWatcherWithIt(_ ending: Ending) async throws {
        let answersAtOnce = ending == .answeredDuringTheSend
        let sent = Locked<[String]>([])
        let bookBox = Locked<RelayRequestBook?>(nil)
        let book = RelayRequestBook(requestTimeout: .seconds(600)) { frame in
            guard case .request(let request) = frame else { return }
            sent.withLock { $0.append(request.requestID) }
            guard answersAtOnce, let book = bookBox.withLock({ $0 }) else { return }
            book.deliver(.responseMeta(requestID: request.requestID, status: 200, statusText: nil, headers: nil))
            book.deliver(.responseDone(requestID: request.requestID))
        }
        bookBox.withLock { $0 = book }
        let requests = (0..<Self.requestCount).map { index in
            Task { () -> Bool in
                let id = "request-\(index)"
                let frame = RelayMessage.request(
                    RelayRequest(requestID: id, provider: .anthropic, url: "https://x/v1", method: "POST", body: "{}")
                )
                do {
                    let answer = try await book.perform(frame, requestID: id)
                    for try await _ in answer.body {}
                    return true
                } catch {
                    return false
                }
            }
        }
        // Every request sent (and, unless answered at once, waiting with its watcher).
        for _ in 0..<1000 where sent.withLock({ $0.count }) < Self.requestCount {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(sent.withLock { $0.count } == Self.requestCount)
        if !answersAtOnce {
            for _ in 0..<500 where book.watcherCount < Self.requestCount {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(book.watcherCount == Self.requestCount)
        }
        let disconnected = ByokyError(.relayDisconnected, "The other side went away")
        switch ending {
        case .answeredDuringTheSend:
            break
        case .answered:
            for id in sent.withLock({ $0 }) {
                book.deliver(.responseMeta(requestID: id, status: 200, statusText: nil, headers: nil))
                book.deliver(.responseChunk(requestID: id, chunk: "data"))
                book.deliver(.responseDone(requestID: id))
            }
        case .failedByTheOtherSide:
            for id in sent.withLock({ $0 }) {
                book.deliver(.responseError(requestID: id, error: WireError(code: "PROVIDER_ERROR", message: "no")))
            }
        case .cancelled:
            for request in requests { request.cancel() }
        case .suspended:
            book.suspend(disconnected)
        case .closed:
            book.close(disconnected)
        }
        var answered = 0
        for request in requests where await request.value { answered += 1 }
        let expectsAnswers = ending == .answered || ending == .answeredDuringTheSend
        #expect(answered == (expectsAnswers ? Self.requestCount : 0))
        #expect(book.pendingCount == 0)
        #expect(try await Self.watchersLeft(in: book) == 0)
    }

    /// The watcher still does its job: a request whose other side stays silent fails with the
    /// silence error, and the other side is told to stop it.
    @Test func aSilentOtherSideFailsTheRequestAfterTheTimeout() async throws {
        let sent = Locked<[RelayMessage]>([])
        let book = RelayRequestBook(
            requestTimeout: .milliseconds(200),
            silenceError: { ByokyError(.giftTimeout, "silent") },
            send: { frame in sent.withLock { $0.append(frame) } }
        )
        let frame = RelayMessage.request(
            RelayRequest(requestID: "quiet", provider: .anthropic, url: "https://x/v1", method: "POST", body: "{}")
        )
        let error = await #expect(throws: ByokyError.self) { try await book.perform(frame, requestID: "quiet") }
        #expect(error?.code == .giftTimeout)
        #expect(sent.withLock { $0.count } == 2)
        if case .requestCancel(let id) = sent.withLock({ $0.last }) {
            #expect(id == "quiet")
        } else {
            Issue.record("no cancel sent")
        }
        #expect(try await Self.watchersLeft(in: book) == 0)
    }
}
