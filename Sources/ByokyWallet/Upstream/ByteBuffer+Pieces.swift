package import NIOCore

/// Appends text pieces to a buffer (an HTTP head: a few dozen short strings) with one capacity
/// check: `ByteBuffer.writeString` per piece costs a capacity and an exclusivity check each,
/// several times the copy itself.
package struct PieceWriter: ~Copyable {
    private let base: UnsafeMutableRawPointer?
    private let capacity: Int
    /// Bytes appended (or, while measuring, counted) so far.
    package private(set) var count = 0

    fileprivate init(measuring: Void) {
        base = nil
        capacity = .max
    }

    fileprivate init(into bytes: UnsafeMutableRawBufferPointer) {
        base = bytes.baseAddress
        capacity = bytes.count
    }

    package mutating func append(_ text: String) {
        guard let base else {
            count += text.utf8.count
            return
        }
        // A native string's bytes are read in place; any other is made native first.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { copy(UnsafeRawBufferPointer($0), to: base) }
        if copied == nil {
            var text = text
            text.withUTF8 { copy(UnsafeRawBufferPointer($0), to: base) }
        }
    }

    package mutating func append(_ text: StaticString) {
        guard let base else {
            count += text.utf8CodeUnitCount
            return
        }
        copy(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), to: base)
    }

    private mutating func copy(_ bytes: UnsafeRawBufferPointer, to base: UnsafeMutableRawPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        // The pieces are the ones measured: more would be a bug, never written past the end.
        precondition(count + bytes.count <= capacity, "more bytes than measured")
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}

extension ByteBuffer {
    /// Appends what `pieces` appends: run once to measure, once to copy (it must append the
    /// same pieces both times). With room for `extra` more bytes after them: a buffer made
    /// empty (`ByteBuffer()`, which shares one empty storage) is then allocated once, at the
    /// size needed, where a guessed capacity costs a second allocation when the guess is short.
    package mutating func writePieces<Failure: Error>(
        reservingAfter extra: Int = 0,
        _ pieces: (inout PieceWriter) throws(Failure) -> Void
    ) throws(Failure) {
        var measure = PieceWriter(measuring: ())
        try pieces(&measure)
        let size = measure.count
        if writableBytes < size + extra { reserveCapacity(minimumWritableBytes: size + extra) }
        _ = try writeWithUnsafeMutableBytes(minimumWritableBytes: size) { (bytes) throws(Failure) -> Int in
            var writer = PieceWriter(into: bytes)
            try pieces(&writer)
            precondition(writer.count == size, "fewer bytes than measured")
            return size
        }
    }
}
