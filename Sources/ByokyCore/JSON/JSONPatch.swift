/// Small edits to a JSON document that keep every other byte as it was (key order, spacing,
/// number spelling), so a proxied body changes only where the wallet means it to.
public enum JSONPatch {
    /// The document with the top-level member `key` set to the string `value` (added at the end
    /// when absent); `nil` when `document` is not a JSON object.
    ///
    /// The result has one member named `key`, whatever the document spelled: when `key` comes
    /// more than once, or a member's name holds an escape (which may spell it), the parsed
    /// document is written back with every member of that name replaced by one. A provider
    /// then reads the value set, whether its parser keeps the first or the last of a name.
    public static func settingTopLevelString(_ key: String, to value: String, in document: [UInt8]) -> [UInt8]? {
        // The body is checked with the project's own parser (Foundation's cost several times more).
        guard case .object(var object)? = try? JSONNode.parse(document) else { return nil }
        guard let lookup = document.withUnsafeBytes({ JSONTopLevelScanner.valueSpan(ofKey: key, in: $0) }),
            lookup.count <= 1
        else {
            // Every member of the name removed, then the one set added.
            object[key] = nil
            object[key] = .string(value)
            return JSONNode.object(object).jsonBytes
        }
        let encoded = JSONWriter.object([("v", .string(value))]).dropFirst(5).dropLast()
        if let span = lookup.value {
            return Array(document[..<span.lowerBound]) + encoded + Array(document[span.upperBound...])
        }
        guard let closing = document.lastIndex(of: UInt8(ascii: "}")) else { return nil }
        let keyBytes = JSONWriter.object([(key, .null)]).dropFirst().dropLast(6)
        let separator: [UInt8] = object.isEmpty ? [] : [UInt8(ascii: ",")]
        return Array(document[..<closing]) + separator + keyBytes + [UInt8(ascii: ":")] + encoded
            + Array(document[closing...])
    }
}
