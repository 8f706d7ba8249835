import ByokyCore
import Crypto

/// A file of the package's `Web/` folder, as the wallet serves it.
public struct WebFile: Sendable {
    /// The path it is served at, e.g. `/sdk/byoky.js`.
    public let path: String
    public let bytes: [UInt8]
    /// The `Content-Type` for its extension.
    public let contentType: String
    /// A strong entity tag of the bytes (quoted, for `ETag`).
    public let entityTag: String
}

/// The web files built into the binary (the `EmbedWebFiles` plugin writes ``embedded``).
public enum WebFiles {
    /// Every file, by the path it is served at.
    public static let all: [String: WebFile] = {
        var files: [String: WebFile] = [:]
        for (path, base64) in embedded {
            guard let bytes = Base64.decode(base64) else { continue }
            let digest = SHA256.hash(data: bytes).prefix(12).map { byte in
                (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
            files[path] = WebFile(
                path: path,
                bytes: bytes,
                contentType: contentType(of: path),
                entityTag: "\"\(digest.joined())\""
            )
        }
        return files
    }()

    /// The file served at `path`, if there is one.
    public static func file(at path: String) -> WebFile? {
        all[path]
    }

    /// The content type for a file name's extension.
    static func contentType(of path: String) -> String {
        let types: [(suffix: String, type: String)] = [
            (".d.ts", "application/typescript; charset=utf-8"),
            (".js", "text/javascript; charset=utf-8"),
            (".css", "text/css; charset=utf-8"),
            (".html", "text/html; charset=utf-8"),
            (".json", "application/json"),
            (".svg", "image/svg+xml"),
            (".png", "image/png"),
        ]
        return types.first { path.hasSuffix($0.suffix) }?.type ?? "application/octet-stream"
    }
}
