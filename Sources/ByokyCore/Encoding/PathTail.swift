/// A URL path's last segments, found in one pass over its bytes from the end, with no list of
/// segments made: for the endpoint checks on the request path.
package struct PathTail {
    /// The last segment (empty for a path that ends in `/`).
    package let last: Substring
    /// The segments before it, nearest first, or `nil` past the path's start: `/v1/files` has
    /// `files`, then `v1`, then the empty segment before its leading slash.
    package let before: Substring?
    package let third: Substring?
    package let fourth: Substring?

    package init(_ path: Substring) {
        // The byte offsets of the last four slashes, nearest the end first (-1: none); a text
        // not contiguous in memory (a bridged string) is copied to be read.
        let slashes =
            path.utf8.withContiguousStorageIfAvailable(Self.lastSlashes) ?? Self.lastSlashes(Array(path.utf8))
        let utf8 = path.utf8
        /// The text between byte offsets `start` (a slash's, or -1 for the path's start) and `end`.
        func text(after start: Int, to end: Int) -> Substring {
            let from = utf8.index(utf8.startIndex, offsetBy: start + 1)
            let to = utf8.index(utf8.startIndex, offsetBy: end)
            return path[from..<to]
        }
        let count = utf8.count
        last = text(after: slashes.0, to: count)
        before = slashes.0 < 0 ? nil : text(after: slashes.1, to: slashes.0)
        third = slashes.1 < 0 ? nil : text(after: slashes.2, to: slashes.1)
        fourth = slashes.2 < 0 ? nil : text(after: slashes.3, to: slashes.2)
    }

    /// The offsets of the last four slashes in `bytes`, nearest the end first (-1: none).
    private static func lastSlashes(_ bytes: some RandomAccessCollection<UInt8>) -> (Int, Int, Int, Int) {
        var slashes = (-1, -1, -1, -1)
        var count = 0
        var offset = bytes.count
        for byte in bytes.reversed() {
            guard count < 4 else { break }
            offset -= 1
            guard byte == UInt8(ascii: "/") else { continue }
            switch count {
            case 0: slashes.0 = offset
            case 1: slashes.1 = offset
            case 2: slashes.2 = offset
            default: slashes.3 = offset
            }
            count += 1
        }
        return slashes
    }
}
