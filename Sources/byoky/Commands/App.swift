import ArgumentParser
import ByokyCore
import ByokyHTTPServer
import ByokyWallet
import ByokyWebFiles
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
                An app reaches AI models through the wallet of whoever uses it (byoky.js or
                the Swift SDK), never with a key of its own. Its byoky.app.json says what it
                is and which providers it asks for; a wallet that installs it trusts it with
                those only. See docs/apps.md.

                  byoky app create "My App"           a working project from a template
                  byoky app init                      write byoky.app.json (asks, or flags)
                  byoky app validate [DIR|URL]        check the manifest and the code
                  byoky app submit --marketplace URL  send it for review
                """,
            subcommands: [Create.self, Init.self, Serve.self, Validate.self, Submit.self, Status.self]
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
                  byoky app init --name "Pocket Chat" --slug pocket-chat \\
                    --url https://chat.example.com --description "Chat through your wallet" \\
                    --category chat --providers anthropic,openai \\
                    --author-name Ana --author-email ana@example.com
                """
        )
        @Option(help: "The folder to write it in.") var dir = "."
        @OptionGroup var answers: ManifestAnswers
        @Flag(help: "Replace an existing byoky.app.json.") var force = false

        func run() async throws {
            let path = dir + "/" + AppManifest.fileName
            if FileManager.default.fileExists(atPath: path), !force {
                throw ValidationError("\(path) exists; pass --force to replace it")
            }
            let folderName = URL(fileURLWithPath: dir).standardizedFileURL.lastPathComponent
            let manifest = try answers.ask(defaults: ManifestAnswers.Defaults(name: folderName))
            try ManifestAnswers.write(manifest, to: dir)
            print("Wrote \(path). Next: byoky app validate \(dir)")
        }
    }

    /// `byoky app create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start an app from a template: a working project with its README and byoky.app.json.",
            discussion: """
                Templates:
                  chat            a web page (HTML + ES modules, no build step) on byoky.js:
                                  the connect dialog, a provider picker, streamed answers
                  multi-provider  a web page asking two providers side by side: the
                                  wallet's routing decides who answers
                  backend-relay   a Swift server (Hummingbird, ByokyServer) and its page: the
                                  page opens a backend relay, and the server answers through
                                  the user's wallet; needs --byoky-package (this project's
                                  checkout, or its git URL)

                Then: cd <folder>; byoky app serve (swift run App for backend-relay), with
                `byoky serve` running.
                """
        )
        @Argument(help: "The app's name; its folder is named after its slug.") var name: String
        @Option(help: "chat, multi-provider or backend-relay (asked when omitted).") var template: String?
        @Option(help: "backend-relay: the byoky-swift package its server depends on (a folder or a git URL).")
        var byokyPackage: String?
        @Option(help: "Where to create the folder.") var parent = "."
        @OptionGroup var answers: ManifestAnswers

        static let templates: [String: (category: AppCategory, description: String)] = [
            "chat": (.chat, "Chat with AI models through your own byoky wallet."),
            "multi-provider": (.research, "Ask two AI providers side by side through your own byoky wallet."),
            "backend-relay": (.productivity, "An app server that answers through its users' own byoky wallets."),
        ]

        func run() async throws {
            let choice =
                try template
                ?? Prompter().ask(
                    "Template (chat, multi-provider, backend-relay)",
                    flag: "--template",
                    given: nil,
                    default: "chat",
                    field: "template"
                ) {
                    Self.templates[$0] == nil
                        ? [ManifestProblem("template", "chat, multi-provider or backend-relay")] : []
                }
            guard let chosen = Self.templates[choice] else {
                throw ValidationError("--template must be chat, multi-provider or backend-relay")
            }
            let dependency = try choice == "backend-relay" ? Self.packageDependency(byokyPackage) : ""
            var defaults = ManifestAnswers.Defaults(name: name)
            defaults.category = chosen.category
            defaults.description = chosen.description
            defaults.providers = choice == "backend-relay" ? "anthropic" : "anthropic,openai"
            var named = answers
            named.name = named.name ?? name
            let manifest = try named.ask(defaults: defaults)
            let folder = parent + "/" + manifest.slug
            if FileManager.default.fileExists(atPath: folder) {
                throw ValidationError("\(folder) exists; pick another name or --parent")
            }
            let files = AppTemplates.files(
                of: choice,
                appName: manifest.name,
                values: ["__APP_SLUG__": manifest.slug, "__BYOKY_PACKAGE__": dependency]
            )
            for file in files {
                let path = folder + "/" + file.path
                do {
                    try FileManager.default.createDirectory(
                        atPath: (path as NSString).deletingLastPathComponent,
                        withIntermediateDirectories: true
                    )
                    try Data(file.bytes).write(to: URL(fileURLWithPath: path))
                } catch {
                    throw ValidationError("Cannot write \(path): check the folder's permissions")
                }
            }
            try ManifestAnswers.write(manifest, to: folder)
            let written = files.count
            print("Created \(folder) from the \(choice) template (\(written + 1) files).")
            let run = choice == "backend-relay" ? "swift run App" : "byoky app serve"
            print("Next: cd \(folder) && \(run)   (with `byoky serve` running), then byoky app validate")
        }

        /// The `.package(…)` line for byoky-swift: a git URL (its main branch) or a local checkout.
        static func packageDependency(_ given: String?) throws -> String {
            guard let given, !given.isEmpty else {
                throw ValidationError(
                    "The backend-relay template needs --byoky-package: a byoky-swift checkout (folder) or its git URL"
                )
            }
            func quoted(_ text: String) -> String {
                "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
            }
            if given.contains("://") || given.hasPrefix("git@") {
                return ".package(url: \(quoted(given)), branch: \"main\")"
            }
            let folder = URL(fileURLWithPath: given).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: folder + "/Package.swift") else {
                throw ValidationError("--byoky-package: \(folder) holds no Package.swift")
            }
            return ".package(name: \"byoky-swift\", path: \(quoted(folder)))"
        }
    }

    /// `byoky app serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a web app's folder on this machine while you build it (no build step, nothing cached).",
            discussion: """
                Listens on 127.0.0.1 only. Open the printed address with `byoky serve`
                running: the app's byoky.js connects to your wallet from there.
                """
        )
        @Argument(help: "The app's folder.") var dir = "."
        @Option(help: "Port (0 picks a free one).") var port = 8080

        func validate() throws {
            if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
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
                One line per check: the manifest's rules; the app loads over https; it reaches
                models only through byoky (no provider API host in its code); it asks only for
                the providers it declares; no obfuscated JavaScript; a privacy policy link
                that answers. Exit status 1 when a check fails (for CI). DIR is a project
                folder (default .); a URL is a published app.
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
                The first submission answers a submission token, kept in
                DIR/.byoky/submission.json (mode 0600; keep .byoky/ out of version control):
                later submissions of the same slug send it to replace the manifest with a new
                version.
                """
        )
        @Argument(help: "The project folder.") var dir = "."
        @Option(help: "The marketplace.") var marketplace = MarketplaceClient.defaultURL
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let manifest: AppManifest
                do {
                    // A catalogue on this machine may take apps on this machine (if it was started
                    // with --allow-loopback-apps); the catalogue checks again either way.
                    let local = AbsoluteURL(marketplace)?.isLoopbackHost == true
                    manifest = try AppManifest.read(
                        try Data(contentsOf: URL(fileURLWithPath: dir + "/" + AppManifest.fileName)),
                        policy: AppManifest.Policy(allowsLoopbackApps: local)
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
