extension String {
    /// The text of UTF-8 `bytes`, as `String(decoding: bytes, as: UTF8.self)` makes it (invalid
    /// UTF-8 repaired with U+FFFD), made in place when it is short.
    ///
    /// Text of up to 15 bytes (member names, numbers, header fields: most of what a request's
    /// parsers read) is written straight into the string's inline storage, which costs about a
    /// third less than decoding it; longer text is decoded.
    package init(utf8Bytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= 15, let base = bytes.baseAddress else {
            self = String(decoding: bytes, as: UTF8.self)
            return
        }
        self = String(unsafeUninitializedCapacity: bytes.count) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: bytes.count)
            return bytes.count
        }
    }
}
