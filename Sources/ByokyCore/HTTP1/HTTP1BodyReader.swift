public import NIOCore

/// Reads an HTTP/1.1 message body framed by its length or in chunks (RFC 9112 §6–7) from a
/// connection's bytes: the body as slices of the bytes read (never copied), then its end.
/// Trailer fields are checked and read past, not kept.
public struct HTTP1BodyReader: Sendable {
    /// What the bytes made.
    public enum Part {
        case bytes(ByteBuffer)
        case end
    }

    /// The longest chunk-size line (size and extensions) or trailer section read.
    public static let maximumChunkLineSize = 4 * 1024

    private enum State {
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(scanned: Int)
        case ended
    }

    private var state: State

    /// A body of `length` bytes.
    public init(length: Int) {
        state = .length(remaining: length)
    }

    /// A chunked body.
    public static var chunked: HTTP1BodyReader {
        var reader = HTTP1BodyReader(length: 0)
        reader.state = .chunkSize
        return reader
    }

    /// Whether every byte of the body has been read, so that its end is the next part.
    public var isComplete: Bool {
        switch state {
        case .length(remaining: 0), .ended: true
        default: false
        }
    }

    /// The next part the bytes at `buffer`'s reader index make, consuming them, or `nil` when
    /// more bytes are needed (what is left must be kept, with what comes next appended). A body
    /// framed by length ends at the call after its last bytes; a chunked one as its last chunk
    /// and trailers are read.
    public mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1MessageError) -> Part? {
        while true {
            switch state {
            case .length(let remaining):
                if remaining == 0 {
                    state = .ended
                    return .end
                }
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = .length(remaining: remaining - count)
                return .bytes(buffer.readSlice(length: count)!)
            case .chunkSize:
                guard let lineEnd = HTTP1Bytes.find(HTTP1Bytes.lineEnd, in: buffer, from: 0) else {
                    guard buffer.readableBytes <= Self.maximumChunkLineSize else { throw .invalidChunk }
                    return nil
                }
                guard lineEnd <= Self.maximumChunkLineSize else { throw .invalidChunk }
                let size = try buffer.withUnsafeReadableBytes { bytes throws(HTTP1MessageError) in
                    try HTTP1Bytes.chunkSize(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
                }
                buffer.moveReaderIndex(forwardBy: lineEnd + 2)
                state = size == 0 ? .trailers(scanned: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .bytes(buffer.readSlice(length: count)!)
            case .chunkDataEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw .invalidChunk }
                state = .chunkSize
            case .trailers(let scanned):
                // An empty line ends the trailer section.
                if buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
                    buffer.moveReaderIndex(forwardBy: 2)
                    state = .ended
                    return .end
                }
                guard let end = HTTP1Bytes.find(HTTP1Bytes.headEnd, in: buffer, from: scanned) else {
                    guard buffer.readableBytes <= Self.maximumChunkLineSize else { throw .invalidChunk }
                    state = .trailers(scanned: max(0, buffer.readableBytes - 3))
                    return nil
                }
                guard end <= Self.maximumChunkLineSize else { throw .invalidChunk }
                try buffer.withUnsafeReadableBytes { bytes throws(HTTP1MessageError) in
                    try HTTP1Bytes.forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[..<end])) { _, _, _ in }
                }
                buffer.moveReaderIndex(forwardBy: end + 4)
                state = .ended
                return .end
            case .ended:
                return nil
            }
        }
    }
}
