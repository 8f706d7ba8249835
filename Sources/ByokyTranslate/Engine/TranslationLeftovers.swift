import ByokyCore

/// What a translation built on its way: the documents it read and wrote and the request or
/// answer between them. Handed back so a server can keep them until its answer has been sent:
/// freeing these trees costs about as much as building them, and need not delay the answer.
public struct TranslationLeftovers: Sendable {
    let documents: [JSONNode]
    let request: ChatRequest?
    let response: ChatResponse?

    init(documents: [JSONNode], request: ChatRequest? = nil, response: ChatResponse? = nil) {
        self.documents = documents
        self.request = request
        self.response = response
    }
}
