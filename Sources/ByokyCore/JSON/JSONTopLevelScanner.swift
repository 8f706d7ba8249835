/// Finds members of a JSON object's top level by scanning its bytes, without building the
/// document: for reading one field of a large body (a request's `model`) on the request path.
///
/// The scan does not validate the document. Callers that must refuse malformed JSON parse it.
public enum JSONTopLevelScanner {
    /// The string value of top-level member `key` (the last one, as parsers keep); `nil` when the
    /// member is missing or not a string.
    public static func string(forKey key: String, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let span = valueSpan(ofKey: key, in: bytes), bytes[span.lowerBound] == UInt8(ascii: "\"") else {
            return nil
        }
        return (try? JSONNode.parse(UnsafeRawBufferPointer(rebasing: bytes[span])))?.stringValue
    }

    /// The same, for bytes in an array.
    public static func string(forKey key: String, in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { string(forKey: key, in: $0) }
    }

    /// The byte range of the value of top-level member `key` (the last one, as parsers keep).
    static func valueSpan(ofKey key: String, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        var depth = 0
        var index = 0
        var found: Range<Int>?
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
                    let isKey = end - 1 > index && bytes[(index + 1)..<(end - 1)].elementsEqual(key.utf8)
                    var cursor = end
                    while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ":") { cursor += 1 }
                    cursor += 1
                    while cursor < bytes.count, isWhitespace(bytes[cursor]) { cursor += 1 }
                    if isKey, cursor < bytes.count {
                        found = cursor..<valueEnd(from: cursor, in: bytes)
                    }
                    index = cursor
                } else {
                    index = end
                }
            default:
                index += 1
            }
        }
        return found
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The index just past the string that starts with the quote at `start`.
    private static func stringEnd(from start: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { return index + 1 }
            index += 1
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
