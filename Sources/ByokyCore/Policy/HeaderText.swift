/// Byte-level checks of header names and values that allocate nothing (the proxy runs them on
/// every request).
public enum HeaderText {
    /// Whether `name` is an HTTP token (RFC 9110 `tchar`s, at least one), as a header name must be.
    public static func isToken(_ name: String) -> Bool {
        if let verdict = name.utf8.withContiguousStorageIfAvailable({ isToken(bytes: $0) }) { return verdict }
        return isToken(bytes: Array(name.utf8))
    }

    /// ``isToken(_:)`` over raw bytes (a header name as read from the wire).
    public static func isToken(_ name: UnsafeRawBufferPointer) -> Bool {
        isToken(bytes: name)
    }

    /// ``name(_:is:)`` over raw bytes (a header name or value item as read from the wire).
    public static func bytes(_ bytes: UnsafeRawBufferPointer, are lowercased: StaticString) -> Bool {
        equalsIgnoringCase(bytes.assumingMemoryBound(to: UInt8.self), buffer(of: lowercased))
    }

    /// Whether `value` may go in a header: no CR, LF or NUL.
    public static func isSafeValue(_ value: String) -> Bool {
        if let verdict = value.utf8.withContiguousStorageIfAvailable({ isSafeValue(bytes: $0) }) { return verdict }
        return isSafeValue(bytes: Array(value.utf8))
    }

    /// ``isToken(_:)`` over bytes (a string's contiguous storage: no per-byte index checks).
    private static func isToken(bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// ``isSafeValue(_:)`` over bytes.
    private static func isSafeValue(bytes: some Collection<UInt8>) -> Bool {
        !bytes.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Whether `name` is `lowercased` in any ASCII case (`lowercased` must be lower-case ASCII).
    public static func name(_ name: String, is lowercased: StaticString) -> Bool {
        self.name(name, isBytes: buffer(of: lowercased))
    }

    /// ``name(_:is:)`` against a lower-case name known only at run time (an `HTTPField.Name`'s
    /// `canonicalName`).
    public static func name(_ name: String, is lowercased: String) -> Bool {
        lowercased.utf8.withContiguousStorageIfAvailable { self.name(name, isBytes: $0) }
            ?? equalsIgnoringCase(name.utf8, lowercased.utf8)
    }

    /// ``name(_:is:)`` against lower-case bytes: over the string's own bytes when it has them in
    /// one piece (native and small strings do), not through its UTF-8 view, which costs several
    /// times more a byte.
    private static func name(_ name: String, isBytes expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.utf8.count == expected.count else { return false }
        return name.utf8.withContiguousStorageIfAvailable { equalsIgnoringCase($0, expected) }
            ?? equalsIgnoringCase(name.utf8, expected)
    }

    /// `name` with ASCII letters in lower case; the same string (no copy) when it already is, as
    /// most clients send header names.
    public static func lowercased(_ name: String) -> String {
        var name = name
        let hasUpper = name.withUTF8 { $0.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } }
        return hasUpper ? name.lowercased() : name
    }

    /// ``name(_:is:)`` over raw bytes, against lower-case ASCII bytes known only at run time.
    static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, are lowercased: [UInt8]) -> Bool {
        lowercased.withUnsafeBufferPointer { equalsIgnoringCase(bytes, $0) }
    }

    private static func buffer(of text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// Whether `bytes` are `expected` (lower-case ASCII) in any ASCII case: every comparison of
    /// bytes in one piece comes here, by index.
    private static func equalsIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ expected: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard bytes.count == expected.count else { return false }
        for index in 0..<bytes.count {
            let sent = bytes[index]
            let wanted = expected[index]
            guard sent == wanted || (sent >= UInt8(ascii: "A") && sent <= UInt8(ascii: "Z") && sent | 0x20 == wanted)
            else { return false }
        }
        return true
    }

    /// The same over a string's UTF-8 view, for a string whose bytes are not in one piece.
    private static func equalsIgnoringCase(
        _ bytes: some Collection<UInt8>,
        _ expected: some Collection<UInt8>
    ) -> Bool {
        guard bytes.count == expected.count else { return false }
        return zip(bytes, expected).allSatisfy { sent, wanted in
            sent == wanted || (sent >= UInt8(ascii: "A") && sent <= UInt8(ascii: "Z") && sent | 0x20 == wanted)
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
