/// Why bytes could not be read as an HTTP/1.1 message (RFC 9112).
public enum HTTP1MessageError: Error, Equatable, Sendable {
    /// A response's first line is not `HTTP/1.x SP 3DIGIT [SP reason]`.
    case invalidStatusLine
    /// A request's first line is not `method SP target SP HTTP/1.x`.
    case invalidRequestLine
    /// A header or trailer line is not `token ":" value` with a safe value.
    case invalidHeader
    /// The head (first line and headers) is longer than the reader takes.
    case headTooLarge
    /// A `content-length` is not digits, or two disagree.
    case invalidContentLength
    /// A request's transfer coding is not `chunked` alone, or comes with a length or in HTTP/1.0.
    case invalidTransferEncoding
    /// A chunk's size line or the CRLF after its data is malformed.
    case invalidChunk
    /// The connection closed before the message ended.
    case truncated
    /// Bytes came while no message was expected.
    case unexpectedBytes
}
