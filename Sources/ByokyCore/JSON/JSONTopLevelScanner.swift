#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds members of a JSON object's top level by scanning its bytes, without building the
/// document: for reading one field of a large body (a request's `model`) on the request path.
///
/// The scan does not validate the document. Callers that must refuse malformed JSON parse it.
public enum JSONTopLevelScanner {
    /// The string value of top-level member `key` (the last one, as parsers keep); `nil` when the
    /// member is missing or not a string.
    public static func string(forKey key: String, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let lookup = valueSpan(ofKey: key, in: bytes) else {
            // A member's name holds an escape and may spell `key`: the parser reads it as the
            // provider will.
            return (try? JSONNode.parse(bytes))?[key]?.stringValue
        }
        guard let span = lookup.value, bytes[span.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let value = UnsafeRawBufferPointer(rebasing: bytes[span])
        // The usual value is its bytes; any other is read by the parser, which decodes escapes
        // and refuses what is not JSON.
        return plainString(in: value) ?? (try? JSONNode.parse(value))?.stringValue
    }

    /// The text of `value` when it is a string whose bytes are its text: closed, with no escape
    /// and no control character (what the parser would read it as); `nil` for any other value.
    static func plainString(in value: UnsafeRawBufferPointer) -> String? {
        guard value.count >= 2, value[0] == UInt8(ascii: "\""), value[value.count - 1] == UInt8(ascii: "\"") else {
            return nil
        }
        let inner = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
        guard !inner.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else { return nil }
        return String(utf8Bytes: inner)
    }

    /// The same, for bytes in an array.
    public static func string(forKey key: String, in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { string(forKey: key, in: $0) }
    }

    /// The byte range of the value of top-level member `key` (the last one, as parsers keep) and
    /// how many members have that name; `nil` when a member's name holds an escape, which may
    /// spell `key` (a comparison of bytes cannot tell: the caller parses).
    static func valueSpan(ofKey key: String, in bytes: UnsafeRawBufferPointer) -> (value: Range<Int>?, count: Int)? {
        var key = key
        // The key's own bytes, not a copy of them.
        return key.withUTF8 { keyBytes in
            var found: Range<Int>?
            var count = 0
            let complete = forEachMember(in: bytes) { name, value in
                guard !hasEscape(name, in: bytes) else { return false }
                if isName(name, in: bytes, equalTo: UnsafeRawBufferPointer(keyBytes)) {
                    found = value
                    count += 1
                }
                return true
            }
            return complete ? (found, count) : nil
        }
    }

    /// The byte ranges of the values of the top-level members named in `keys` (the last of each,
    /// as parsers keep), with the values of every other member skipped unread.
    ///
    /// - Returns: `nil` when the bytes do not start with an object or a member's name holds an
    ///   escape (whose decoded name a byte comparison cannot know); the caller then parses.
    public static func valueSpans(ofKeys keys: [String], in bytes: UnsafeRawBufferPointer) -> [String: Range<Int>]? {
        guard let spans = valueSpans(of: Keys(keys), in: bytes) else { return nil }
        var named: [String: Range<Int>] = [:]
        for (key, span) in zip(keys, spans) { named[key] = span }
        return named
    }

    /// Member names to look for, kept as bytes so a scan made often does not convert them each time.
    public struct Keys: Sendable {
        /// Every name's bytes, one after another.
        private let joined: [UInt8]
        /// Where each name's bytes are in `joined`, in the order given.
        private let spans: [Range<Int>]
        /// Bit `n` set when a name is `n` bytes long (`n` < 64): most member names of a document
        /// are of no length asked for, and are passed over at once.
        private let lengths: UInt64

        public init(_ names: [String]) {
            var joined: [UInt8] = []
            var spans: [Range<Int>] = []
            for name in names {
                spans.append(joined.count..<(joined.count + name.utf8.count))
                joined.append(contentsOf: name.utf8)
            }
            self.joined = joined
            self.spans = spans
            lengths = spans.reduce(0) { $1.count < 64 ? $0 | 1 << $1.count : $0 }
        }

        var count: Int { spans.count }

        /// The position of the first key whose bytes are those of the name at `name` in `bytes`:
        /// lengths first, then the bytes (most names are not one asked for).
        func index(of name: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Int? {
            if name.count < 64, lengths & 1 << name.count == 0 { return nil }
            return joined.withUnsafeBytes { joined in
                for (position, span) in spans.enumerated() where span.count == name.count {
                    if span.isEmpty
                        || memcmp(
                            joined.baseAddress! + span.lowerBound,
                            bytes.baseAddress! + name.lowerBound,
                            span.count
                        ) == 0
                    {
                        return position
                    }
                }
                return nil
            }
        }
    }

    /// The byte ranges of the values of the top-level members named in `keys`, in the order of
    /// `keys` (`nil` for a member that is absent), as ``valueSpans(ofKeys:in:)`` finds them.
    public static func valueSpans(of keys: Keys, in bytes: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }), bytes[first] == UInt8(ascii: "{") else {
            return nil
        }
        var spans = [Range<Int>?](repeating: nil, count: keys.count)
        let complete = forEachMember(in: bytes) { name, value in
            guard !hasEscape(name, in: bytes) else { return false }
            if let index = keys.index(of: name, in: bytes) { spans[index] = value }
            return true
        }
        return complete ? spans : nil
    }

