import ArgumentParser
import ByokyCore
import ByokyHTTPServer
import ByokyWallet
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ByokyCommand {
    /// `byoky app …`: for developers of apps that run on people's wallets.
    struct App: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build apps for byoky wallets: write the manifest, validate, submit to a catalogue.",
            discussion: """
                An app reaches AI models through the wallet of whoever uses it (byoky.js or the Swift
                SDK), never with a key of its own. Its byoky.app.json says what it is and which
                providers it asks for; a wallet that installs it trusts it with those only. See docs/apps.md.
                  byoky app init                       write byoky.app.json (asks, or takes flags)
                  byoky app validate [DIR|URL]         check the manifest and the code
                  byoky app submit --marketplace URL   send it for review
                """,
            subcommands: [Init.self, Serve.self, Validate.self, Submit.self, Status.self]
        )
    }
}

extension ByokyCommand.App {
    /// `byoky app init`.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write byoky.app.json: asks for each field not given as a flag, re-asking until it is valid.",
            discussion: """
                Every answer can be a flag, for scripts:
                  byoky app init --name "Pocket Chat" --slug pocket-chat --url https://chat.example.com \\
                    --description "Chat through your wallet" --category chat --providers anthropic,openai \\
                    --author-name Ana --author-email ana@example.com
                """
        )
        @Option(help: "The folder to write it in.") var dir = "."
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
        @Flag(help: "Replace an existing byoky.app.json.") var force = false

        func run() async throws {
            let path = dir + "/" + AppManifest.fileName
            if FileManager.default.fileExists(atPath: path), !force {
                throw ValidationError("\(path) exists; pass --force to replace it")
            }
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
            let folderName = URL(fileURLWithPath: dir).standardizedFileURL.lastPathComponent
            manifest.name = try prompter.ask("Name", flag: "--name", given: name, default: folderName, field: "name") {
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
            manifest.url = try prompter.ask("URL (https)", flag: "--url", given: url, default: nil, field: "url") {
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
                default: nil,
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
                default: "chat",
                field: "category"
            ) { answer in
                AppCategory(rawValue: answer) == nil ? [ManifestProblem("category", "one of \(categories)")] : []
            }
            manifest.category = AppCategory(rawValue: chosenCategory) ?? .other
            let chosenProviders = try prompter.ask(
                "Providers (comma-separated)",
                flag: "--providers",
                given: providers,
                default: "anthropic",
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
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try (encoder.encode(manifest) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("Cannot write \(path): check the folder's permissions")
            }
            print("Wrote \(path). Next: byoky app validate \(dir)")
        }

        static func slug(from name: String) -> String {
            let words = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
            return words.joined(separator: "-")
        }

        static func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// `byoky app serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a web app's folder on this machine while you build it (no build step, nothing cached).",
            discussion: """
                Listens on 127.0.0.1 only. Open the printed address with `byoky serve` running: the app's
                byoky.js connects to your wallet from there.
                """
        )
        @Argument(help: "The app's folder.") var dir = "."
        @Option(help: "Port (0 picks a free one).") var port = 8080

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(dir) is not a folder")
            }
        }

        func run() async throws {
            var logger = Logger(label: "byoky.app.serve")
            logger.logLevel = .warning
            let folder = dir
            try await HTTPServerRunner.runUntilSignalled(
                [StaticFolder.server(serving: folder, port: port)],
                logger: logger
            ) { ports in
                FileHandle.standardOutput.write(
                    Data("Serving \(folder) at http://127.0.0.1:\(ports[0])/ (Ctrl-C stops)\n".utf8)
                )
            }
        }
    }

    /// `byoky app validate`.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an app: its manifest, then what review looks for in its code and pages.",
            discussion: """
                One line per check: the manifest's rules; the app loads over https; it reaches models only
                through byoky (no provider API host in its code); it asks only for the providers it
                declares; no obfuscated JavaScript; a privacy policy link that answers. Exit status 1 when
                a check fails (for CI). DIR is a project folder (default .); a URL is a published app.
                """
        )
        @Argument(help: "A project folder or the app's https address.") var target = "."
        @Flag(help: "Skip the checks that need the network.") var offline = false
        @Flag(help: "Take http://127.0.0.1 and localhost URLs in the manifest (a local catalogue).") var allowLoopback =
            false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let source: AppValidation.Source =
                target.hasPrefix("https://") || target.hasPrefix("http://") ? .address(target) : .folder(target)
            let checks = await AppValidation.run(
                source,
                offline: offline,
                policy: AppManifest.Policy(allowsLoopbackApps: allowLoopback)
            )
            if json {
                try printJSON(checks)
            } else {
                for check in checks {
                    let mark = check.passed.map { $0 ? "pass" : "FAIL" } ?? "skip"
                    print("\(mark)  \(check.name): \(TerminalText.printable(check.detail))")
                }
            }
            if checks.contains(where: { $0.passed == false }) { throw ExitCode(1) }
        }
    }

    /// `byoky app submit`.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the app's manifest to a marketplace for review; prints the submission id and state.",
            discussion: """
                The first submission answers a submission token, kept in DIR/.byoky/submission.json (mode
                0600; keep .byoky/ out of version control): later submissions of the same slug send it
                to replace the manifest with a new version.
                """
        )
        @Argument(help: "The project folder.") var dir = "."
        @Option(help: "The marketplace.") var marketplace = MarketplaceClient.defaultURL
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let manifest: AppManifest
                do {
                    manifest = try AppManifest.read(
                        try Data(contentsOf: URL(fileURLWithPath: dir + "/" + AppManifest.fileName))
                    )
                } catch let rejection as ManifestRejection {
                    throw ByokyError(
                        .invalidRequest,
                        "Fix byoky.app.json first: " + rejection.problems.map(\.description).joined(separator: "; ")
                    )
                } catch {
                    throw ByokyError(.invalidRequest, "No byoky.app.json in \(dir): run `byoky app init` there")
                }
                let record = SubmissionRecord.read(in: dir)
                let token = record?.marketplace == marketplace ? record.map { SecretString($0.token) } : nil
                let result = try await MarketplaceClient(marketplace).submit(manifest, token: token)
                if let newToken = result.submissionToken {
                    try SubmissionRecord(marketplace: marketplace, id: result.id, token: newToken).write(in: dir)
                }
                if json { return try printJSON(result) }
                print(
                    "Submitted \(result.slug): id \(result.id), \(result.state.rawValue). Check with `byoky app status`."
                )
            }
        }
    }

    /// `byoky app status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where the app's submission stands in review.")
        @Argument(help: "The project folder (or a submission id).") var target = "."
        @Option(help: "The marketplace (default: where the folder's app was submitted).") var marketplace: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let record = SubmissionRecord.read(in: target)
                guard let id = record?.id ?? (FileManager.default.fileExists(atPath: target) ? nil : target) else {
                    throw ByokyError(.notFound, "No submission recorded in \(target): run `byoky app submit` first")
                }
                let address = marketplace ?? record?.marketplace ?? MarketplaceClient.defaultURL
                let result = try await MarketplaceClient(address).submission(id)
                if json { return try printJSON(result) }
                print(
                    "\(result.slug): \(result.state.rawValue)"
                        + (result.reason.map { " — \(TerminalText.printable($0))" } ?? "")
                )
            }
        }
    }
}

