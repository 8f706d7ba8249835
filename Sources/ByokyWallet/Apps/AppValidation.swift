import AsyncHTTPClient
public import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// `byoky app validate`: the manifest's rules, then the review criteria a program can check, on an
/// app's folder or its published address. Each check passes, fails with the reason, or is
/// skipped (network checks when offline).
public enum AppValidation {
    /// What is validated: a project folder, or the address where the app is published.
    public enum Source: Sendable {
        case folder(String)
        case address(String)
    }

    /// One check's outcome.
    public struct Check: Codable, Sendable, Hashable {
        public let name: String
        /// `nil` when skipped.
        public let passed: Bool?
        public let detail: String

        static func pass(_ name: String, _ detail: String) -> Check { Check(name: name, passed: true, detail: detail) }
        static func fail(_ name: String, _ detail: String) -> Check { Check(name: name, passed: false, detail: detail) }
        static func skip(_ name: String, _ detail: String) -> Check { Check(name: name, passed: nil, detail: detail) }
    }

    /// The largest file read, the most files read from a folder, and how long a fetch may take.
    static let maximumFileSize = 2 * 1024 * 1024
    static let maximumFiles = 2_000
    static let fetchTimeout: TimeAmount = .seconds(10)
    static let codeExtensions: Set<String> = ["js", "mjs", "cjs", "jsx", "ts", "tsx", "html", "htm", "vue", "svelte"]

    public static func run(
        _ source: Source,
        offline: Bool = false,
        policy: AppManifest.Policy = .init()
    ) async -> [Check] {
        var checks: [Check] = []
        let manifest: AppManifest
        let code: [(file: String, text: String)]
        let page: String?
        do {
            let bytes: [UInt8]
            switch source {
            case .folder(let path):
                bytes = try readFile(path + "/" + AppManifest.fileName)
            case .address(let address):
                let answer = try await fetch(joined(address, AppManifest.fileName))
                guard (200..<300).contains(answer.status) else {
                    throw ByokyError(.notFound, "\(joined(address, AppManifest.fileName)) answered \(answer.status)")
                }
                bytes = answer.body
            }
            manifest = try AppManifest.read(bytes, policy: policy)
            checks.append(.pass("manifest", "\(AppManifest.fileName) follows every rule"))
        } catch let rejection as ManifestRejection {
            return [.fail("manifest", rejection.problems.map(\.description).joined(separator: "; "))]
        } catch {
            return [.fail("manifest", "cannot read \(AppManifest.fileName): \(describe(error))")]
        }

        switch source {
        case .folder(let path):
            code = codeFiles(in: path)
            // A server's project keeps its page in public/ (the backend-relay template).
            page = (code.first { $0.file == "index.html" } ?? code.first { $0.file == "public/index.html" })?.text
        case .address(let address):
            if offline {
                return checks + [.skip("code", "reading a published app needs the network (drop --offline)")]
            }
            do {
                let fetched = try await publishedCode(at: address)
                code = fetched.files
                page = fetched.page
            } catch {
                return checks + [.fail("code", "cannot read the app at \(address): \(describe(error))")]
            }
        }

        if offline {
            checks.append(.skip("https", "not fetched (--offline)"))
        } else {
            checks.append(await httpsCheck(manifest.url))
        }
        checks.append(sdkCheck(code))
        checks.append(providersCheck(code, declared: manifest.providers))
        checks.append(obfuscationCheck(code))
        checks.append(await privacyCheck(page, base: manifest.url, offline: offline))
        return checks
    }

    // MARK: The checks

    static func httpsCheck(_ url: String) async -> Check {
        guard let parsed = AbsoluteURL(url), parsed.scheme == "https" else {
            return .fail("https", "\(url) is not served over https")
        }
        do {
            let answer = try await fetch(url)
            return (200..<400).contains(answer.status)
                ? .pass("https", "\(url) answers over https")
                : .fail("https", "\(url) answered \(answer.status)")
        } catch {
            return .fail("https", "\(url) does not load: \(describe(error))")
        }
    }

    static func sdkCheck(_ code: [(file: String, text: String)]) -> Check {
        let findings = code.flatMap { AppCodeScan.directProviderCalls(in: $0.text, file: $0.file) }
        guard let first = findings.first else {
            return .pass("sdk", "no provider API is called directly (\(code.count) files read)")
        }
        return .fail("sdk", "\(first.file):\(first.line) \(first.detail)" + more(findings.count))
    }

