import ByokyCore
public import HTTPTypes

/// Finds the session key an app's stock SDK sent as its "API key".
///
/// Each SDK puts its key in its provider's own header (`x-api-key`, `Authorization: Bearer`,
/// `x-goog-api-key`, `api-key`, or Gemini's `?key=`); any of them is accepted for any provider.
public enum SessionKeyExtractor {
    /// The key headers other than `Authorization`, made once (a name is checked when it is made).
    private static let keyHeaders = ["x-api-key", "x-goog-api-key", "api-key"].compactMap { HTTPField.Name($0) }

    public static func sessionKey(headers: HTTPFields, query: String?) -> String? {
        for field in keyHeaders {
            if let value = headers[field], !value.isEmpty { return value }
        }
        if let authorization = headers[.authorization],
            let token = UpstreamAuthScheme.bearer.credential(fromHeaderValue: authorization)
        {
            return token
        }
        for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("key=") {
            return String(pair.dropFirst(4))
        }
        return nil
    }
}
