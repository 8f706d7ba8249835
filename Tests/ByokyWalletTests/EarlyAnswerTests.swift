import ByokyStore
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import ByokyWallet

/// A request's early write announces its log entry just before the answer goes out, and that
/// announcement is either taken by the request's completion or withdrawn: readers of the log
/// never wait for an entry that will not come. Answers that are not passed on whole (an event
/// stream, or one the app's connection cannot take now) are left to the usual path.
struct EarlyAnswerTests {
    /// Counts announcements and withdrawals (the rest of the log is not used here).
    final class CountingRecords: ProxyRecords {
        let counts = Mutex((announced: 0, withdrawn: 0))

        func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int { 0 }
        func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) { onWritten() }
        func announceEntry() { counts.withLock { $0.announced += 1 } }
        func withdrawEntry() { counts.withLock { $0.withdrawn += 1 } }
        func touchCredential(id: String, at time: Int64) async throws {}
    }

    /// Takes the answer when `accepts`, calling `beforeWriting` first as a connection does; keeps
    /// what it wrote.
    final class RecordingWriter: WholeAnswerWriter {
        let accepts: Bool
        let written = Mutex<[(status: Int, origin: String?, names: [String], body: String)]>([])

        init(accepts: Bool) { self.accepts = accepts }

        func writeWhole(_ answer: WholeAnswer, beforeWriting: () -> Void) -> Bool {
            guard accepts else { return false }
            beforeWriting()
            written.withLock {
                $0.append(
                    (answer.status, answer.allowedOrigin, answer.headers.map(\.name), String(buffer: answer.body))
                )
            }
            return true
        }
    }

    static func head(contentType: String) -> UpstreamResponseParser.Head {
        UpstreamResponseParser.Head(
            status: 200,
            headers: HTTPHeaders([("content-type", contentType), ("connection", "keep-alive"), ("request-id", "r1")]),
            contentLength: 2,
            isKeepAlive: true
        )
    }

    @Test func anAnnouncementTheCompletionTakesIsNeverWithdrawn() {
        let records = CountingRecords()
        let writer = RecordingWriter(accepts: true)
        do {
            let early = EarlyAnswer(writer: writer, allowedOrigin: "https://app.example", records: records)
            #expect(early.take(head: Self.head(contentType: "application/json"), body: ByteBuffer(string: "{}")))
            #expect(early.takeAnnouncement())
            #expect(!early.takeAnnouncement())
        }
        #expect(records.counts.withLock { $0.announced } == 1)
        #expect(records.counts.withLock { $0.withdrawn } == 0)
        let written = writer.written.withLock { $0 }
        #expect(written.map(\.status) == [200])
        #expect(written.map(\.origin) == ["https://app.example"])
        #expect(written.map(\.body) == ["{}"])
        // The provider's hop-by-hop headers stay behind, as on the usual path.
        #expect(written.first?.names == ["content-type", "request-id"])
    }

    @Test func anAnnouncementNoCompletionTookIsWithdrawn() {
        let records = CountingRecords()
        do {
            let early = EarlyAnswer(writer: RecordingWriter(accepts: true), allowedOrigin: nil, records: records)
            #expect(early.take(head: Self.head(contentType: "application/json"), body: ByteBuffer(string: "{}")))
        }
        #expect(records.counts.withLock { $0.announced } == 1)
        #expect(records.counts.withLock { $0.withdrawn } == 1)
    }

    @Test(arguments: [
        (contentType: "text/event-stream", accepts: true), (contentType: "application/json", accepts: false),
    ])
    func anAnswerLeftToTheUsualPathAnnouncesNothing(contentType: String, accepts: Bool) {
        let records = CountingRecords()
        let writer = RecordingWriter(accepts: accepts)
        do {
            let early = EarlyAnswer(writer: writer, allowedOrigin: nil, records: records)
            #expect(!early.take(head: Self.head(contentType: contentType), body: ByteBuffer(string: "{}")))
            #expect(!early.takeAnnouncement())
        }
        #expect(writer.written.withLock { $0.isEmpty })
        #expect(records.counts.withLock { $0.announced } == 0)
        #expect(records.counts.withLock { $0.withdrawn } == 0)
    }
}
