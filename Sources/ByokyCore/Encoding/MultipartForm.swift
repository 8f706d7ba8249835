#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `multipart/form-data` body split into its parts (enough of RFC 7578 for the mock provider's
/// uploads, the wallet page's file fields and a budget's hold of an image edit's fields).
package enum MultipartForm {
    /// One field of the form.
    package struct Part: Sendable {
        package let name: String?
        /// The uploaded file's name, for a file field.
        package let filename: String?
        package let body: [UInt8]
    }

    /// The parts of `body`, or `nil` when it is not multipart/form-data with a boundary.
    package static func parts(of body: [UInt8], contentType: String) -> [Part]? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let range = contentType.firstRange(of: "boundary=")
        else { return nil }
        var boundary = String(contentType[range.upperBound...].prefix { $0 != ";" })
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        // RFC 2046 allows 1 to 70 characters.
        guard (1...70).contains(boundary.utf8.count) else { return nil }
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        var sections = split(body, on: delimiter).dropFirst()  // before the first delimiter: preamble
        while let section = sections.popFirst() {
            if section.starts(with: Array("--".utf8)) { break }  // the closing delimiter
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: section) else { return nil }
            let headers = String(decoding: section[..<headerEnd], as: UTF8.self)
            var content = Array(section[(headerEnd + 4)...])
            if content.suffix(2) == Array("\r\n".utf8) { content.removeLast(2) }
            let disposition =
                headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") } ?? ""
            parts.append(
                Part(
                    name: parameter("name", in: disposition),
                    filename: parameter("filename", in: disposition),
                    body: content
                )
            )
        }
        return parts
    }

    private static func parameter(_ name: String, in header: Substring) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.drop { $0 == " " }
            guard trimmed.hasPrefix(name + "=") else { continue }
            var value = trimmed.dropFirst(name.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    /// Where `needle` first occurs in `haystack`: Knuth–Morris–Pratt, so linear in the worst
    /// case (a body of dashes and a boundary of dashes, sent by a hostile app, cost a comparison
    /// of the whole boundary at every byte of megabytes when candidates were matched one at a
    /// time), with `memchr` skipping to the next candidate while nothing is matched.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        // The longest proper prefix of `needle[...i]` that is also its suffix, for each `i`.
        var fallback = [Int](repeating: 0, count: needle.count)
        var length = 0
        for index in needle.indices.dropFirst() {
            while length > 0, needle[index] != needle[length] { length = fallback[length - 1] }
            if needle[index] == needle[length] { length += 1 }
            fallback[index] = length
        }
        return haystack.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var index = 0
            var matched = 0
            while index < bytes.count {
                if matched == 0 {
                    guard let hit = memchr(base + index, Int32(needle[0]), bytes.count - index) else { return nil }
                    index = base.distance(to: UnsafeRawPointer(hit))
                }
                let byte = bytes[index]
                while matched > 0, byte != needle[matched] { matched = fallback[matched - 1] }
                if byte == needle[matched] { matched += 1 }
                index += 1
                if matched == needle.count { return haystack.startIndex + index - needle.count }
            }
            return nil
        }
    }

    private static func split(_ bytes: [UInt8], on delimiter: [UInt8]) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var rest = bytes[...]
        while let found = find(delimiter, in: rest) {
            pieces.append(bytes[start..<found])
            start = found + delimiter.count
            rest = bytes[start...]
        }
        pieces.append(bytes[start...])
        return pieces
    }
}
