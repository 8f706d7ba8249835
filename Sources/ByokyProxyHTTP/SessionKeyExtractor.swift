import ByokyCore
public import HTTPTypes

/// Finds the session key an app's stock SDK sent as its "API key".
///
/// Each SDK puts its key in its provider's own header (`x-api-key`, `Authorization: Bearer`,
/// `x-goog-api-key`, `api-key`, or Gemini's `?key=`); any of them is accepted for any provider.
public enum SessionKeyExtractor {
    /// The key headers other than `Authorization`, in the order they are tried.
    private static let keyHeaderNames = ["x-api-key", "x-goog-api-key", "api-key"]
    /// The same names, made once (a name is checked when it is made).
    private static let keyHeaders = keyHeaderNames.compactMap { HTTPField.Name($0) }

    public static func sessionKey(headers: HTTPFields, query: String?) -> String? {
        for field in keyHeaders {
            if let value = headers[field], !value.isEmpty { return value }
        }
        return sessionKey(authorization: headers[.authorization], query: query?[...])
    }

    /// The same, from headers whose names are lower case (``ProxyRequestHead/fields``).
    public static func sessionKey(fields: [(name: String, value: String)], query: Substring?) -> String? {
        for name in keyHeaderNames {
            if let value = value(of: name, in: fields), !value.isEmpty { return value }
        }
        return sessionKey(authorization: value(of: "authorization", in: fields), query: query)
    }

    /// The values of the fields named `name`, joined with `, ` as `HTTPFields` joins them.
    private static func value(of name: String, in fields: [(name: String, value: String)]) -> String? {
        var joined: String?
        // Lengths first: most names differ in length, and that costs less than a comparison of
        // two strings (every request looks for four names among all its fields).
        let length = name.utf8.count
        for field in fields where field.name.utf8.count == length && field.name == name {
            joined = joined.map { $0 + ", " + field.value } ?? field.value
        }
        return joined
    }

    /// A bearer token in `authorization`, else the query's `key`.
    private static func sessionKey(authorization: String?, query: Substring?) -> String? {
        if let authorization, let token = UpstreamAuthScheme.bearer.credential(fromHeaderValue: authorization) {
            return token
        }
        for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("key=") {
            return String(pair.dropFirst(4))
        }
        return nil
    }
}