    static func providersCheck(_ code: [(file: String, text: String)], declared: [String]) -> Check {
        let asked = code.flatMap { AppCodeScan.requestedProviders(in: $0.text, file: $0.file) }
        let undeclared = asked.filter { !declared.contains($0.provider) }
        guard let first = undeclared.first else {
            let names = Set(asked.map(\.provider)).sorted()
            return .pass(
                "providers",
                names.isEmpty
                    ? "the code names no provider"
                    : "asks only for declared providers (\(names.joined(separator: ", ")))"
            )
        }
        return .fail(
            "providers",
            "\(first.at.file):\(first.at.line) asks for \(first.provider), which the manifest does not declare"
                + more(undeclared.count)
        )
    }

    static func obfuscationCheck(_ code: [(file: String, text: String)]) -> Check {
        let findings = code.filter { !$0.file.hasSuffix(".html") && !$0.file.hasSuffix(".htm") }
            .flatMap { AppCodeScan.obfuscation(in: $0.text, file: $0.file) }
        guard let first = findings.first else { return .pass("obfuscation", "no sign of obfuscated JavaScript") }
        return .fail("obfuscation", "\(first.file):\(first.line) \(first.detail)" + more(findings.count))
    }

    static func privacyCheck(_ page: String?, base: String, offline: Bool) async -> Check {
        guard let page else { return .fail("privacy", "no index.html to find a privacy policy link in") }
        guard let link = AppCodeScan.privacyLinks(in: page).first else {
            return .fail("privacy", "the page links to no privacy policy (an <a href> that says \"privacy\")")
        }
        guard let address = resolve(link, against: base) else {
            return .fail("privacy", "the privacy link \(link) is not an http(s) address")
        }
        if offline { return .skip("privacy", "links to \(address) (not fetched: --offline)") }
        do {
            let answer = try await fetch(address)
            return (200..<400).contains(answer.status)
                ? .pass("privacy", "\(address) answers")
                : .fail("privacy", "the privacy policy at \(address) answered \(answer.status)")
        } catch {
            return .fail("privacy", "the privacy policy at \(address) does not load: \(describe(error))")
        }
    }

    // MARK: Reading

    static func codeFiles(in root: String) -> [(file: String, text: String)] {
        let skipped: Set<String> = ["node_modules", ".git", ".build", ".byoky"]
        // The SDK as `byoky app create` copies it (a byoky/ folder with its byoky.d.ts, at the root or
        // in public/) is byoky's code, not the app's.
        func isVendoredSDK(_ relative: String) -> Bool {
            (relative as NSString).lastPathComponent == "byoky"
                && FileManager.default.fileExists(atPath: root + "/" + relative + "/byoky.d.ts")
        }
        var files: [(String, String)] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = walker.nextObject() as? String, files.count < maximumFiles {
            if skipped.contains((relative as NSString).lastPathComponent) || isVendoredSDK(relative) {
                walker.skipDescendants()
                continue
            }
            guard codeExtensions.contains((relative as NSString).pathExtension.lowercased()),
                let bytes = try? readFile(root + "/" + relative)
            else { continue }
            files.append((relative, String(decoding: bytes, as: UTF8.self)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static func publishedCode(at address: String) async throws -> (files: [(file: String, text: String)], page: String)
    {
        let page = String(decoding: try await fetch(address).body, as: UTF8.self)
        var files = [(file: "index.html", text: page)]
        guard let origin = AbsoluteURL(address)?.origin else { return (files, page) }
        let sources = page.matches(of: /<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/.ignoresCase()).map { String($0.1) }
        for source in sources.prefix(20) {
            guard let url = resolve(source, against: address), AbsoluteURL(url)?.origin == origin else { continue }
            files.append((source, String(decoding: try await fetch(url).body, as: UTF8.self)))
        }
        return (files, page)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard (attributes[.size] as? Int ?? 0) <= maximumFileSize else {
            throw ByokyError(.payloadTooLarge, "\(path) is larger than 2 MiB")
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func fetch(_ url: String) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "user-agent", value: "byoky-app-validate/\(ByokyVersion.current)")
        let response = try await HTTPClient.shared.execute(request, timeout: fetchTimeout)
        let body = try await response.body.collect(upTo: maximumFileSize)
        return (Int(response.status.code), Array(body.readableBytesView))
    }

    /// `link` as an absolute http(s) address, resolved against `base`.
    static func resolve(_ link: String, against base: String) -> String? {
        guard let resolved = URL(string: link, relativeTo: URL(string: base))?.absoluteURL.absoluteString,
            let parsed = AbsoluteURL(resolved), ["http", "https"].contains(parsed.scheme)
        else { return nil }
        return resolved
    }

    static func joined(_ address: String, _ file: String) -> String {
        (address.hasSuffix("/") ? address : address + "/") + file
    }

    static func more(_ count: Int) -> String { count > 1 ? " (and \(count - 1) more)" : "" }

    static func describe(_ error: any Error) -> String {
        (error as? ByokyError)?.message ?? (error as? HTTPClientError).map { "\($0)" } ?? "\(type(of: error))"
    }
}