    /// Every top-level member named in `keys`, each time it appears (a name given twice counts
    /// twice: parsers differ on which one they keep), in document order, its value parsed; every
    /// other member skipped unread. For reading a few members of a body too large to parse whole.
    ///
    /// - Returns: `nil` when the bytes do not start with an object, a member's name holds an
    ///   escape, or a value named is not JSON; the caller then parses the whole.
    public static func members(named keys: Keys, in bytes: UnsafeRawBufferPointer) -> [JSONObject.Member]? {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }), bytes[first] == UInt8(ascii: "{") else {
            return nil
        }
        var found: [(name: Range<Int>, value: Range<Int>)] = []
        let complete = forEachMember(in: bytes) { name, value in
            guard !hasEscape(name, in: bytes) else { return false }
            if keys.index(of: name, in: bytes) != nil { found.append((name, value)) }
            return true
        }
        guard complete else { return nil }
        var members: [JSONObject.Member] = []
        for (name, value) in found {
            guard let node = try? JSONNode.parse(UnsafeRawBufferPointer(rebasing: bytes[value])) else { return nil }
            members.append(JSONObject.Member(key: String(decoding: bytes[name], as: UTF8.self), value: node))
        }
        return members
    }

    /// Whether the member name at `name` holds a backslash (an escape).
    private static func hasEscape(_ name: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Bool {
        memchr(bytes.baseAddress! + name.lowerBound, Int32(UInt8(ascii: "\\")), name.count) != nil
    }

    private static func isName(
        _ name: Range<Int>,
        in bytes: UnsafeRawBufferPointer,
        equalTo key: UnsafeRawBufferPointer
    ) -> Bool {
        key.count == name.count
            && (key.isEmpty || memcmp(key.baseAddress!, bytes.baseAddress! + name.lowerBound, name.count) == 0)
    }

    /// Calls `body` with the name (inside its quotes) and value range of each top-level member,
    /// in order, until it returns `false`.
    ///
    /// - Returns: `false` when `body` stopped the walk.
    @discardableResult
    private static func forEachMember(
        in bytes: UnsafeRawBufferPointer,
        _ body: (_ name: Range<Int>, _ value: Range<Int>) -> Bool
    ) -> Bool {
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = byte == UInt8(ascii: "{") && depth == 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
                index += 1
            case UInt8(ascii: "\""):
                let end = stringEnd(from: index, in: bytes)
                if depth == 1 && expectingKey {
                    expectingKey = false
                    var cursor = end
                    while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ":") { cursor += 1 }
                    cursor += 1
                    while cursor < bytes.count, isWhitespace(bytes[cursor]) { cursor += 1 }
                    if end - 1 > index, cursor < bytes.count {
                        let valueEnd = valueEnd(from: cursor, in: bytes)
                        // A literal's span ends at the comma or brace after it: leave out the spaces.
                        var trimmedEnd = valueEnd
                        while trimmedEnd > cursor, isWhitespace(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
                        guard body((index + 1)..<(end - 1), cursor..<trimmedEnd) else { return false }
                        // The value is skipped whole: nothing inside it can be a top-level name.
                        index = valueEnd
                        continue
                    }
                    index = cursor
                } else {
                    index = end
                }
            default:
                index += 1
            }
        }
        return true
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The index just past the string that starts with the quote at `start` (the end of the
    /// bytes when it is not closed).
    ///
    /// The next quote is found with `memchr` (the text of an answer is most of its bytes); it
    /// closes the string unless an odd run of backslashes escapes it.
    private static func stringEnd(from start: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        var index = start + 1
        while index < bytes.count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else {
                return bytes.count
            }
            let quote = UnsafeRawPointer(found) - base
            var backslashes = 0
            while quote - backslashes - 1 > start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
                backslashes += 1
            }
            if backslashes.isMultiple(of: 2) { return quote + 1 }
            index = quote + 1
        }
        return bytes.count
    }

    /// The index just past the value that starts at `start`.
    private static func valueEnd(from start: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        if bytes[start] == UInt8(ascii: "\"") { return stringEnd(from: start, in: bytes) }
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index = stringEnd(from: index, in: bytes)
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return index
    }
}
