/// The projects `byoky app create` writes: a template's files from `Web/templates/<name>/`, the
/// files every template shares from `Web/templates/shared/` (styles, privacy page, icon), the app's
/// name filled in, and the browser SDK (`Web/sdk/`) in `byoky/`, so the app ships its own copy. A
/// template with a `public/` folder (a server and its page) gets the shared files and the SDK there.
public enum AppTemplates {
    /// The web templates there are.
    public static var names: [String] {
        Set(
            WebFiles.all.keys.compactMap { path -> String? in
                guard path.hasPrefix("/templates/") else { return nil }
                return path.dropFirst("/templates/".count).split(separator: "/").first.map(String.init)
            }
        ).sorted()
    }

    /// The files of `template` (paths relative to the project), empty for an unknown template.
    ///
    /// - Parameter values: other placeholders (`__NAME__` → text), put in as given.
    public static func files(
        of template: String,
        appName: String,
        values: [String: String] = [:]
    ) -> [(path: String, bytes: [UInt8])] {
        guard template != "shared" else { return [] }
        func folder(_ name: String) -> [(path: String, bytes: [UInt8])] {
            let prefix = "/templates/\(name)/"
            return WebFiles.all.values.filter { $0.path.hasPrefix(prefix) }.map { file in
                var path = String(file.path.dropFirst(prefix.count))
                // Hidden files are not embedded: `gitignore` becomes `.gitignore`.
                if path == "gitignore" { path = ".gitignore" }
                var bytes = filled(file.bytes, path: path, appName: appName)
                for (placeholder, value) in values {
                    bytes = Array(String(decoding: bytes, as: UTF8.self).replacing(placeholder, with: value).utf8)
                }
                return (path: path, bytes: bytes)
            }
        }
        let specific = folder(template)
        guard !specific.isEmpty else { return [] }
        let webRoot = specific.contains { $0.path.hasPrefix("public/") } ? "public/" : ""
        let ownPaths = Set(specific.map(\.path))
        let shared = folder("shared").map { file in
            (path: file.path == ".gitignore" ? file.path : webRoot + file.path, bytes: file.bytes)
        }
        let own = specific + shared.filter { !ownPaths.contains($0.path) }
        let sdk = WebFiles.all.values.filter { $0.path.hasPrefix("/sdk/") }.map {
            (path: webRoot + "byoky/" + $0.path.dropFirst("/sdk/".count), bytes: $0.bytes)
        }
        return (own + sdk).sorted { $0.path < $1.path }
    }

    /// The template's text with `__APP_NAME__` replaced, escaped for where it lands: HTML text,
    /// a JavaScript string, a Swift string, or plain text.
    static func filled(_ bytes: [UInt8], path: String, appName: String) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("__APP_NAME__") else { return bytes }
        let value: String
        if path.hasSuffix(".html") {
            value = appName.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
                .replacing("\"", with: "&quot;").replacing("'", with: "&#39;")
        } else if path.hasSuffix(".js") {
            value = appName.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\\", "'", "\"", "`", "<", ">", "\n", "\r", "\u{2028}", "\u{2029}":
                    // \uXXXX: every one of these is below U+FFFF.
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                default: String(scalar)
                }
            }.joined()
        } else if path.hasSuffix(".swift") {
            value = appName.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        } else {
            value = appName
        }
        return Array(text.replacing("__APP_NAME__", with: value).utf8)
    }
}
