import ByokyCore
import Foundation

/// A submitted HTML form (`application/x-www-form-urlencoded`, or `multipart/form-data` when it
/// uploads a file): fields in order, repeated names kept (a group of checkboxes).
struct FormBody: Sendable {
    /// The largest form read (a key and a few labels fit many times over).
    static let maximumSize = 64 * 1024
    /// The largest form with a file read (a `.byoky` backup of hundreds of keys fits).
    static let maximumUploadSize = 4 * 1024 * 1024

    private(set) var fields: [(name: String, value: String)] = []
    /// Uploaded files by field name.
    private(set) var files: [String: [UInt8]] = [:]

    /// Reads a form of either encoding, by its `Content-Type`; `nil` for a multipart body that
    /// does not parse.
    init?(_ bytes: some Collection<UInt8>, contentType: String?) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            self.init(bytes)
            return
        }
        guard let parts = MultipartForm.parts(of: Array(bytes), contentType: contentType) else { return nil }
        self.init(parts: parts)
    }

    private init(parts: [MultipartForm.Part]) {
        for part in parts {
            guard let name = part.name else { continue }
            if part.filename != nil {
                files[name] = part.body
            } else {
                fields.append((name, String(decoding: part.body, as: UTF8.self)))
            }
        }
    }

    /// Parses `bytes`; a malformed percent escape keeps its characters as they are.
    init(_ bytes: some Collection<UInt8>) {
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    private static func decode(_ text: Substring) -> String {
        let plus = text.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
