import ArgumentParser
import ByokyCore
import Foundation

/// The questions behind byoky.app.json, each also a flag: asked one at a time on standard input
/// (re-asked while an answer breaks a rule), with defaults on an empty line.
struct ManifestAnswers: ParsableArguments {
    @Option(help: "The app's name (1 to 60 characters).") var name: String?
    @Option(help: "Its address in the catalogue: lower-case letters, digits, dashes.") var slug: String?
    @Option(help: "Where the app runs (https).") var url: String?
    @Option(help: "An https image URL, or a path inside the app (default icon.svg).") var icon: String?
    @Option(help: "What it does (1 to 500 characters).") var description: String?
    @Option(help: "chat, coding, trading, productivity, research, creative or other.") var category: String?
    @Option(help: "Providers it asks for, comma-separated (see `byoky providers`).") var providers: String?
    @Option(help: "Your name.") var authorName: String?
    @Option(help: "Your email (reviewers write to it; not shown in the catalogue).") var authorEmail: String?
    @Option(help: "Your website (https; optional).") var authorWebsite: String?
    @Flag(help: "Take http://127.0.0.1 and localhost URLs (for a local catalogue).") var allowLoopback = false

    /// What an empty answer means.
    struct Defaults {
        var name: String
        var url: String? = nil
        var description: String? = nil
        var category: AppCategory = .chat
        var providers = "anthropic"
    }

    func ask(defaults: Defaults) throws -> AppManifest {
        let policy = AppManifest.Policy(allowsLoopbackApps: allowLoopback)
        let prompter = Prompter()
        var manifest = AppManifest(
            name: "App",
            slug: "app-slug",
            url: "https://example.com/",
            icon: "icon.svg",
            description: "An app.",
            category: .other,
            providers: ["anthropic"],
            author: .init(name: "Author", email: "author@example.com")
        )
        manifest.name = try prompter.ask("Name", flag: "--name", given: name, default: defaults.name, field: "name") {
            manifest.name = $0
            return manifest.problems(policy: policy)
        }
        manifest.slug = try prompter.ask(
            "Slug",
            flag: "--slug",
            given: slug,
            default: Self.slug(from: manifest.name),
            field: "slug"
        ) {
            manifest.slug = $0
            return manifest.problems(policy: policy)
        }
        manifest.url = try prompter.ask(
            "URL (https)",
            flag: "--url",
            given: url,
            default: defaults.url ?? "https://\(manifest.slug).example.com/",
            field: "url"
        ) {
            manifest.url = $0
            return manifest.problems(policy: policy)
        }
        manifest.icon = try prompter.ask("Icon", flag: "--icon", given: icon, default: "icon.svg", field: "icon") {
            manifest.icon = $0
            return manifest.problems(policy: policy)
        }
        manifest.description = try prompter.ask(
            "Description",
            flag: "--description",
            given: description,
            default: defaults.description,
            field: "description"
        ) {
            manifest.description = $0
            return manifest.problems(policy: policy)
        }
        let categories = AppCategory.allCases.map(\.rawValue).joined(separator: ", ")
        let chosenCategory = try prompter.ask(
            "Category (\(categories))",
            flag: "--category",
            given: category,
            default: defaults.category.rawValue,
            field: "category"
        ) { answer in
            AppCategory(rawValue: answer) == nil ? [ManifestProblem("category", "one of \(categories)")] : []
        }
        manifest.category = AppCategory(rawValue: chosenCategory) ?? .other
        let chosenProviders = try prompter.ask(
            "Providers (comma-separated)",
            flag: "--providers",
            given: providers,
            default: defaults.providers,
            field: "providers"
        ) {
            manifest.providers = Self.list($0)
            return manifest.problems(policy: policy)
        }
        manifest.providers = Self.list(chosenProviders)
        manifest.author.name = try prompter.ask(
            "Author name",
            flag: "--author-name",
            given: authorName,
            default: nil,
            field: "author.name"
        ) {
            manifest.author.name = $0
            return manifest.problems(policy: policy)
        }
        manifest.author.email = try prompter.ask(
            "Author email",
            flag: "--author-email",
            given: authorEmail,
            default: nil,
            field: "author.email"
        ) {
            manifest.author.email = $0
            return manifest.problems(policy: policy)
        }
        let website = try prompter.ask(
            "Author website (optional, https)",
            flag: "--author-website",
            given: authorWebsite,
            default: "",
            field: "author.website"
        ) {
            manifest.author.website = $0.isEmpty ? nil : $0
            return manifest.problems(policy: policy)
        }
        manifest.author.website = website.isEmpty ? nil : website
        return manifest
    }

    static func slug(from name: String) -> String {
        let words = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return words.joined(separator: "-")
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Writes `manifest` as `dir/byoky.app.json` (sorted keys, pretty-printed).
    static func write(_ manifest: AppManifest, to dir: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = dir + "/" + AppManifest.fileName
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try (encoder.encode(manifest) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("Cannot write \(path): check the folder's permissions")
        }
    }
}
