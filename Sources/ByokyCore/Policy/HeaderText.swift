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
        equalsIgnoringCase(bytes, lowercased)
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
        let expected = UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)
        guard name.utf8.count == expected.count else { return false }
        // A string's own bytes when it has them in one piece (native and small strings do): no
        // iteration through its UTF-8 view, which costs several times more a byte.
        return name.utf8.withContiguousStorageIfAvailable { equalsIgnoringCase($0, expected) }
            ?? equalsIgnoringCase(name.utf8, expected)
    }

    /// ``name(_:is:)`` against a lower-case name known only at run time (an `HTTPField.Name`'s
    /// `canonicalName`).
    public static func name(_ name: String, is lowercased: String) -> Bool {
        guard name.utf8.count == lowercased.utf8.count else { return false }
        let compared = name.utf8.withContiguousStorageIfAvailable { sent in
            lowercased.utf8.withContiguousStorageIfAvailable { equalsIgnoringCase(sent, $0) }
        }
        return (compared ?? nil) ?? equalsIgnoringCase(name.utf8, lowercased.utf8)
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
        equalsIgnoringCase(bytes, lowercased)
    }

    private static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercased: StaticString) -> Bool {
        equalsIgnoringCase(bytes, UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount))
    }

    /// ``equalsIgnoringCase(_:_:)`` over two buffers, by index.
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
