public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level syntax shared by the readers of HTTP/1.1 requests and answers: line ends,
/// header fields and chunk sizes, strict where leniency could make one message look like two.
public enum HTTP1Bytes {
    /// CRLF CRLF: the end of a head or trailer section.
    public static let headEnd: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    /// CRLF.
    public static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// The offset of `pattern` in `buffer`'s readable bytes, searching from `start`.
    public static func find(_ pattern: [UInt8], in buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { find(pattern, in: $0, from: start) }
    }

    /// The offset of `pattern` in `bytes`, searching from `start` (its first byte found by
    /// `memchr`, several bytes at a step).
    public static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let last = bytes.count - pattern.count
        guard last >= start, let base = bytes.baseAddress else { return nil }
        let first = Int32(pattern[0])
        var index = start
        while index <= last {
            guard let hit = memchr(base + index, first, last - index + 1) else { return nil }
            index = base.distance(to: UnsafeRawPointer(hit))
            var matched = 1
            while matched < pattern.count, bytes[index + matched] == pattern[matched] { matched += 1 }
            if matched == pattern.count { return index }
            index += 1
        }
        return nil
    }

    /// The offset of the first `byte` in `bytes`, by `memchr`.
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let hit = memchr(base, Int32(byte), bytes.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// The offset of the blank line (CRLF CRLF) that ends the head at the start of `buffer`'s
    /// readable bytes, searching from `scanned`; `nil` while it has not come (`scanned` then
    /// moves on to where the next search starts).
    ///
    /// - Throws: ``HTTP1MessageError/headTooLarge`` past `limit` bytes;
    ///   ``HTTP1MessageError/invalidHeader`` at a bare LF, which would otherwise wait for a
    ///   CRLF CRLF that never comes.
    public static func headEnd(
        in buffer: ByteBuffer,
        scanned: inout Int,
        limit: Int
    ) throws(HTTP1MessageError) -> Int? {
        guard let end = find(headEnd, in: buffer, from: scanned) else {
            guard buffer.readableBytes <= limit else { throw .headTooLarge }
            guard !hasBareLineFeed(in: buffer, from: scanned) else { throw .invalidHeader }
            scanned = max(0, buffer.readableBytes - 3)
            return nil
        }
        guard end <= limit else { throw .headTooLarge }
        return end
    }

    /// Whether an LF not preceded by CR is among `buffer`'s readable bytes from `start` on.
    static func hasBareLineFeed(in buffer: ByteBuffer, from start: Int) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            var index = start
            while index < bytes.count {
                if bytes[index] == 0x0A, index == 0 || bytes[index - 1] != 0x0D { return true }
                index += 1
            }
            return false
        }
    }

    /// Calls `body` with each `name: value` of header lines separated by CRLF (the last without
    /// one), the value without surrounding spaces and tabs, and whether spaces or tabs followed
    /// it. Refuses a name that is not a token (a space before the colon, a folded line) and a
    /// value with a control character other than a tab.
    public static func forEachField(
        in bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, Bool) throws(HTTP1MessageError) -> Void
    ) throws(HTTP1MessageError) {
        var start = 0
        while start < bytes.count {
            let end = find(lineEnd, in: bytes, from: start) ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            guard let colon = firstIndex(of: UInt8(ascii: ":"), in: line), colon > 0 else { throw .invalidHeader }
            let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
            guard HeaderText.isToken(name) else { throw .invalidHeader }
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
            for byte in value where (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw .invalidHeader }
            try body(name, value, valueEnd < line.count)
            start = end + 2
        }
    }

    /// A chunk-size line: hexadecimal digits, then optional extensions (read past), each
    /// `;name` or `;name=value` with a token for a name and a token or quoted string for a value,
    /// and no whitespace anywhere (RFC 9112 §7.1.1 allows some; llhttp, strict, does not).
    public static func chunkSize(_ line: UnsafeRawBufferPointer) throws(HTTP1MessageError) -> Int {
        var size = 0
        var index = 0
        while index < line.count {
            let byte = line[index]
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            default: value = -1
            }
            guard value >= 0 else { break }
            // 15 hexadecimal digits: far beyond any body, short of overflow.
            guard index < 15 else { throw .invalidChunk }
            size = size * 16 + value
            index += 1
        }
        guard index > 0 else { throw .invalidChunk }
        while index < line.count {
            guard line[index] == UInt8(ascii: ";") else { throw .invalidChunk }
            index = try tokenEnd(in: line, from: index + 1)
            guard index < line.count, line[index] == UInt8(ascii: "=") else { continue }
            index += 1
            if index < line.count, line[index] == UInt8(ascii: "\"") {
                index = try quotedStringEnd(in: line, from: index + 1)
            } else {
                index = try tokenEnd(in: line, from: index)
            }
        }
        return size
    }

    /// Where a token that starts at `start` ends (at a `;`, `=` or the end); it must have a byte.
    private static func tokenEnd(in line: UnsafeRawBufferPointer, from start: Int) throws(HTTP1MessageError) -> Int {
        var end = start
        while end < line.count, line[end] != UInt8(ascii: ";"), line[end] != UInt8(ascii: "=") { end += 1 }
        guard end > start, HeaderText.isToken(UnsafeRawBufferPointer(rebasing: line[start..<end])) else {
            throw .invalidChunk
        }
        return end
    }

    /// Where a quoted string whose opening quote is just before `start` ends (after its closing
    /// quote): visible bytes, spaces and tabs, and `\` pairs.
    private static func quotedStringEnd(
        in line: UnsafeRawBufferPointer,
        from start: Int
    ) throws(HTTP1MessageError) -> Int {
        var index = start
        while index < line.count {
            let byte = line[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                guard index + 1 < line.count, isQuotable(line[index + 1]) else { throw .invalidChunk }
                index += 2
            default:
                guard isQuotable(byte) else { throw .invalidChunk }
                index += 1
            }
        }
        throw .invalidChunk
    }

    /// A byte a quoted string may hold: a tab, a space, visible ASCII or past ASCII.
    private static func isQuotable(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }
}
