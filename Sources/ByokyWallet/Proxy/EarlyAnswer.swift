import ByokyCore
import NIOCore
import NIOHTTP1
import Synchronization

/// One request's early write of the provider's whole answer (``WholeAnswerWriter``): judges
/// whether the answer may go out as it is, announces the request's log entry just before it does
/// (readers of the log wait for that entry, so whoever got the answer finds it), and hands the
/// announcement to the request's completion, which records the entry. An announcement that no
/// completion took (the request ended some other way) is withdrawn when this goes: readers never
/// wait for an entry that will not come.
final class EarlyAnswer: WholeAnswerTaker {
    private enum Announcement { case none, made, taken }

    private let writer: any WholeAnswerWriter
    /// The page whose session this answers, when it is one.
    private let allowedOrigin: String?
    private let records: any ProxyRecords
    private let announcement = Mutex(Announcement.none)

    init(writer: any WholeAnswerWriter, allowedOrigin: String?, records: any ProxyRecords) {
        self.writer = writer
        self.allowedOrigin = allowedOrigin
        self.records = records
    }

    /// Writes the provider's answer, `head` and its whole `body`, when it goes to the app as it
    /// is (not an event stream, which is metered chunk by chunk); whether it was written.
    func take(head: UpstreamResponseParser.Head, body: ByteBuffer) -> Bool {
        guard !ContentType.isEventStream(head.headers.first(name: "content-type")) else { return false }
        let answer = WholeAnswer(
            status: head.status,
            headers: ResponseHeaderPolicy.filter(head.headers, bodyIsRewritten: false),
            body: body,
            allowedOrigin: allowedOrigin
        )
        return writer.writeWhole(answer) {
            announcement.withLock { $0 = .made }
            records.announceEntry()
        }
    }

    /// Takes the announcement made before the answer was written, for the request's completion
    /// to record; `false` when none was made, or it was taken already.
    func takeAnnouncement() -> Bool {
        announcement.withLock { announcement in
            guard case .made = announcement else { return false }
            announcement = .taken
            return true
        }
    }

    deinit {
        if case .made = announcement.withLock({ $0 }) { records.withdrawEntry() }
    }
}
