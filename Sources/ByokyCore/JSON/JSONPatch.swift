/// Small edits to a JSON document that keep every other byte as it was (key order, spacing,
/// number spelling), so a proxied body changes only where the wallet means it to.
public enum JSONPatch {
    /// The document with the top-level member `key` set to the string `value` (added at the end
    /// when absent); `nil` when `document` is not a JSON object.
    public static func settingTopLevelString(_ key: String, to value: String, in document: [UInt8]) -> [UInt8]? {
        // The body is checked with the project's own parser (Foundation's cost several times more).
        guard case .object(let object)? = try? JSONNode.parse(document) else { return nil }
        let encoded = JSONWriter.object([("v", .string(value))]).dropFirst(5).dropLast()
        if object[key] != nil,
            let span = document.withUnsafeBytes({ JSONTopLevelScanner.valueSpan(ofKey: key, in: $0) })
        {
            return Array(document[..<span.lowerBound]) + encoded + Array(document[span.upperBound...])
        }
        guard let closing = document.lastIndex(of: UInt8(ascii: "}")) else { return nil }
        let keyBytes = JSONWriter.object([(key, .null)]).dropFirst().dropLast(6)
        let separator: [UInt8] = object.isEmpty ? [] : [UInt8(ascii: ",")]
        return Array(document[..<closing]) + separator + keyBytes + [UInt8(ascii: ":")] + encoded
            + Array(document[closing...])
    }
}
