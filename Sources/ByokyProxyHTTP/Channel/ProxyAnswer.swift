public import ByokyWallet
public import Hummingbird

/// A ``ProxyRoute``'s answer to a request.
///
/// A wallet answer goes to the connection as it is: its head serialized straight from its header
/// list, its body from the provider's, with no Hummingbird `Response` (header fields built, then
/// read back) or response-body writer (a task hop per part) in between. Anything else (a refusal,
/// an error) is a prepared response.
public enum ProxyAnswer: Sendable {
    /// A wallet answer; `requestOrigin` is the page that sent the request (it may read an error).
    case proxied(ProxyResponse, requestOrigin: String?)
    /// A prepared response.
    case response(Response)

    /// The answer as a Hummingbird response (for a server's router).
    public func response() async -> Response {
        switch self {
        case .proxied(let response, let requestOrigin):
            await BridgeResponses.proxied(response, requestOrigin: requestOrigin)
        case .response(let response):
            response
        }
    }
}

extension ProxyResponse {
    /// The page that may read this answer: the one whose session it answers (the engine checked
    /// it), or for an error the page that sent the request (an app must see why it failed).
    func readableOrigin(requestOrigin: String?) -> String? {
        allowedOrigin ?? (status >= 400 ? requestOrigin : nil)
    }
}
