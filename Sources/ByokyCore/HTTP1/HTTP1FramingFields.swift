/// What a head's framing fields say (`content-length`, `transfer-encoding`, `connection`), noted
/// as its fields are read.
public struct HTTP1FramingFields: Sendable {
    /// Whether the last transfer coding is `chunked`.
    public private(set) var isChunkedLast = false
    /// How many transfer codings were named, over every `transfer-encoding` field.
    public private(set) var transferCodings = 0
    /// Whether a `transfer-encoding` field came (even an empty one).
    public private(set) var hasTransferEncoding = false
    /// The declared length; every `content-length` value must agree.
    public private(set) var length: Int?
    /// How many `content-length` values came, over every such field.
    public private(set) var lengthValues = 0
    /// Whether the connection closes after the message: `connection: close`, or HTTP/1.0
    /// without `connection: keep-alive`.
    public private(set) var closes: Bool
    /// Whether a `content-length` or `transfer-encoding` value had spaces or tabs after it
    /// (`chunked<TAB>`, read as chunked here and as an unknown coding by a proxy in front, lets a
    /// body hide a request; a reader of requests refuses it).
    public private(set) var hasSpacedFramingValue = false
    private let minorVersion: Int

    /// For a message of HTTP/1.`minorVersion`.
    public init(minorVersion: Int) {
        self.minorVersion = minorVersion
        closes = minorVersion == 0
    }

    /// Notes a field when it is one of the framing fields; `spaceFollows`: spaces or tabs came
    /// after its value.
    public mutating func note(
        name: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        spaceFollows: Bool
    ) throws(HTTP1MessageError) {
        switch name.count {
        case 14 where HeaderText.bytes(name, are: "content-length"):
            if spaceFollows { hasSpacedFramingValue = true }
            try Self.forEachItem(of: value, keepingEmpty: true) { item throws(HTTP1MessageError) in
                lengthValues += 1
                guard !item.isEmpty, item.count <= 18 else { throw .invalidContentLength }
                var parsed = 0
                for digit in item {
                    guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                        throw .invalidContentLength
                    }
                    parsed = parsed * 10 + Int(digit - UInt8(ascii: "0"))
                }
                if let length, length != parsed { throw .invalidContentLength }
                length = parsed
            }
        case 17 where HeaderText.bytes(name, are: "transfer-encoding"):
            if spaceFollows { hasSpacedFramingValue = true }
            hasTransferEncoding = true
            var last: UnsafeRawBufferPointer?
            var count = 0
            Self.forEachItem(of: value, keepingEmpty: false) {
                last = $0
                count += 1
            }
            transferCodings += count
            if let last { isChunkedLast = HeaderText.bytes(last, are: "chunked") }
        case 10 where HeaderText.bytes(name, are: "connection"):
            Self.forEachItem(of: value, keepingEmpty: false) { option in
                if HeaderText.bytes(option, are: "close") {
                    closes = true
                } else if minorVersion == 0, HeaderText.bytes(option, are: "keep-alive") {
                    closes = false
                }
            }
        default:
            break
        }
    }

    /// The items of a comma-separated value, without surrounding spaces and tabs.
    private static func forEachItem<E: Error>(
        of value: UnsafeRawBufferPointer,
        keepingEmpty: Bool,
        _ body: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var first = start
            var last = end
            while first < last, value[first] == 0x20 || value[first] == 0x09 { first += 1 }
            while last > first, value[last - 1] == 0x20 || value[last - 1] == 0x09 { last -= 1 }
            if first < last || keepingEmpty { try body(UnsafeRawBufferPointer(rebasing: value[first..<last])) }
            start = end + 1
        }
    }
}
