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

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = haystack.startIndex
        // Candidates start with the needle's first byte: skip to each (uploads are megabytes).
        while index + needle.count <= haystack.endIndex,
            let candidate = haystack[index...(haystack.endIndex - needle.count)].firstIndex(of: first)
        {
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
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
