public import ByokyCore

/// What a translation built on its way: the documents it read and wrote and the request or
/// answer between them. Handed back so a server can keep them until its answer has been sent:
/// freeing these trees costs about as much as building them, and need not delay the answer.
/// Held by reference: handing them on (to a plan, to a completion) copies no request or answer.
public final class TranslationLeftovers: Sendable {
    let documents: [JSONNode]
    let request: ChatRequest?
    let response: ChatResponse?
    /// The provider's answer as the translation parsed it (`nil` for a request's translation,
    /// or when the answer is not JSON): a server reads its usage from this, not from the bytes.
    public let answer: JSONNode?

    init(documents: [JSONNode], request: ChatRequest? = nil, response: ChatResponse? = nil, answer: JSONNode? = nil) {
        self.documents = documents
        self.request = request
        self.response = response
        self.answer = answer
    }
}
