import Foundation

extension AppManifest {
    /// Where a manifest may point. Catalogues take only public https addresses; a local catalogue
    /// for development may take `http://127.0.0.1` and `localhost` apps.
    public struct Policy: Sendable {
        public var allowsLoopbackApps: Bool

        public init(allowsLoopbackApps: Bool = false) {
            self.allowsLoopbackApps = allowsLoopbackApps
        }
    }

    static let topLevelKeys: Set<String> = [
        "name", "slug", "url", "icon", "description", "category", "providers", "author",
    ]
    static let authorKeys: Set<String> = ["name", "email", "website"]

    /// Reads a manifest from JSON bytes.
    ///
    /// - Throws: ``ManifestRejection`` with every problem found.
    public static func read(
        _ bytes: some Collection<UInt8>,
        policy: Policy = .init()
    ) throws(ManifestRejection) -> AppManifest {
        guard bytes.count <= maximumSize else {
            throw ManifestRejection([ManifestProblem("manifest", "is larger than \(maximumSize / 1024) KiB")])
        }
        let data = Data(bytes)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ManifestRejection([ManifestProblem("manifest", "is not a JSON object")])
        }
        var problems = unknownKeys(in: object)
        var readable = object
        // An unknown category is reported here, so that the other rules are still checked.
        if let category = object["category"] as? String, AppCategory(rawValue: category) == nil {
            problems.append(categoryProblem)
            readable["category"] = AppCategory.other.rawValue
        }
        do {
            let manifest = try JSONDecoder().decode(
                AppManifest.self,
                from: try JSONSerialization.data(withJSONObject: readable)
            )
            problems += manifest.problems(policy: policy)
            if problems.isEmpty { return manifest }
        } catch let error as DecodingError {
            problems.append(Self.problem(from: error))
        } catch {
            problems.append(ManifestProblem("manifest", "cannot be read"))
        }
        throw ManifestRejection(problems)
    }

    /// Every rule this manifest breaks (none: it may be submitted).
    public func problems(policy: Policy = .init()) -> [ManifestProblem] {
        var found: [ManifestProblem] = []
        func check(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { found.append(ManifestProblem(field, message)) }
        }
        check(Self.isPlainText(name, length: 1...60), "name", "1 to 60 characters, no control characters")
        check(
            slug.count <= 40 && slug.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil && slug.count >= 3,
            "slug",
            "3 to 40 lower-case letters, digits and single dashes, e.g. my-chat-app"
        )
        if let problem = Self.addressProblem(url, policy: policy) { found.append(ManifestProblem("url", problem)) }
        if AbsoluteURL(icon) != nil {
            if let problem = Self.addressProblem(icon, policy: policy) {
                found.append(ManifestProblem("icon", problem))
            }
        } else {
            check(
                Self.isRelativePath(icon),
                "icon",
                "an https image URL, or a path inside the app such as icon.svg (no scheme, no ..)"
            )
        }
        check(
            Self.isPlainText(description, length: 1...500, allowingNewlines: true),
            "description",
            "1 to 500 characters"
        )
        check(!providers.isEmpty && providers.count <= 20, "providers", "name 1 to 20 providers the app uses")
        var seen: Set<String> = []
        for (index, provider) in providers.enumerated() {
            check(
                ProviderRegistry.provider(ProviderID(rawValue: provider)) != nil,
                "providers[\(index)]",
                "unknown provider \"\(Self.shown(provider))\" (see `byoky providers`)"
            )
            check(seen.insert(provider).inserted, "providers[\(index)]", "\(Self.shown(provider)) is listed twice")
        }
        check(Self.isPlainText(author.name, length: 1...100), "author.name", "1 to 100 characters")
        check(
            author.email.count <= 254 && author.email.wholeMatch(of: /[^@\s<>"']+@[^@\s<>"']+\.[^@\s<>"']+/) != nil,
            "author.email",
            "an email address such as you@example.com"
        )
        if let website = author.website, let problem = Self.addressProblem(website, policy: Policy()) {
            found.append(ManifestProblem("author.website", problem))
        }
        return found
    }

    /// Why `text` is not an address the catalogue may show or open, if it is not.
    static func addressProblem(_ text: String, policy: Policy) -> String? {
        guard text.count <= 2048, let parsed = AbsoluteURL(text) else {
            return "a full address such as https://example.com/app (at most 2,048 characters)"
        }
        if policy.allowsLoopbackApps, parsed.isLoopbackHost, ["http", "https"].contains(parsed.scheme) { return nil }
        guard parsed.scheme == "https" else { return "must use https" }
        guard parsed.isPublicHost else { return "must be a public host (not loopback, private or local)" }
        return nil
    }

    static func isRelativePath(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 512 && !text.hasPrefix("/") && !text.contains(":") && !text.contains("\\")
            && !text.split(separator: "/").contains("..")
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && ($0.asciiValue ?? 0) >= 0x21 }
    }

    static func isPlainText(_ text: String, length: ClosedRange<Int>, allowingNewlines: Bool = false) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return length.contains(text.count) && !trimmed.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                if allowingNewlines, scalar == "\n" { return true }
                let category = scalar.properties.generalCategory
                return category != .control && category != .format && category != .lineSeparator
                    && category != .paragraphSeparator
            }
    }

    /// A value as it may be repeated in a message: short, printable.
    static func shown(_ text: String) -> String {
        let printable = String(
            String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .control })
        )
        return printable.count > 40 ? String(printable.prefix(40)) + "…" : printable
    }

    static func unknownKeys(in object: [String: Any]) -> [ManifestProblem] {
        var problems = object.keys.filter { !topLevelKeys.contains($0) }.sorted().map {
            ManifestProblem(
                shown($0),
                "is not a manifest field (fields: \(topLevelKeys.sorted().joined(separator: ", ")))"
            )
        }
        if let author = object["author"] as? [String: Any] {
            problems += author.keys.filter { !authorKeys.contains($0) }.sorted().map {
                ManifestProblem("author.\(shown($0))", "is not an author field (name, email, website)")
            }
        }
        return problems
    }

    static let categoryProblem = ManifestProblem(
        "category",
        "one of \(AppCategory.allCases.map(\.rawValue).joined(separator: ", "))"
    )

    static func problem(from error: DecodingError) -> ManifestProblem {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ManifestProblem(field(context.codingPath + [key]), "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return ManifestProblem(field(context.codingPath), "has the wrong type")
        case .dataCorrupted(let context):
            let name = field(context.codingPath)
            return ManifestProblem(name.isEmpty ? "manifest" : name, "has an invalid value")
        @unknown default:
            return ManifestProblem("manifest", "cannot be read")
        }
    }
}
