import ByokyCore
import ByokyTranslate
import NIOCore
import NIOHTTP1
import Synchronization

/// One request's early write of the provider's whole answer (``WholeAnswerWriter``): judges
/// whether the answer may go out now (as it is, or translated into the app's family when the
/// request was), announces the request's log entry just before it does
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
    /// The request's translation, when the answer goes to the app in another family.
    private let translation: ChatTranslator.OutboundRequest?
    /// The output limit the request was sent with, when the wallet set one for its budget
    /// (``BudgetHold/outputLimitHeaderName``).
    private let fittedOutputLimit: Int?
    private let announcement = Mutex(Announcement.none)
    /// What translating the answer read and wrote, let go with this (after the answer is out).
    private let leftovers = Mutex<TranslationLeftovers?>(nil)

    init(
        writer: any WholeAnswerWriter,
        allowedOrigin: String?,
        records: any ProxyRecords,
        translation: ChatTranslator.OutboundRequest? = nil,
        fittedOutputLimit: Int? = nil
    ) {
        self.writer = writer
        self.allowedOrigin = allowedOrigin
        self.records = records
        self.translation = translation
        self.fittedOutputLimit = fittedOutputLimit
    }

    /// Writes the provider's answer, `head` and its whole `body`, when it is not an event stream
    /// (metered, and translated, chunk by chunk): as it is, or translated as the request's task
    /// would (``ProxyEngine/translatedWhole(_:status:headers:translation:)``); whether it was
    /// written. The usage is metered from the provider's bytes when the request is recorded.
    func take(head: UpstreamResponseParser.Head, body: ByteBuffer) -> Bool {
        guard !ContentType.isEventStream(head.headers.first(name: "content-type")) else { return false }
        guard let translation else {
            let answer = WholeAnswer(
                status: head.status,
                headers: ResponseHeaderPolicy.filter(head.headers, bodyIsRewritten: false),
                body: body,
                allowedOrigin: allowedOrigin
            )
            return write(answer)
        }
        // A larger one is refused by the task's reading, in the app's format; nothing is
        // translated for a connection that cannot take the answer now (the task translates it).
        guard body.readableBytes <= ProxyEngine.maximumTranslatedBodySize, writer.canWriteWhole() else { return false }
        let translated = ProxyEngine.translatedWhole(
            body.readableBytesView,
            status: head.status,
            headers: head.headers,
            translation: translation
        )
        let answer = WholeAnswer(
            status: translated.status,
            headers: translated.headers,
            body: translated.body,
            allowedOrigin: allowedOrigin
        )
        guard write(answer) else { return false }
        leftovers.withLock { $0 = translated.leftovers }
        return true
    }

    private func write(_ answer: WholeAnswer) -> Bool {
        var answer = answer
        if let fittedOutputLimit {
            answer.headers.append((BudgetHold.outputLimitHeaderName, String(fittedOutputLimit)))
        }
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