/// A submission's id and token, kept in the app's folder (`.byoky/submission.json`, mode 0600).
struct SubmissionRecord: Codable {
    let marketplace: String
    let id: String
    let token: String

    static func path(in dir: String) -> String { dir + "/.byoky/submission.json" }

    static func read(in dir: String) -> SubmissionRecord? {
        guard let data = FileManager.default.contents(atPath: path(in: dir)) else { return nil }
        return try? JSONDecoder().decode(SubmissionRecord.self, from: data)
    }

    func write(in dir: String) throws {
        let folder = dir + "/.byoky"
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let file = Self.path(in: dir)
        guard
            FileManager.default.createFile(
                atPath: file,
                contents: try JSONEncoder().encode(self),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw ByokyError(.internalError, "Cannot write \(file)") }
    }
}

/// Asks for one answer at a time on standard input, re-asking while it breaks a rule.
struct Prompter {
    /// The answer for `field`: `given` when it is valid (else an error naming `flag`), otherwise
    /// asked for, with `default` on an empty line.
    func ask(
        _ label: String,
        flag: String,
        given: String?,
        default fallback: String?,
        field: String,
        problems: (String) -> [ManifestProblem]
    ) throws -> String {
        func relevant(_ answer: String) -> [ManifestProblem] {
            problems(answer).filter { $0.field == field || $0.field.hasPrefix(field + "[") }
        }
        if let given {
            if let problem = relevant(given).first { throw ValidationError("\(flag): \(problem.message)") }
            return given
        }
        for _ in 0..<20 {
            let hint = fallback.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
            FileHandle.standardOutput.write(Data("\(label)\(hint): ".utf8))
            guard let line = readLine(strippingNewline: true) else {
                // Standard input ended (a script): a valid default stands, anything else needs the flag.
                if let fallback, relevant(fallback).isEmpty {
                    FileHandle.standardOutput.write(Data("\n".utf8))
                    return fallback
                }
                throw ValidationError("No answer for \(label.lowercased()); pass \(flag)")
            }
            let answer =
                line.trimmingCharacters(in: .whitespaces).isEmpty
                ? (fallback ?? "") : line.trimmingCharacters(in: .whitespaces)
            if let problem = relevant(answer).first {
                FileHandle.standardOutput.write(Data("  \(problem.message)\n".utf8))
                continue
            }
            return answer
        }
        throw ValidationError("Too many invalid answers for \(label.lowercased()); pass \(flag)")
    }
}
