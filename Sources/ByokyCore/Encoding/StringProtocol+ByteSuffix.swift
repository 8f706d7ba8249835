extension StringProtocol {
    /// Whether the text ends with `suffix`, compared byte by byte: for the ASCII of paths on the
    /// request path, where `hasSuffix` (which compares characters) costs several times as much.
    @inlinable
    public func hasByteSuffix(_ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        let bytes = utf8
        guard bytes.count >= count else { return false }
        let tail = bytes[bytes.index(bytes.endIndex, offsetBy: -count)...]
        return suffix.withUTF8Buffer { tail.elementsEqual($0) }
    }
}
