/// What `byoky app validate` can tell from an app's code alone: direct calls to provider hosts
/// (an app must reach models through the wallet), the providers its code asks for, and signs of
/// obfuscated JavaScript. Heuristics on text: they catch the plain cases, not a determined author.
public enum AppCodeScan {
    /// One finding, with where it is.
    public struct Finding: Sendable, Hashable, Codable {
        public let file: String
        public let line: Int
        public let detail: String

        public init(file: String, line: Int, detail: String) {
            self.file = file
            self.line = line
            self.detail = detail
        }
    }

    /// The provider API hosts an app must not call itself.
    public static let providerHosts: [String] = ProviderRegistry.all.compactMap { provider in
        guard !provider.requiresCustomBaseURL, !provider.isLocal, let url = AbsoluteURL(provider.baseURL) else {
            return nil
        }
        return url.host
    }

    /// Direct calls of provider hosts in `text`: the page's own `fetch("https://api.openai.com/…")`,
    /// an `XMLHttpRequest` or `WebSocket` to one. A provider URL given to a session's
    /// `createFetch(…)` is how the SDK is meant to be used, and is not one.
    public static func directProviderCalls(in text: String, file: String) -> [Finding] {
        lines(of: text).flatMap { number, line -> [Finding] in
            var targets: [Substring] = []
            for match in line.matches(of: /fetch\s*\(\s*["'`]([^"'`]+)/) {
                // `prefetch(…)` and the like are other functions (and `createFetch(…)(url)` never
                // matches: the SDK's fetch is the function it returns).
                let before = line[..<match.range.lowerBound].last
                if let before, before.isLetter || before.isNumber || before == "_" { continue }
                targets.append(match.1)
            }
            for match in line.matches(of: /(?:new\s+WebSocket|\.open)\s*\(\s*(?:["'][A-Z]+["']\s*,\s*)?["'`]([^"'`]+)/)
            {
                targets.append(match.1)
            }
            return targets.flatMap { target in
                providerHosts.filter { target.contains("//" + $0) }.map {
                    Finding(file: file, line: number, detail: "calls \($0) directly instead of through the wallet")
                }
            }
        }
    }

    /// Provider ids the code asks the wallet for: `createFetch("id")`, `{ id: "id" }` in a
    /// connect request, `providers: ["id", …]`.
    public static func requestedProviders(in text: String, file: String) -> [(provider: String, at: Finding)] {
        let known = Set(ProviderRegistry.all.map(\.id.rawValue))
        var found: [(String, Finding)] = []
        for (number, line) in lines(of: text) {
            var names: [String] = []
            for match in line.matches(of: /createFetch\(\s*["'`]([a-z_-]+)["'`]/) { names.append(String(match.1)) }
            for match in line.matches(of: /\bid\s*:\s*["']([a-z_-]+)["']/) { names.append(String(match.1)) }
            if let list = line.firstMatch(of: /providers\s*:\s*\[([^\]]*)\]/) {
                for match in list.1.matches(of: /["']([a-z_-]+)["']/) { names.append(String(match.1)) }
            }
            for name in names where known.contains(name) {
                found.append((name, Finding(file: file, line: number, detail: "asks for \(name)")))
            }
        }
        return found
    }

    /// Signs of obfuscated or packed JavaScript: `eval`, `new Function`, packer and
    /// `_0x…` name patterns, dense escapes, or a huge single line without a source map.
    public static func obfuscation(in text: String, file: String) -> [Finding] {
        var findings: [Finding] = []
        let hasSourceMap = text.contains("//# sourceMappingURL=")
        for (number, line) in lines(of: text) {
            if line.contains("eval(function(p,a,c,k,e,") {
                findings.append(Finding(file: file, line: number, detail: "packed with a p,a,c,k,e,d packer"))
            } else if line.contains(/\beval\s*\(/) || line.contains(/\bnew\s+Function\s*\(/) {
                findings.append(
                    Finding(file: file, line: number, detail: "builds code from strings (eval / new Function)")
                )
            }
            if line.matches(of: /\b_0x[0-9a-f]{4,}\b/).count >= 5 {
                findings.append(Finding(file: file, line: number, detail: "obfuscator-style _0x names"))
            }
            if line.utf8.count >= 200, line.matches(of: /\\x[0-9a-fA-F]{2}/).count * 4 > line.utf8.count / 2 {
                findings.append(Finding(file: file, line: number, detail: "mostly \\x escapes"))
            }
            if line.utf8.count > 5_000, !hasSourceMap {
                findings.append(
                    Finding(
                        file: file,
                        line: number,
                        detail: "a \(line.utf8.count)-character line without a source map"
                    )
                )
            }
        }
        return findings
    }

    /// Links to a privacy policy in an HTML page: an `<a href>` whose address or text says "privacy".
    public static func privacyLinks(in html: String) -> [String] {
        html.matches(of: /<a\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>(.*?)<\/a>/.ignoresCase()).compactMap { match in
            let href = String(match.1)
            return (href.lowercased().contains("privacy") || match.2.lowercased().contains("privacy")) ? href : nil
        }
    }

    private static func lines(of text: String) -> [(Int, Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, $0.element) }
    }
}
