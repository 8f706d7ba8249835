/// A URL path's segments read from its end, one at a time, with no list of them made: for the
/// endpoint checks on the request path.
package enum PathSegments {
    /// The segment `index` places from the end of `path` (0: the last), between slashes, or
    /// `nil` past its start: `/v1/files` has `files`, `v1` and the empty segment before its
    /// leading slash.
    package static func segment(_ index: Int, fromEndOf path: Substring) -> Substring? {
        let bytes = path.utf8
        var end = bytes.endIndex
        var remaining = index
        while true {
            var start = end
            while start > bytes.startIndex {
                let before = bytes.index(before: start)
                if bytes[before] == UInt8(ascii: "/") { break }
                start = before
            }
            if remaining == 0 { return path[start..<end] }
            guard start > bytes.startIndex else { return nil }
            end = bytes.index(before: start)
            remaining -= 1
        }
    }
}
