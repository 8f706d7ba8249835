import ByokyCore
import Testing

/// A `multipart/form-data` body is split into its fields and files, whatever a client's spelling
/// of the headers; what is not such a body is `nil`; a hostile body is read in linear time.
struct MultipartFormTests {
    static func form(_ boundary: String, _ fields: [(String, String?, [UInt8])]) -> [UInt8] {
        var body = Array("a preamble to ignore\r\n".utf8)
        for (name, filename, content) in fields {
            var disposition = "Content-Disposition: form-data; name=\"\(name)\""
            if let filename { disposition += "; filename=\"\(filename)\"" }
            body += Array("--\(boundary)\r\n\(disposition)\r\nContent-Type: text/plain\r\n\r\n".utf8) + content
            body += Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    @Test func fieldsAndFilesAreRead() throws {
        let file: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x2D, 0x2D, 0x41]  // binary, with a CRLF and dashes
        let body = Self.form("XyZ-123", [("model", nil, Array("whisper-1".utf8)), ("file", "a.bin", file)])
        let parts = try #require(
            MultipartForm.parts(of: body, contentType: #"multipart/form-data; boundary="XyZ-123""#)
        )
        #expect(parts.map(\.name) == ["model", "file"])
        #expect(parts[0].filename == nil && parts[0].body == Array("whisper-1".utf8))
        #expect(parts[1].filename == "a.bin" && parts[1].body == file)
    }

    @Test func whatIsNotAFormIsNil() {
        let body = Self.form("b", [("model", nil, Array("x".utf8))])
        #expect(MultipartForm.parts(of: body, contentType: "application/json") == nil)
        #expect(MultipartForm.parts(of: body, contentType: "multipart/form-data") == nil)
        // A boundary longer than RFC 2046 allows (70) is refused.
        let long = String(repeating: "b", count: 71)
        #expect(
            MultipartForm.parts(of: Self.form(long, []), contentType: "multipart/form-data; boundary=\(long)") == nil
        )
    }

    /// Dashes everywhere and a boundary of dashes but its last character: every byte starts a
    /// candidate match that fails only at its end. The search is `memmem`'s (linear), so eight
    /// megabytes are read at once, not compared 69 bytes at every byte.
    @Test func aBodyOfDashesIsReadWhole() throws {
        let boundary = String(repeating: "-", count: 67) + "x"
        var body = [UInt8](repeating: 0x2D, count: 8 * 1024 * 1024)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let parts = MultipartForm.parts(of: body, contentType: "multipart/form-data; boundary=\(boundary)")
        // All preamble, then the closing delimiter: a form with no fields.
        #expect(parts?.isEmpty == true)
    }
}
