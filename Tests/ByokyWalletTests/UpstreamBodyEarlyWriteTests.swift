import ByokyTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyWallet

/// A provider's answer that ends cleanly before anyone read its body goes to the whole-answer
/// writer at once; once written there it is taken, never read again. A body already being read,
/// a writer that declines, or an answer that failed leaves the body as it was.
struct UpstreamBodyEarlyWriteTests {
    static let head = UpstreamResponseParser.Head(
        status: 200,
        headers: HTTPHeaders([("content-type", "application/json"), ("content-length", "11")]),
        contentLength: 11,
        isKeepAlive: true
    )

    /// Records what it was handed and answers `writes`.
    final class RecordingTaker: WholeAnswerTaker {
        let writes: Bool
        let handed = Locked<[(Int, String)]>([])

        init(writes: Bool) { self.writes = writes }

        func take(head: UpstreamResponseParser.Head, body: ByteBuffer) -> Bool {
            handed.withLock { $0.append((head.status, String(buffer: body))) }
            return writes
        }
    }

    /// A body whose taker records what it was handed and answers `writes`.
    static func body(writes: Bool) -> (UpstreamBody, Locked<[(Int, String)]>) {
        let taker = RecordingTaker(writes: writes)
        let body = UpstreamBody(channel: nil, onWhole: taker)
        body.declare(Self.head)
        return (body, taker.handed)
    }

    @Test func anAnswerEndedBeforeAnyReadIsWrittenWholeAndTakenOnce() async throws {
        let (body, handed) = Self.body(writes: true)
        _ = body.append(ByteBuffer(string: "hello "))
        _ = body.append(ByteBuffer(string: "world"))
        body.finish()
        #expect(handed.withLock { $0.map(\.0) } == [200])
        #expect(handed.withLock { $0.map(\.1) } == ["hello world"])
        // Nothing is left to read: the body was written, as a reader at its end finds (a
        // translating request's task reads first, then asks).
        var read: [String] = []
        for try await chunk in body { read.append(String(buffer: chunk)) }
        #expect(read.isEmpty)
        #expect(body.isWrittenEarly)
        #expect(body.takeWrittenEarly().map { String(buffer: $0) } == "hello world")
        #expect(body.takeWrittenEarly() == nil)
        #expect(!body.isWrittenEarly)
    }

    @Test func aReaderWaitingWhenTheAnswerEndsReadsItAllAndFindsItNotWritten() async throws {
        let (body, handed) = Self.body(writes: true)
        async let read: [String] = {
            var read: [String] = []
            for try await chunk in body { read.append(String(buffer: chunk)) }
            return read
        }()
        // The reader touches the body before the provider's answer arrives.
        for _ in 0..<1000 where !body.hasWaitingReader { try await Task.sleep(for: .milliseconds(1)) }
        #expect(body.hasWaitingReader)
        _ = body.append(ByteBuffer(string: "hello world"))
        body.finish()
        #expect(try await read == ["hello world"])
        #expect(handed.withLock { $0.isEmpty })
        #expect(!body.isWrittenEarly)
    }

    @Test func aWriterThatDeclinesLeavesTheBodyToItsReader() async throws {
        let (body, handed) = Self.body(writes: false)
        _ = body.append(ByteBuffer(string: "hello world"))
        body.finish()
        #expect(handed.withLock { $0.count } == 1)
        #expect(!body.isWrittenEarly)
        #expect(body.takeWrittenEarly() == nil)
        #expect(body.takeAllIfFinished().map { $0.map { String(buffer: $0) } } == ["hello world"])
    }

    @Test func aBodyAlreadyBeingReadIsNeverWrittenEarly() async throws {
        let (body, handed) = Self.body(writes: true)
        _ = body.append(ByteBuffer(string: "hello "))
        let first = try await body.next()
        #expect(first.map { String(buffer: $0) } == "hello ")
        _ = body.append(ByteBuffer(string: "world"))
        body.finish()
        #expect(handed.withLock { $0.isEmpty })
        #expect(body.takeWrittenEarly() == nil)
        #expect(try await body.next().map { String(buffer: $0) } == "world")
        #expect(try await body.next() == nil)
    }

    @Test func aFailedOrCancelledAnswerIsNeverWrittenEarly() async throws {
        let (failed, failedHanded) = Self.body(writes: true)
        _ = failed.append(ByteBuffer(string: "hello"))
        failed.finish(UpstreamError.connectionClosed)
        #expect(failedHanded.withLock { $0.isEmpty })
        await #expect(throws: UpstreamError.connectionClosed) {
            for try await _ in failed {}
        }
        let (cancelled, cancelledHanded) = Self.body(writes: true)
        _ = cancelled.append(ByteBuffer(string: "hello"))
        cancelled.cancel()
        cancelled.finish()
        #expect(cancelledHanded.withLock { $0.isEmpty })
        #expect(cancelled.takeWrittenEarly() == nil)
    }

    @Test func aBodyWithoutAWriterKeepsNoHead() async throws {
        let body = UpstreamBody(channel: nil)
        body.declare(Self.head)
        _ = body.append(ByteBuffer(string: "hello world"))
        body.finish()
        #expect(body.declaredLength == 11)
        #expect(body.takeWrittenEarly() == nil)
        #expect(body.takeAllIfFinished()?.count == 1)
    }
}
