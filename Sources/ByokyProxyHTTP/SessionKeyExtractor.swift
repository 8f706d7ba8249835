import ByokyCore
public import HTTPTypes

/// Finds the session key an app's stock SDK sent as its "API key".
///
/// Each SDK puts its key in its provider's own header (`x-api-key`, `Authorization: Bearer`,
/// `x-goog-api-key`, `api-key`, or Gemini's `?key=`); any of them is accepted for any provider.
public enum SessionKeyExtractor {
    public static func sessionKey(headers: HTTPFields, query: String?) -> String? {
        for name in ["x-api-key", "x-goog-api-key", "api-key"] {
            if let field = HTTPField.Name(name), let value = headers[field], !value.isEmpty { return value }
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
