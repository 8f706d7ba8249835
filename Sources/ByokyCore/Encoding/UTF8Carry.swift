/// Splits a byte stream into UTF-8 text pieces without cutting a character: bytes of a character
/// that continues in the next chunk are carried over. Once the stream proves not to be UTF-8, it
/// reports that, and the caller sends the rest as bytes.
package struct UTF8Carry: Sendable {
    package init() {}

    private var carried: [UInt8] = []
    package private(set) var isBinary = false

    /// The text that `chunk` completes, or `nil` when the stream is not UTF-8 (then `pendingBytes`
    /// holds everything not yet sent).
    package mutating func text(for chunk: some Sequence<UInt8>) -> String? {
        carried.append(contentsOf: chunk)
        guard !isBinary else { return nil }
        // A character is at most 4 bytes: try the whole buffer, then without up to 3 trailing bytes.
        for cut in 0...min(3, carried.count) {
            let end = carried.count - cut
            if let text = String(validating: carried[..<end], as: UTF8.self) {
                carried.removeFirst(end)
                return text
            }
        }
        isBinary = true
        return nil
    }

    /// Takes the bytes not yet sent (after ``text(for:)`` returned `nil`, or at the end of the stream).
    package mutating func takePendingBytes() -> [UInt8] {
        defer { carried = [] }
        return carried
    }
}
