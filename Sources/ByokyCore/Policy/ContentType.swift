/// Checks on a `content-type` header value that the request path makes on every response:
/// ASCII case-insensitive, on bytes, without building a lower-cased copy.
public enum ContentType {
    /// Whether `value` names a server-sent event stream (`text/event-stream`).
    public static func isEventStream(_ value: String?) -> Bool {
        value.map { contains("text/event-stream", in: $0) } ?? false
    }

    /// Whether `value` names JSON (`application/json`, `application/problem+json`, …).
    public static func isJSON(_ value: String?) -> Bool {
        value.map { contains("json", in: $0) } ?? false
    }

    /// Whether `needle` (lower-case ASCII) occurs in `value`, ignoring ASCII case.
    static func contains(_ needle: StaticString, in value: String) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var value = value
        return value.withUTF8 { text in
            guard text.count >= pattern.count else { return false }
            for start in 0...(text.count - pattern.count) {
                var offset = 0
                while offset < pattern.count, lowercased(text[start + offset]) == pattern[offset] { offset += 1 }
                if offset == pattern.count { return true }
            }
            return false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
