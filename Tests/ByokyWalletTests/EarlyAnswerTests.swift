import ByokyCore
import ByokyStore
import ByokyTranslate
import Foundation
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

        /// How many answers it was handed, written or not.
        let offers = Mutex(0)

        init(accepts: Bool) { self.accepts = accepts }

        func canWriteWhole() -> Bool { accepts }

        func writeWhole(_ answer: WholeAnswer, beforeWriting: () -> Void) -> Bool {
            offers.withLock { $0 += 1 }
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

    static func head(contentType: String, status: Int = 200) -> UpstreamResponseParser.Head {
        UpstreamResponseParser.Head(
            status: status,
            headers: HTTPHeaders([("content-type", contentType), ("connection", "keep-alive"), ("request-id", "r1")]),
            contentLength: 2,
            isKeepAlive: true
        )
    }

    /// An OpenAI app's request routed to Anthropic; its `seed` is left out (a translation note).
    static func translation() throws -> ChatTranslator.OutboundRequest {
        let body = #"{"model":"gpt-5.4","seed":7,"messages":[{"role":"user","content":"Hi"}]}"#
        return try ChatTranslator.translateRequest(
            Array(body.utf8),
            path: "/v1/chat/completions",
            from: .openai,
            to: try #require(ProviderRegistry.provider(.anthropic)),
            model: "claude-sonnet-4-6",
            requestID: "req_early"
        )
    }

    /// An early write of the answer to ``translation()`` for a program's session.
    static func translating(to writer: RecordingWriter, records: CountingRecords) throws -> EarlyAnswer {
        EarlyAnswer(writer: writer, allowedOrigin: nil, records: records, translation: try translation())
    }

    static let anthropicAnswer = #"""
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6",
        "content":[{"type":"text","text":"Hi there"}],"stop_reason":"end_turn","stop_sequence":null,
        "usage":{"input_tokens":5,"output_tokens":2}}
        """#

    static func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
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

    /// A request translated into another family has its whole answer translated back and written
    /// at once, with the headers the request's task would write: the app's content type, the
    /// provider's own headers but not its hop-by-hop ones, the notes of what was left out.
    @Test func aTranslatedAnswerIsWrittenInTheAppsFamily() throws {
        let records = CountingRecords()
        let writer = RecordingWriter(accepts: true)
        let early = try Self.translating(to: writer, records: records)
        #expect(
            early.take(head: Self.head(contentType: "application/json"), body: ByteBuffer(string: Self.anthropicAnswer))
        )
        #expect(early.takeAnnouncement())
        let written = try #require(writer.written.withLock { $0.first })
        #expect(written.status == 200)
        #expect(written.names == ["request-id", "content-type", ProxyEngine.translationNotesHeader])
        let answer = try Self.object(written.body)
        #expect(answer["object"] as? String == "chat.completion")
        #expect(answer["model"] as? String == "gpt-5.4")
        let choice = try #require((answer["choices"] as? [[String: Any]])?.first)
        #expect((choice["message"] as? [String: Any])?["content"] as? String == "Hi there")
        #expect((answer["usage"] as? [String: Any])?["completion_tokens"] as? Int == 2)
    }

    /// The same translation as the request's task would make, for answers and for errors alike.
    @Test(arguments: [
        (status: 200, body: anthropicAnswer),
        (status: 429, body: #"{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}"#),
        (status: 200, body: "not json"),
    ])
    func anEarlyTranslationMatchesTheTasks(status: Int, body: String) throws {
        let translation = try Self.translation()
        let writer = RecordingWriter(accepts: true)
        let early = EarlyAnswer(
            writer: writer,
            allowedOrigin: "https://app.example",
            records: CountingRecords(),
            translation: translation
        )
        let head = Self.head(contentType: "application/json", status: status)
        #expect(early.take(head: head, body: ByteBuffer(string: body)))
        let expected = ProxyEngine.translatedWhole(
            ByteBuffer(string: body).readableBytesView,
            status: status,
            headers: head.headers,
            translation: translation
        )
        let written = try #require(writer.written.withLock { $0.first })
        #expect(written.status == expected.status)
        #expect(written.origin == "https://app.example")
        #expect(written.names == expected.headers.map(\.name))
        #expect(written.body == String(buffer: expected.body))
        if status == 429 {
            #expect(written.status == 429)
            let error = try #require(try Self.object(written.body)["error"] as? [String: Any])
            #expect(error["message"] as? String == "Slow down")
        }
        if body == "not json" { #expect(written.status == 502) }
        // The provider served (and billed) the request: a retry cannot help, and the app is told so.
        let advice = expected.headers.filter { $0.name == ErrorBody.shouldRetryHeaderName }.map(\.value)
        let code = expected.headers.first { $0.name == ErrorBody.codeHeaderName }?.value
        if body == "not json", status == 200 {
            #expect(advice == ["false"] && code == ByokyError.Code.translationFailed.rawValue)
        } else {
            #expect(advice.isEmpty && code == nil, "\(status) \(body)")
        }
    }

    /// A translated event stream is translated event by event by the request's task.
    @Test func aTranslatedEventStreamIsLeftToTheTask() throws {
        let records = CountingRecords()
        let writer = RecordingWriter(accepts: true)
        do {
            let early = try Self.translating(to: writer, records: records)
            #expect(
                !early.take(head: Self.head(contentType: "text/event-stream"), body: ByteBuffer(string: "data: {}\n\n"))
            )
        }
        #expect(writer.written.withLock { $0.isEmpty })
        #expect(records.counts.withLock { $0.announced } == 0)
    }

    /// A connection that cannot take the answer now is asked before the answer is translated:
    /// nothing is translated in vain (the request's task translates it), nothing is announced.
    @Test func nothingIsTranslatedForAConnectionThatCannotTakeTheAnswer() throws {
        let records = CountingRecords()
        let writer = RecordingWriter(accepts: false)
        do {
            let early = try Self.translating(to: writer, records: records)
            #expect(
                !early.take(
                    head: Self.head(contentType: "application/json"),
                    body: ByteBuffer(string: Self.anthropicAnswer)
                )
            )
        }
        #expect(writer.offers.withLock { $0 } == 0)
        #expect(records.counts.withLock { $0.announced } == 0)
    }
}
