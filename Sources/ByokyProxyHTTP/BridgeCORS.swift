public import HTTPTypes
public import Hummingbird

/// The CORS headers of the bridge: which page may read an answer, and what it may read.
public enum BridgeCORS {
    /// Lets `origin` read the answer, headers included (`x-byoky-*`, `request-id`, rate limits:
    /// apps need them all). Requests from pages never carry cookies, so `*` is honoured.
    public static func allow(_ origin: String, in headers: inout HTTPFields) {
        for (name, value) in fields(allowing: origin) { headers[name] = value }
    }

    /// The fields that let `origin` read an answer; they replace any of the same names.
    static func fields(allowing origin: String) -> [(name: HTTPField.Name, value: String)] {
        [(.accessControlAllowOrigin, origin), (.accessControlExposeHeaders, "*"), (.vary, "origin")]
    }

    /// A preflight's answer for `origin`: the methods and headers asked for, and Chrome's
    /// private/local network access opt-in (a page on the public internet may reach this
    /// loopback server only when it says so).
    public static func preflightAnswer(for request: Request, origin: String) -> Response {
        var headers = HTTPFields()
        allow(origin, in: &headers)
        headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
        headers[.accessControlAllowHeaders] =
            request.headers[.accessControlRequestHeaders] ?? "content-type, authorization, x-api-key"
        headers[.accessControlMaxAge] = "600"
        for (asked, answer) in networkAccessHeaders where request.headers[asked] == "true" {
            headers[answer] = "true"
        }
        return Response(status: .noContent, headers: headers)
    }

    /// Chrome's Private Network Access preflight header and its Local Network Access successor,
    /// each with the header that grants it.
    private static let networkAccessHeaders: [(HTTPField.Name, HTTPField.Name)] = [
        (
            HTTPField.Name("Access-Control-Request-Private-Network")!,
            HTTPField.Name("Access-Control-Allow-Private-Network")!
        ),
        (
            HTTPField.Name("Access-Control-Request-Local-Network")!,
            HTTPField.Name("Access-Control-Allow-Local-Network")!
        ),
    ]
}
