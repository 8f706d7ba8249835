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
        // Hold back only a tail that is the start of a character still arriving.
        let end = carried.count - Self.incompleteTailLength(carried)
        guard let text = String(validating: carried[..<end], as: UTF8.self) else {
            isBinary = true
            return nil
        }
        carried.removeFirst(end)
        return text
    }

    /// How many trailing bytes begin a multi-byte character that is not complete yet (0 to 3).
    private static func incompleteTailLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count - 1
        var continuations = 0
        while index >= 0, continuations < 3, bytes[index] & 0xC0 == 0x80 {
            continuations += 1
            index -= 1
        }
        guard index >= 0 else { return 0 }
        let lead = bytes[index]
        let length: Int =
            switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 1
            }
        return length > continuations + 1 ? continuations + 1 : 0
    }

    /// Takes the bytes not yet sent (after ``text(for:)`` returned `nil`, or at the end of the stream).
    package mutating func takePendingBytes() -> [UInt8] {
        defer { carried = [] }
        return carried
    }
}
