import ByokyCore
import ByokyTranslate
import NIOCore
import NIOHTTP1

extension ProxyEngine {
    /// The largest whole (non-stream) upstream answer translated in memory.
    static let maximumTranslatedBodySize = 64 * 1024 * 1024

    /// The header that lists what a translation left out (never secrets or prompt text).
    static let translationNotesHeader = "x-byoky-translation-notes"

    /// Turns the target's answer into the app's family: event streams event by event as they
    /// arrive, whole answers (and error bodies) at once. Usage is metered on the upstream's bytes.
    func translatedResponse(
        _ response: UpstreamClient.Response,
        plan: RequestPlan,
        completion: RequestCompletion
    ) async throws -> ProxyResponse {
        guard let translation = plan.translation else {
            preconditionFailure("a translated answer needs its request's translation")
        }
        // The documents the request's and the answer's translations built are freed once the
        // answer is written, not on its way.
        completion.keepWhileAnswering(translation.leftovers)
        let status = response.status
        if (200..<300).contains(status), ContentType.isEventStream(response.headers.first(name: "content-type")) {
            var headers = ResponseHeaderPolicy.filter(response.headers, bodyIsRewritten: true)
                .filter { !HeaderText.name($0.name, is: "content-type") }
            headers.append((name: "content-type", value: "text/event-stream; charset=utf-8"))
            headers.append((name: "cache-control", value: "no-cache"))
            if let notes = translation.report.headerValue {
                headers.append((name: Self.translationNotesHeader, value: notes))
            }
            return ProxyResponse(
                status: status,
                headers: headers,
                body: ProxyResponseBody(
                    storage: .translatedStream(response.body, translation.translator.makeStreamTranslator()),
                    completion: completion
                )
            )
        }
        var upstream = ByteBuffer()
        do {
            // Empty at once when the answer was translated and written from the provider's read.
            for try await var chunk in response.body {
                guard upstream.readableBytes + chunk.readableBytes <= Self.maximumTranslatedBodySize else {
                    throw ByokyError.payloadTooLarge("The provider's answer", limit: Self.maximumTranslatedBodySize)
                }
                upstream.writeBuffer(&chunk)
            }
        } catch let error as ByokyError {
            await completion.finish(usage: Self.usage(of: upstream, from: plan.target), errorCode: error.code.rawValue)
            throw error
        } catch {
            await completion.finish(
                usage: Self.usage(of: upstream, from: plan.target),
                errorCode: ByokyError.Code.streamTruncated.rawValue
            )
            throw ByokyError(.streamTruncated, "The provider's response ended early", underlying: error)
        }
        if response.body.isWrittenEarly {
            // Translated and written already (``EarlyAnswer``): the app's connection only records
            // it, metering the provider's bytes.
            return Self.passedThrough(response, family: nil, dropsUsageOnlyChunk: false, completion: completion)
        }
        let translated = Self.translatedWhole(
            upstream.readableBytesView,
            status: status,
            headers: response.headers,
            translation: translation
        )
        completion.keepWhileAnswering(translated.leftovers)
        // The answer was parsed to be translated: its usage is read from that tree, not metered
        // from its bytes again, and once the answer is written (an answer that did not parse is
        // read from its bytes, now).
        if let answer = translated.leftovers.answer {
            completion.settle(usageOf: answer, provider: plan.target.id)
        } else {
            completion.settle(usage: Self.usage(of: upstream, from: plan.target))
        }
        return ProxyResponse(
            status: translated.status,
            headers: translated.headers,
            body: ProxyResponseBody(storage: .buffer(translated.body), completion: completion)
        )
    }

    /// The provider's whole (non-stream) answer, `status`, `headers` and `body`, translated into
    /// the app's family by `translation`: its status, the headers that go to the app (the
    /// provider's, filtered, with the notes of what both translations left out), the body, and
    /// the documents read and written (to be let go once the answer is sent).
    static func translatedWhole(
        _ body: ByteBufferView,
        status: Int,
        headers: HTTPHeaders,
        translation: ChatTranslator.OutboundRequest
    ) -> TranslatedWhole {
        let translated = translation.translator.translateResponse(body, status: status)
        var notes = translation.report
        for note in translated.report.notes { notes.note(note) }
        var fields = ResponseHeaderPolicy.filter(headers, bodyIsRewritten: true)
            .filter { !HeaderText.name($0.name, is: "content-type") }
        fields.append((name: "content-type", value: "application/json"))
        if let value = notes.headerValue { fields.append((name: Self.translationNotesHeader, value: value)) }
        if (200..<300).contains(status), translated.status == 502 {
            // A provider's answer that could not be read: the provider has served (and billed)
            // the request, so the app is told a retry cannot help, as for the wallet's own refusals.
            fields += ErrorBody.codeHeaders(for: .translationFailed)
        }
        return TranslatedWhole(
            status: translated.status,
            headers: fields,
            body: ByteBuffer(bytes: translated.body),
            leftovers: translated.leftovers
        )
    }

    /// The usage of a provider's whole answer read from its bytes, as the usage meter reads a
    /// JSON body (nothing for a body that is not JSON).
    static func usage(of answer: ByteBuffer, from provider: Provider) -> TokenUsage? {
        UsageExtractor.usage(fromJSON: answer.readableBytesView, provider: provider.id)
    }
}

/// A provider's whole answer translated into the app's family (``ProxyEngine/translatedWhole(_:status:headers:translation:)``).
struct TranslatedWhole: Sendable {
    var status: Int
    /// The headers that go to the app.
    var headers: [(name: String, value: String)]
    var body: ByteBuffer
    /// The documents read and written, let go once the answer is sent.
    var leftovers: TranslationLeftovers
}
