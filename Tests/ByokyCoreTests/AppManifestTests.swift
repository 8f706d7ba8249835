import ByokyCore
import Foundation
import Testing

/// `byoky.app.json`: the rules the catalogue and `byoky app validate` hold every manifest to.
@Suite struct AppManifestTests {
    static var valid: [String: Any] {
        [
            "name": "Pocket Chat",
            "slug": "pocket-chat",
            "url": "https://chat.example.com/app/",
            "icon": "icon.svg",
            "description": "Chat with Claude or GPT through your own wallet.",
            "category": "chat",
            "providers": ["anthropic", "openai"],
            "author": ["name": "Ana", "email": "ana@example.com", "website": "https://ana.example.com"],
        ]
    }

    static func read(_ changes: [String: Any?]) throws(ManifestRejection) -> AppManifest {
        var object = valid
        for (key, value) in changes {
            if let value { object[key] = value } else { object.removeValue(forKey: key) }
        }
        return try AppManifest.read(Array(try! JSONSerialization.data(withJSONObject: object)))
    }

    static func problems(_ changes: [String: Any?], policy: AppManifest.Policy = .init()) -> [String] {
        var object = valid
        for (key, value) in changes {
            if let value { object[key] = value } else { object.removeValue(forKey: key) }
        }
        do {
            _ = try AppManifest.read(Array(try! JSONSerialization.data(withJSONObject: object)), policy: policy)
            return []
        } catch {
            return error.problems.map(\.field)
        }
    }

    @Test func aGoodManifestReadsWithItsOriginAndIcon() throws {
        let manifest = try Self.read([:])
        #expect(manifest.slug == "pocket-chat")
        #expect(manifest.origin == "https://chat.example.com")
        #expect(manifest.iconURL == "https://chat.example.com/app/icon.svg")
        #expect(manifest.problems().isEmpty)
    }

    @Test(arguments: [
        ("name", #""""#, "name"),
        ("name", "\"" + String(repeating: "n", count: 61) + "\"", "name"),
        ("name", #""Tab\u001b[2J""#, "name"),
        ("slug", #""Pocket Chat""#, "slug"),
        ("slug", #""-chat""#, "slug"),
        ("slug", #""a--b""#, "slug"),
        ("slug", #""ab""#, "slug"),
        ("url", #""http://chat.example.com""#, "url"),
        ("url", #""https://127.0.0.1:8080""#, "url"),
        ("url", #""https://10.1.2.3/""#, "url"),
        ("url", #""https://intranet/""#, "url"),
        ("url", #""javascript:alert(1)""#, "url"),
        ("icon", #""file:///etc/passwd""#, "icon"),
        ("icon", #""http://localhost/icon.png""#, "icon"),
        ("icon", #""https://192.168.1.1/icon.png""#, "icon"),
        ("icon", #""../secret.png""#, "icon"),
        ("icon", #""/abs.png""#, "icon"),
        ("description", #""""#, "description"),
        ("description", "\"" + String(repeating: "d", count: 501) + "\"", "description"),
        ("category", #""games""#, "category"),
        ("providers", "[]", "providers"),
        ("providers", #"["anthropic", "skynet"]"#, "providers[1]"),
        ("providers", #"["openai", "openai"]"#, "providers[1]"),
        ("providers", #""anthropic""#, "providers"),
        ("author", #"{"name": "Ana"}"#, "author.email"),
        ("author", #"{"name": "Ana", "email": "not-an-email"}"#, "author.email"),
        ("author", #"{"name": "Ana", "email": "a@b.co", "website": "http://ana.example.com"}"#, "author.website"),
        ("author", #"{"name": "Ana", "email": "a@b.co", "twitter": "@ana"}"#, "author.twitter"),
        ("homepage", #""https://example.com""#, "homepage"),
    ])
    func eachRuleIsReportedOnItsField(key: String, json: String, field: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        #expect(Self.problems([key: value]).contains(field), "\(key) = \(json)")
    }

    @Test func missingFieldsAreNamed() {
        #expect(Self.problems(["slug": nil]) == ["slug"])
        #expect(Self.problems(["author": nil]) == ["author"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = Self.problems(["url": "http://x.example.com", "slug": "BAD", "extra": 1])
        #expect(Set(found) == ["url", "slug", "extra"])
    }

    @Test func scriptInANameIsTextNotARuleBreak() throws {
        // Names are shown escaped everywhere; refusing markup would only hide the real defence.
        let manifest = try Self.read(["name": "<script>alert(1)</script>"])
        #expect(manifest.name == "<script>alert(1)</script>")
    }

    @Test func hugeOrMalformedManifestsAreRefusedWhole() {
        let huge = Array(repeating: UInt8(ascii: " "), count: AppManifest.maximumSize + 1)
        #expect(throws: ManifestRejection([ManifestProblem("manifest", "is larger than 16 KiB")])) {
            try AppManifest.read(huge)
        }
        #expect(throws: ManifestRejection([ManifestProblem("manifest", "is not a JSON object")])) {
            try AppManifest.read(Array("[1,2]".utf8))
        }
    }

    @Test func aLocalCatalogueTakesLoopbackAppsAndOnlyThose() {
        let local = AppManifest.Policy(allowsLoopbackApps: true)
        #expect(Self.problems(["url": "http://127.0.0.1:8080/"], policy: local).isEmpty)
        #expect(Self.problems(["url": "http://localhost:8080/"], policy: local).isEmpty)
        #expect(Self.problems(["url": "http://10.0.0.2:8080/"], policy: local) == ["url"])
        #expect(Self.problems(["url": "http://127.0.0.1:8080/"]) == ["url"])
    }

    @Test(arguments: [
        ("example.com", true), ("93.184.216.34", true), ("2606:4700::1111", true),
        ("localhost", false), ("app.localhost", false), ("127.0.0.1", false), ("127.9.9.9", false),
        ("0.0.0.0", false), ("10.0.0.1", false), ("172.16.0.1", false), ("172.31.255.255", false),
        ("172.32.0.1", true), ("192.168.0.10", false), ("169.254.169.254", false), ("100.64.0.1", false),
        ("224.0.0.1", false), ("::1", false), ("fd00::1", false), ("fe80::1", false), ("intranet", false),
    ])
    func publicHosts(host: String, isPublic: Bool) throws {
        let text = host.contains(":") ? "https://[\(host)]/" : "https://\(host)/"
        let url = try #require(AbsoluteURL(text))
        #expect(url.isPublicHost == isPublic, "\(host)")
    }

    /// The manifest docs/apps.md shows is one the rules take.
    @Test func theDocumentedManifestIsValid() throws {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/",
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        let doc = try String(contentsOf: root.appendingPathComponent("docs/apps.md"), encoding: .utf8)
        let blocks = doc.matches(of: /```json\n((?s).*?)```/).map { String($0.1) }
        #expect(!blocks.isEmpty)
        for block in blocks {
            let manifest = try AppManifest.read(Array(block.utf8))
            #expect(manifest.problems().isEmpty)
        }
    }
}
